import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Synchronization

/// Reads model repositories from the Hugging Face hub: which commit a revision is at, the files there,
/// and each file's bytes, resumed with HTTP Range after a dropped connection and checked against the
/// hash the hub lists.
///
/// Errors are ``AppError``s naming the repository or file: `.badInput` for a repository or revision the
/// hub does not have, `.fileError` for the network, the hub's refusals and a download that fails its check.
public struct HubClient: Sendable {
    public let settings: HubSettings
    /// How many times one file's download is tried again after a dropped connection or a busy hub.
    public var retries = 5
    /// The wait before the first retry, doubled for each next one (at most 30 s).
    public var retryDelay: TimeInterval = 1
    var transfer = HTTPTransfer()

    public init(settings: HubSettings) {
        self.settings = settings
    }

    /// The headers every request to the hub carries.
    var headers: [String: String] {
        var headers = ["User-Agent": "riffle", "Accept-Encoding": "identity"]
        if let token = settings.token { headers["Authorization"] = "Bearer \(token)" }
        return headers
    }

    /// The commit `revision` (a branch, a tag or a commit id) is at: files are then all fetched from that
    /// commit, so a push during a long download cannot mix two versions.
    public func commit(of repo: HubRepoID, revision: String) throws -> String {
        let url = HubURLs(endpoint: settings.endpoint, repo: repo).revision(revision)
        let reply = try request(url, repo: repo, revision: revision)
        guard let object = (try? JSONSerialization.jsonObject(with: reply.body)) as? [String: Any],
              let sha = object["sha"] as? String, !sha.isEmpty else {
            throw AppError(.fileError, "\(url.absoluteString): the hub's answer has no commit id (\"sha\")")
        }
        return sha
    }

    /// The files at the top of the repository at `commit`, every page of the listing.
    public func files(of repo: HubRepoID, at commit: String) throws -> [HubFile] {
        var next: URL? = HubURLs(endpoint: settings.endpoint, repo: repo).tree(commit)
        var files: [HubFile] = []
        var pages = 0
        while let url = next {
            pages += 1
            guard pages <= 1000 else { throw AppError(.fileError, "\(url.absoluteString): the listing of \(repo) never ends") }
            let reply = try request(url, repo: repo, revision: commit)
            guard let page = HubFile.parseTree(reply.body) else {
                throw AppError(.fileError, "\(url.absoluteString): the hub's file listing is not the expected JSON array")
            }
            files += page
            next = HubFile.nextPage(reply.header("Link"))
        }
        return files
    }

    /// GETs a small JSON answer; a dropped connection or a busy hub is tried again.
    private func request(_ url: URL, repo: HubRepoID, revision: String) throws -> HTTPReply {
        var attempt = 0
        while true {
            let reply: HTTPReply
            do {
                reply = try transfer.fetch(url, headers: headers)
            } catch {
                if attempt < retries, case .network(_, transient: true) = error {
                    wait(attempt)
                    attempt += 1
                    continue
                }
                throw describe(error, url: url)
            }
            if (200..<300).contains(reply.status) { return reply }
            if attempt < retries, Self.isTransient(reply.status) {
                wait(attempt)
                attempt += 1
                continue
            }
            throw refusal(reply, repo: repo, revision: revision, file: nil)
        }
    }

    /// Downloads `file` into `partial`, continuing from the bytes already there: a request with
    /// `Range: bytes=N-`, answered 206 from byte N, or 200 from the start by a server that ignores Range
    /// (the file then starts over). A dropped connection is tried again, from where it stopped. Returns
    /// when `partial` holds `file.size` bytes; ``verify(_:at:)`` then checks them. `progress` gets the
    /// bytes on disk as they arrive.
    public func download(_ file: HubFile, of repo: HubRepoID, at commit: String, to partial: String,
                         progress: @escaping @Sendable (Int64) -> Void) throws {
        let url = HubURLs(endpoint: settings.endpoint, repo: repo).resolve(commit, file.path)
        var attempt = 0
        var lastProblem = ""
        while true {
            let onDisk = Self.size(of: partial)
            if onDisk == file.size { return }
            if onDisk > file.size {
                // More than the file can hold: not a prefix of it.
                truncate(partial, 0)
            }
            let start = onDisk > file.size ? 0 : onDisk
            guard attempt <= retries else {
                throw AppError(.fileError, "\(file.path): the download stopped at \(start) of \(file.size) bytes (\(lastProblem)) after \(attempt) tries; "
                               + "run the same command again to resume it")
            }
            if attempt > 0 { wait(attempt - 1) }
            attempt += 1

            let descriptor = open(partial, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o644)
            guard descriptor >= 0 else {
                throw AppError(.fileError, "\(partial): cannot be written (\(String(cString: strerror(errno))))")
            }
            defer { close(descriptor) }
            var headers = self.headers
            if start > 0 { headers["Range"] = "bytes=\(start)-" }
            let written = ByteCounter(start)
            let reply: HTTPReply
            do {
                reply = try transfer.download(url, headers: headers, descriptor: descriptor, prepare: { response in
                    try Self.prepare(response, start: start, descriptor: descriptor, partial: partial, counter: written)
                }, received: { count in
                    progress(written.add(Int64(count)))
                })
            } catch {
                switch error {
                case .network(let problem, _):
                    // Even a refused connection is tried again here: the bytes so far are worth waiting for.
                    lastProblem = problem
                    continue
                case .sink(let cause):
                    throw AppError(.fileError, "\(partial): \(cause is AppError ? "\(cause)" : "cannot be written (\(cause))")")
                case .tooLarge:
                    throw describe(error, url: url)
                }
            }
            switch reply.status {
            case 200..<300:
                let now = Self.size(of: partial)
                if now > file.size {
                    truncate(partial, 0)
                    throw AppError(.fileError, "\(file.path): the hub sent \(now) bytes where its listing says \(file.size); "
                                   + "the partial file was deleted, run the command again to download it anew")
                }
                // Short of the size: the body ended early without an error; resume from there.
                lastProblem = "the answer ended after \(now - start) bytes"
            case 416:
                // The bytes on disk are not a prefix the server can continue: start the file over.
                truncate(partial, 0)
                lastProblem = "HTTP 416, range not satisfiable"
            case let status where Self.isTransient(status):
                lastProblem = "HTTP \(status)"
            default:
                throw refusal(reply, repo: repo, revision: commit, file: file.path)
            }
        }
    }

