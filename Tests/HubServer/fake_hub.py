#!/usr/bin/env python3
"""A stand-in for the Hugging Face hub on 127.0.0.1, for Riffle's tests (Python 3 standard library only).

Serves the files under --root as model repository --repo, in the hub's URL layout:

  GET  /api/models/{repo}/revision/{rev}   {"id", "sha", "siblings": [{"rfilename"}]}
  GET  /api/models/{repo}/tree/{rev}       [{"type", "path", "size", "oid", "lfs": {"oid", "size", "pointerSize"}}],
                                           paged with a Link: <...>; rel="next" header (--page-size)
  HEAD/GET /{repo}/resolve/{rev}/{path}    small files: 200 with ETag (git blob id) and X-Repo-Commit;
                                           LFS files (.safetensors, .model, .bin): 302 to /cdn-lfs/{sha256}
                                           with X-Linked-Etag, X-Linked-Size, X-Repo-Commit
  GET  /cdn-lfs/{sha256}                   the bytes, with Range (206 and Content-Range)

{rev} is "main" or the commit id. Faults for tests: --drop FILE:N (the first GET of FILE's bytes sends N bytes
and closes the connection), --stall FILE:N (the first GET sends N bytes, then nothing), --corrupt FILE (one
byte changed, always), --ignore-range (Range answered with the whole file, 200), --token T (the API and
resolve/ answer 401 without "Authorization: Bearer T", as the hub does for a private repo), --rate B (file bytes
sent at about B bytes a second, so a progress display has time to show).

Prints "PORT <n>" on standard output once listening on an ephemeral port; --log FILE gets one JSON line per
request: {"method", "path", "range", "authorization"}.
"""
import argparse
import hashlib
import http.server
import json
import os
import socket
import sys
import threading
import time
import urllib.parse

LFS_SUFFIXES = (".safetensors", ".model", ".bin", ".h5", ".msgpack")


class Repo:
    def __init__(self, root, repo):
        self.root = root
        self.repo = repo
        self.files = {}
        for dirpath, _, names in os.walk(root):
            for name in names:
                full = os.path.join(dirpath, name)
                data = open(full, "rb").read()
                path = os.path.relpath(full, root).replace(os.sep, "/")
                self.files[path] = {
                    "data": data,
                    "sha256": hashlib.sha256(data).hexdigest(),
                    "blob": hashlib.sha1(b"blob %d\0" % len(data) + data).hexdigest(),
                    "lfs": path.endswith(LFS_SUFFIXES),
                }
        digest = hashlib.sha1()
        for path in sorted(self.files):
            digest.update(path.encode() + b"\0" + self.files[path]["sha256"].encode())
        self.commit = digest.hexdigest()

    def by_sha256(self, sha):
        for path, entry in self.files.items():
            if entry["sha256"] == sha:
                return path, entry
        return None, None

    def tree(self):
        entries, folders = [], set()
        for path in sorted(self.files):
            entry = self.files[path]
            if "/" in path:
                folders.add(path.split("/")[0])
                continue
            item = {"type": "file", "oid": entry["blob"], "size": len(entry["data"]), "path": path}
            if entry["lfs"]:
                item["lfs"] = {"oid": entry["sha256"], "size": len(entry["data"]), "pointerSize": 134}
            entries.append(item)
        for folder in sorted(folders):
            entries.append({"type": "directory", "oid": "0" * 40, "size": 0, "path": folder})
        return entries


