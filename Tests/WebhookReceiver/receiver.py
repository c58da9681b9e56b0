#!/usr/bin/env python3
"""A webhook receiver on 127.0.0.1 for Riffle's tests (Python 3 standard library only).

Answers every POST: 500 for the first --fail N requests, then --status (200 by default), after --delay
seconds (a slow receiver). --log FILE gets one
JSON line per request, written before the answer goes out: {"method", "path", "headers": {lower-case name:
value}, "body": base64 of the exact bytes received}.

Prints "PORT <n>" on standard output once listening on an ephemeral port.
"""
import argparse
import base64
import http.server
import json
import sys
import threading
import time


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--fail", type=int, default=0, help="answer 500 to this many requests first")
    parser.add_argument("--status", type=int, default=200, help="the answer after those")
    parser.add_argument("--delay", type=float, default=0, help="seconds to wait before answering")
    parser.add_argument("--log", required=True)
    options = parser.parse_args()
    lock = threading.Lock()
    count = [0]

    class Handler(http.server.BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_POST(self):
            length = int(self.headers.get("Content-Length", "0"))
            body = self.rfile.read(length)
            with lock:
                count[0] += 1
                status = 500 if count[0] <= options.fail else options.status
                record = {"method": "POST", "path": self.path,
                          "headers": {name.lower(): value for name, value in self.headers.items()},
                          "body": base64.b64encode(body).decode("ascii")}
                with open(options.log, "a") as log:
                    log.write(json.dumps(record) + "\n")
            time.sleep(options.delay)
            answer = b"failing on purpose\n" if status == 500 else b"ok\n"
            self.send_response(status)
            self.send_header("Content-Type", "text/plain")
            self.send_header("Content-Length", str(len(answer)))
            self.end_headers()
            self.wfile.write(answer)

        def log_message(self, *arguments):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    print(f"PORT {server.server_address[1]}", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    sys.exit(0)


if __name__ == "__main__":
    main()