    /// Checks the bytes at `path` against the hash the hub lists for `file`; on a mismatch the file is
    /// deleted and the error names the file and both hashes. A file the listing gave no hash for is
    /// checked by its size alone.
    public func verify(_ file: HubFile, at path: String) throws {
        let size = Self.size(of: path)
        guard size == file.size else {
            unlink(path)
            throw AppError(.fileError, "\(file.path): downloaded \(size) bytes but the hub lists \(file.size); "
                           + "the partial file was deleted, run the command again to download it anew")
        }
        guard let expected = file.expectedDigest else { return }
        let actual: String
        do { actual = try FileDigest.compute(expected, of: path) } catch {
            throw AppError(.fileError, "\(path): cannot be read to check it (\(error))")
        }
        guard actual == expected.value else {
            unlink(path)
            let source = if case .sha256 = expected { "the hub's LFS id" } else { "the hub's" }
            throw AppError(.fileError, "\(file.path): the downloaded file's \(expected.name) is \(actual) but \(source) is \(expected.value); "
                           + "the partial file was deleted, run the command again to download it anew")
        }
    }

    /// Decides what to do with a 2xx answer before its body arrives.
    private static func prepare(_ response: HTTPURLResponse, start: Int64, descriptor: Int32, partial: String, counter: ByteCounter) throws -> Bool {
        if response.statusCode == 206 {
            // "bytes START-END/TOTAL": it must continue exactly where the file stops.
            let range = response.value(forHTTPHeaderField: "Content-Range") ?? ""
            let first = range.split(separator: " ").last?.split(separator: "-").first.flatMap { Int64($0) }
            guard first == start else {
                throw AppError(.fileError, "\(partial): asked for the bytes from \(start) on, the server sent \"\(range)\"")
            }
            return true
        }
        if start > 0 {
            // A 200 to a Range request is the whole file again (a server or CDN that ignores Range).
            guard ftruncate(descriptor, 0) == 0 else {
                throw AppError(.fileError, "\(partial): cannot be truncated (\(String(cString: strerror(errno))))")
            }
            counter.reset()
        }
        return true
    }

    private static func isTransient(_ status: Int) -> Bool {
        status == 408 || status == 429 || (500..<600).contains(status)
    }

    private func wait(_ attempt: Int) {
        let seconds = min(30, retryDelay * pow(2, Double(attempt)))
        if seconds > 0 { Thread.sleep(forTimeInterval: seconds) }
    }

    static func size(of path: String) -> Int64 {
        var status = stat()
        return stat(path, &status) == 0 ? Int64(status.st_size) : 0
    }

    private func truncate(_ path: String, _ length: Int64) {
        _ = Glibc.truncate(path, off_t(length))
    }

    private func describe(_ error: HTTPTransferError, url: URL) -> AppError {
        switch error {
        case .network(let problem, _): AppError(.fileError, "cannot reach \(url.absoluteString): \(problem)")
        case .sink(let cause): AppError(.fileError, "\(url.absoluteString): \(cause)")
        case .tooLarge(let limit): AppError(.fileError, "\(url.absoluteString): the hub's answer is larger than \(limit) bytes")
        }
    }

    /// The hub's "no" in words: a missing repository, revision or file, a token it wants or refuses.
    private func refusal(_ reply: HTTPReply, repo: HubRepoID, revision: String, file: String?) -> AppError {
        let code = reply.header("X-Error-Code") ?? ""
        var message = reply.header("X-Error-Message")
        if message == nil, let object = (try? JSONSerialization.jsonObject(with: reply.body)) as? [String: Any] {
            message = object["error"] as? String
        }
        let said = message.map { " (the hub says: \($0))" } ?? ""
        let hub = settings.endpoint.absoluteString
        switch (reply.status, code) {
        case (404, "RevisionNotFound"):
            return AppError(.badInput, "\(repo) has no revision \"\(revision)\" on \(hub)\(said)")
        case (404, "EntryNotFound"):
            return AppError(.fileError, "\(repo) has no file \(file ?? "?") at \(revision)\(said)")
        case (401, _) where settings.token != nil:
            return AppError(.fileError, "\(hub) refused the token in HF_TOKEN for \(repo) (HTTP 401)\(said)")
        case (401, _), (404, _):
            return AppError(.badInput, "\(repo): no such model on \(hub), or it is private: set HF_TOKEN to a token that can read it\(said)")
        case (403, _):
            return AppError(.fileError, "\(hub) refused access to \(repo) (HTTP 403): a gated model needs its conditions accepted on its page "
                            + "and HF_TOKEN set to that account's token\(said)")
        default:
            return AppError(.fileError, "\(reply.url.absoluteString): the hub answered HTTP \(reply.status)\(said)")
        }
    }
}

/// Bytes on disk for one download, counted on URLSession's queue and read by the progress callback.
private final class ByteCounter: Sendable {
    private let value: Mutex<Int64>

    init(_ start: Int64) { value = Mutex(start) }

    func add(_ count: Int64) -> Int64 { value.withLock { $0 += count; return $0 } }
    func reset() { value.withLock { $0 = 0 } }
}