class Faults:
    def __init__(self, args):
        self.drop = self.parse(args.drop)
        self.stall = self.parse(args.stall)
        self.corrupt = set(args.corrupt or [])
        self.ignore_range = args.ignore_range
        self.token = args.token
        self.page_size = args.page_size
        self.rate = args.rate
        self.served = {}
        self.lock = threading.Lock()

    @staticmethod
    def parse(values):
        faults = {}
        for value in values or []:
            name, count = value.rsplit(":", 1)
            faults[name] = int(count)
        return faults

    def first_get(self, path):
        with self.lock:
            count = self.served.get(path, 0)
            self.served[path] = count + 1
            return count == 0


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "fake-hub"

    def log_message(self, *args):
        pass

    def record(self):
        if self.server.log_path:
            line = json.dumps({"method": self.command, "path": self.path, "range": self.headers.get("Range"),
                               "authorization": self.headers.get("Authorization")})
            with self.server.log_lock, open(self.server.log_path, "a") as log:
                log.write(line + "\n")

    def do_HEAD(self):
        self.handle_request(head=True)

    def do_GET(self):
        self.handle_request(head=False)

    def handle_request(self, head):
        self.record()
        url = urllib.parse.urlsplit(self.path)
        parts = [urllib.parse.unquote(p) for p in url.path.split("/") if p]
        repo, faults = self.server.repo, self.server.faults
        owner_name = repo.repo.split("/")
        if parts[:1] == ["cdn-lfs"] and len(parts) == 2:
            path, entry = repo.by_sha256(parts[1])
            if entry is None:
                return self.error(404, "EntryNotFound", "no such object")
            return self.send_file(path, entry, head)
        authorized = faults.token is None or self.headers.get("Authorization") == "Bearer " + faults.token
        if parts[:2] == ["api", "models"]:
            rest = parts[2:]
            if rest[:len(owner_name)] != owner_name:
                return self.error(401 if not authorized or faults.token is None else 404, "RepoNotFound", "Repository not found")
            if not authorized:
                return self.error(401, "RepoNotFound", "Invalid credentials in Authorization header")
            rest = rest[len(owner_name):]
            if len(rest) == 2 and rest[0] in ("revision", "tree"):
                if rest[1] not in ("main", repo.commit):
                    return self.error(404, "RevisionNotFound", "Invalid rev id: " + rest[1])
                if rest[0] == "revision":
                    body = {"id": repo.repo, "sha": repo.commit, "siblings": [{"rfilename": p} for p in sorted(repo.files)]}
                    return self.send_json(body)
                return self.send_tree(url)
            return self.error(404, "EntryNotFound", "unknown API path")
        if parts[:len(owner_name)] == owner_name and parts[len(owner_name):len(owner_name) + 1] == ["resolve"]:
            if not authorized:
                return self.error(401, "RepoNotFound", "Invalid credentials in Authorization header")
            rest = parts[len(owner_name) + 1:]
            if len(rest) < 2 or rest[0] not in ("main", repo.commit):
                return self.error(404, "RevisionNotFound", "Invalid rev id")
            path = "/".join(rest[1:])
            entry = repo.files.get(path)
            if entry is None:
                return self.error(404, "EntryNotFound", path + " does not exist")
            common = {"X-Repo-Commit": repo.commit}
            if entry["lfs"]:
                host, port = self.server.server_address[:2]
                location = "http://%s:%d/cdn-lfs/%s" % (host, port, entry["sha256"])
                headers = dict(common, **{"Location": location, "X-Linked-Etag": '"%s"' % entry["sha256"],
                                          "X-Linked-Size": str(len(entry["data"])), "ETag": '"%s"' % entry["blob"]})
                return self.send_plain(302, b"", headers, head)
            return self.send_file(path, entry, head, dict(common, ETag='"%s"' % entry["blob"]))
        return self.error(404, "RepoNotFound", "Repository not found")

    def error(self, status, code, message):
        body = json.dumps({"error": message}).encode()
        self.send_plain(status, body, {"X-Error-Code": code, "X-Error-Message": message,
                                       "Content-Type": "application/json"}, self.command == "HEAD")

    def send_json(self, value, extra=None):
        self.send_plain(200, json.dumps(value).encode(), dict(extra or {}, **{"Content-Type": "application/json"}), False)

    def send_tree(self, url):
        entries = self.server.repo.tree()
        query = urllib.parse.parse_qs(url.query)
        start = int(query.get("cursor", ["0"])[0])
        size = self.server.faults.page_size or len(entries) or 1
        page = entries[start:start + size]
        extra = {}
        if start + size < len(entries):
            host, port = self.server.server_address[:2]
            extra["Link"] = '<http://%s:%d%s?cursor=%d>; rel="next"' % (host, port, url.path, start + size)
        self.send_json(page, extra)

    def send_plain(self, status, body, headers, head):
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if not head:
            self.wfile.write(body)

    def send_file(self, path, entry, head, extra=None):
        faults = self.server.faults
        data = entry["data"]
        if path in faults.corrupt and data:
            middle = len(data) // 2
            data = data[:middle] + bytes([data[middle] ^ 0xFF]) + data[middle + 1:]
        status, start = 200, 0
        wanted = self.headers.get("Range")
        headers = dict(extra or {}, **{"Accept-Ranges": "bytes", "Content-Type": "application/octet-stream"})
        if wanted and not faults.ignore_range:
            start = int(wanted.split("=", 1)[1].split("-", 1)[0])
            if start >= len(data):
                headers["Content-Range"] = "bytes */%d" % len(data)
                return self.send_plain(416, b"", headers, head)
            status = 206
            headers["Content-Range"] = "bytes %d-%d/%d" % (start, len(data) - 1, len(data))
        body = data[start:]
        if head:
            return self.send_plain(status, body, headers, True)
        first = faults.first_get(path)
        cut = faults.drop.get(path) if first else None
        stall = faults.stall.get(path) if first else None
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if cut is not None:
            self.wfile.write(body[:cut])
            self.wfile.flush()
            # A clean close after the bytes, so the client has every one of them, then sees the body end short.
            self.connection.shutdown(socket.SHUT_RDWR)
            self.close_connection = True
            return
        if stall is not None:
            self.wfile.write(body[:stall])
            self.wfile.flush()
            while True:
                time.sleep(3600)
        self.send_body(body)

    def send_body(self, body):
        rate = self.server.faults.rate
        if not rate:
            self.wfile.write(body)
            return
        chunk = max(1, rate // 20)
        for start in range(0, len(body), chunk):
            self.wfile.write(body[start:start + chunk])
            self.wfile.flush()
            time.sleep(0.05)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--root", required=True)
    parser.add_argument("--repo", default="facebook/musicgen-small")
    parser.add_argument("--log")
    parser.add_argument("--drop", action="append")
    parser.add_argument("--stall", action="append")
    parser.add_argument("--corrupt", action="append")
    parser.add_argument("--ignore-range", action="store_true")
    parser.add_argument("--token")
    parser.add_argument("--page-size", type=int, default=0)
    parser.add_argument("--rate", type=int, default=0)
    args = parser.parse_args()

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    server.repo = Repo(args.root, args.repo)
    server.faults = Faults(args)
    server.log_path = args.log
    server.log_lock = threading.Lock()
    print("PORT %d" % server.server_address[1], flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    sys.exit(main())
