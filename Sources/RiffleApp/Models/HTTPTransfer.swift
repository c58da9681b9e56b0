import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Synchronization

// One HTTP request at a time over FoundationNetworking's URLSession (libcurl underneath; ships with the
// toolchain, TLS included). A data task with a delegate streams the body straight to a file descriptor, so a
// 2.4 GB download keeps memory flat; the calling thread waits on a semaphore, as the command line is synchronous.
// URLSession's idle timeout restarts with every chunk received (libcurl's write callback resets it), so a
// long transfer that keeps moving is never cut off.

/// What came back from one request: the final response (after redirects) and, for ``HTTPTransfer/fetch(_:headers:)``, its body.
struct HTTPReply: Sendable {
    var status: Int
    var headers: [String: String]
    var url: URL
    var body: Data

    /// A header's value, whatever the case of its name.
    func header(_ name: String) -> String? {
        let lowered = name.lowercased()
        return headers.first { $0.key.lowercased() == lowered }?.value
    }
}

/// Where a request's body goes: kept in memory (small answers) or appended to an open file.
enum HTTPBodySink: Sendable {
    /// Keeps at most `limit` bytes; more is an error (a JSON answer never needs megabytes).
    case memory(limit: Int)
    /// Writes into `descriptor`; `prepare` sees the response first and says whether to keep the body
    /// (it may truncate the file: a server that ignored Range sends the whole file again).
    case file(descriptor: Int32, prepare: @Sendable (HTTPURLResponse) throws -> Bool, received: @Sendable (Int) -> Void)
}

/// Why a request failed before a complete response came back.
enum HTTPTransferError: Error, Sendable {
    /// The network: no connection, a dropped one, a timeout (URLSession's words); `transient` when trying
    /// again may help (a dropped connection, a timeout), not when the host is unknown or refuses connections.
    case network(String, transient: Bool)
    /// Writing the body failed (a full disk), or `prepare` refused it.
    case sink(any Error)
    /// A body longer than the in-memory limit.
    case tooLarge(Int)
}

/// Which headers follow a redirect: Authorization only to the same host and port, as huggingface_hub does
/// (the hub sends LFS files from a CDN with a signed URL, and the token must not travel there).
func headersForRedirect(_ headers: [String: String], from original: URL, to target: URL) -> [String: String] {
    let sameOrigin = original.host?.lowercased() == target.host?.lowercased() && original.port == target.port
        && original.scheme == target.scheme
    return sameOrigin ? headers : headers.filter { $0.key.lowercased() != "authorization" }
}

/// Performs single HTTP requests synchronously.
struct HTTPTransfer: Sendable {
    /// Seconds without a byte before a request fails.
    var idleTimeout: TimeInterval = 60

    /// GET `url`, the body in memory.
    func fetch(_ url: URL, headers: [String: String], limit: Int = 64 << 20) throws(HTTPTransferError) -> HTTPReply {
        try perform(url, method: "GET", headers: headers, sink: .memory(limit: limit))
    }

    /// GET `url`, the body of a 2xx answer written to `descriptor` (see ``HTTPBodySink/file(descriptor:prepare:received:)``);
    /// an error answer's body is kept in memory for its message.
    func download(_ url: URL, headers: [String: String], descriptor: Int32, prepare: @escaping @Sendable (HTTPURLResponse) throws -> Bool,
                  received: @escaping @Sendable (Int) -> Void) throws(HTTPTransferError) -> HTTPReply {
        try perform(url, method: "GET", headers: headers, sink: .file(descriptor: descriptor, prepare: prepare, received: received))
    }

    private func perform(_ url: URL, method: String, headers: [String: String], sink: HTTPBodySink) throws(HTTPTransferError) -> HTTPReply {
        let configuration = URLSessionConfiguration.ephemeral
        configuration.timeoutIntervalForRequest = idleTimeout
        configuration.timeoutIntervalForResource = 7 * 24 * 3600
        configuration.requestCachePolicy = .reloadIgnoringLocalCacheData
        configuration.urlCache = nil
        let delegate = TransferDelegate(headers: headers, sink: sink)
        let queue = OperationQueue()
        queue.maxConcurrentOperationCount = 1
        let session = URLSession(configuration: configuration, delegate: delegate, delegateQueue: queue)
        var request = URLRequest(url: url)
        request.httpMethod = method
        for (name, value) in headers { request.setValue(value, forHTTPHeaderField: name) }
        session.dataTask(with: request).resume()
        delegate.finished.wait()
        // A session keeps its delegate until invalidated.
        session.finishTasksAndInvalidate()
        return try delegate.outcome()
    }
}

/// Receives one task's events on the session's serial queue.
private final class TransferDelegate: NSObject, URLSessionDataDelegate, Sendable {
    private struct State {
        var response: HTTPURLResponse?
        var body = Data()
        var keepBody = false
        var writeToFile = false
        var failure: HTTPTransferError?
    }

    let finished = DispatchSemaphore(value: 0)
    private let headers: [String: String]
    private let sink: HTTPBodySink
    private let state = Mutex(State())

    init(headers: [String: String], sink: HTTPBodySink) {
        self.headers = headers
        self.sink = sink
    }

    func outcome() throws(HTTPTransferError) -> HTTPReply {
        let result: Result<HTTPReply, HTTPTransferError> = state.withLock { state in
            if let failure = state.failure { return .failure(failure) }
            guard let response = state.response else { return .failure(.network("no response", transient: true)) }
            var fields: [String: String] = [:]
            for case (let name as String, let value as String) in response.allHeaderFields { fields[name] = value }
            return .success(HTTPReply(status: response.statusCode, headers: fields, url: response.url ?? URL(fileURLWithPath: "/"), body: state.body))
        }
        return try result.get()
    }

    func urlSession(_ session: URLSession, task: URLSessionTask, willPerformHTTPRedirection response: HTTPURLResponse,
                    newRequest request: URLRequest, completionHandler: @escaping @Sendable (URLRequest?) -> Void) {
        guard let from = task.currentRequest?.url ?? task.originalRequest?.url, let to = request.url else {
            completionHandler(request)
            return
        }
        // Rebuilt from our own headers: the redirected request would otherwise carry every header, the token too.
        var next = URLRequest(url: to)
        next.httpMethod = request.httpMethod
        for (name, value) in headersForRedirect(headers, from: from, to: to) { next.setValue(value, forHTTPHeaderField: name) }
        completionHandler(next)
    }

    func urlSession(_ session: URLSession, dataTask: URLSessionDataTask, didReceive response: URLResponse,
                    completionHandler: @escaping @Sendable (URLSession.ResponseDisposition) -> Void) {
        guard let http = response as? HTTPURLResponse else {
            state.withLock { $0.failure = .network("not an HTTP response", transient: false) }
            completionHandler(.cancel)
            return
        }
        var disposition = URLSession.ResponseDisposition.allow
        state.withLock { state in
            state.response = http
            switch sink {
            case .memory:
                state.keepBody = true
            case .file(_, let prepare, _):
                guard (200..<300).contains(http.statusCode) else {
                    state.keepBody = true
                    return
                }
                do {
                    state.writeToFile = try prepare(http)
                } catch {
                    state.failure = .sink(error)
                    disposition = .cancel
                }
            }
        }
        completionHandler(disposition)
    }

    func urlSession(_ session: URLSession, dataTask: URLSessionDataTask, didReceive data: Data) {
        let cancel: Bool = state.withLock { state in
            guard state.failure == nil else { return true }
            if state.writeToFile, case .file(let descriptor, _, let received) = sink {
                do {
                    try Self.write(data, to: descriptor)
                    received(data.count)
                } catch {
                    state.failure = .sink(error)
                    return true
                }
            } else if state.keepBody {
                let limit: Int
                if case .memory(let memoryLimit) = sink { limit = memoryLimit } else { limit = 1 << 20 }
                guard state.body.count + data.count <= limit else {
                    state.failure = .tooLarge(limit)
                    return true
                }
                state.body.append(data)
            }
            return false
        }
        if cancel { dataTask.cancel() }
    }

    func urlSession(_ session: URLSession, task: URLSessionTask, didCompleteWithError error: (any Error)?) {
        state.withLock { state in
            if state.failure == nil, let error {
                let code = (error as? URLError)?.code
                let permanent: Set<URLError.Code> = [.cannotConnectToHost, .cannotFindHost, .unsupportedURL, .badURL, .dnsLookupFailed,
                                                     .serverCertificateUntrusted, .serverCertificateHasBadDate, .serverCertificateNotYetValid]
                state.failure = .network((error as? URLError).map(Self.describe) ?? error.localizedDescription,
                                         transient: code.map { !permanent.contains($0) } ?? true)
            }
        }
        finished.signal()
    }

    private static func describe(_ error: URLError) -> String {
        switch error.code {
        case .timedOut: "no data for too long (timed out)"
        case .networkConnectionLost: "the connection was lost"
        case .cannotConnectToHost: "cannot connect"
        case .cannotFindHost: "unknown host"
        case .notConnectedToInternet: "no network"
        default: error.localizedDescription
        }
    }

    private static func write(_ data: Data, to descriptor: Int32) throws {
        try data.withUnsafeBytes { (raw: UnsafeRawBufferPointer) in
            var done = 0
            while done < raw.count {
                let written = Glibc.write(descriptor, raw.baseAddress! + done, raw.count - done)
                if written < 0, errno == EINTR { continue }
                guard written > 0 else { throw POSIXError(POSIXErrorCode(rawValue: written < 0 ? errno : ENOSPC) ?? .EIO) }
                done += written
            }
        }
    }
}
