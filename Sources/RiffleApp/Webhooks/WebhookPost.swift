import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Synchronization

// One webhook POST over FoundationNetworking's URLSession (libcurl), as HTTPTransfer does its GETs: a data task
// with a delegate, the calling thread waiting on a semaphore. Redirects are not followed: a receiver could
// otherwise send the server on to a private address after the address policy passed its URL, and Standard
// Webhooks expects a 2xx from the URL itself.

/// How one POST went.
enum WebhookPostOutcome: Sendable, Equatable {
    /// An HTTP answer: its status and the start of its body (for a failure's message).
    case answered(status: Int, excerpt: String)
    /// No answer: the network's words (refused, timed out, lost).
    case failed(String)
    /// ``WebhookPost/cancel()`` stopped it: not an attempt.
    case cancelled
}

/// One POST of a webhook message, which another thread may cancel, even before it starts.
final class WebhookPost: Sendable {
    private let timeout: Double
    private let task = Mutex<URLSessionDataTask?>(nil)
    private let cancelled = Atomic(false)

    /// A POST that gives up after `timeout` seconds (the whole exchange, not only idle time).
    init(timeout: Double) {
        self.timeout = timeout
    }

    /// Sends `body` to `url` with `headers` and waits for the answer.
    func perform(url: URL, headers: [(String, String)], body: Data) -> WebhookPostOutcome {
        guard !cancelled.load(ordering: .acquiring) else { return .cancelled }
        var request = URLRequest(url: url, timeoutInterval: timeout)
        request.httpMethod = "POST"
        request.httpBody = body
        for (name, value) in headers { request.setValue(value, forHTTPHeaderField: name) }
        let configuration = URLSessionConfiguration.ephemeral
        configuration.timeoutIntervalForRequest = timeout
        configuration.timeoutIntervalForResource = timeout
        configuration.requestCachePolicy = .reloadIgnoringLocalCacheData
        configuration.urlCache = nil
        configuration.httpCookieStorage = nil
        let delegate = PostDelegate()
        let queue = OperationQueue()
        queue.maxConcurrentOperationCount = 1
        let session = URLSession(configuration: configuration, delegate: delegate, delegateQueue: queue)
        let dataTask = session.dataTask(with: request)
        task.withLock { $0 = dataTask }
        // Cancelled between the check above and now: cancel() found no task to cancel.
        if cancelled.load(ordering: .acquiring) { dataTask.cancel() }
        dataTask.resume()
        delegate.finished.wait()
        session.finishTasksAndInvalidate()
        return cancelled.load(ordering: .acquiring) ? .cancelled : delegate.outcome()
    }

    /// Stops the request; ``perform(url:headers:body:)`` returns ``WebhookPostOutcome/cancelled`` soon after.
    func cancel() {
        cancelled.store(true, ordering: .releasing)
        task.withLock { $0?.cancel() }
    }
}

/// Receives one POST's events on its session's serial queue.
private final class PostDelegate: NSObject, URLSessionDataDelegate, Sendable {
    private struct State {
        var status: Int?
        var body = Data()
        var error: String?
    }

    /// The most of an answer's body kept, for the message of a failed attempt.
    static let excerptLimit = 300

    let finished = DispatchSemaphore(value: 0)
    private let state = Mutex(State())

    func outcome() -> WebhookPostOutcome {
        state.withLock { state in
            // An error after the status line (the body cut off) is a failed attempt: the receiver may not have
            // taken the message, and retrying is safe since it dedupes by webhook-id.
            if let error = state.error { return .failed(error) }
            if let status = state.status {
                let excerpt = String(decoding: state.body.prefix(Self.excerptLimit), as: UTF8.self)
                return .answered(status: status, excerpt: excerpt.trimmingCharacters(in: .whitespacesAndNewlines))
            }
            return .failed("no answer")
        }
    }

    func urlSession(_ session: URLSession, task: URLSessionTask, willPerformHTTPRedirection response: HTTPURLResponse,
                    newRequest request: URLRequest, completionHandler: @escaping @Sendable (URLRequest?) -> Void) {
        // nil: the 3xx itself is the answer, and not a 2xx.
        completionHandler(nil)
    }

    func urlSession(_ session: URLSession, dataTask: URLSessionDataTask, didReceive response: URLResponse,
                    completionHandler: @escaping @Sendable (URLSession.ResponseDisposition) -> Void) {
        state.withLock { $0.status = (response as? HTTPURLResponse)?.statusCode }
        completionHandler(.allow)
    }

    func urlSession(_ session: URLSession, dataTask: URLSessionDataTask, didReceive data: Data) {
        state.withLock { state in
            if state.body.count < Self.excerptLimit { state.body.append(data.prefix(Self.excerptLimit - state.body.count)) }
        }
    }

    func urlSession(_ session: URLSession, task: URLSessionTask, didCompleteWithError error: (any Error)?) {
        state.withLock { state in
            guard let error else { return }
            state.error = (error as? URLError).map(Self.describe) ?? error.localizedDescription
        }
        finished.signal()
    }

    private static func describe(_ error: URLError) -> String {
        switch error.code {
        case .timedOut: "timed out"
        case .cannotConnectToHost: "cannot connect (connection refused)"
        case .networkConnectionLost: "the connection was lost"
        case .cannotFindHost, .dnsLookupFailed: "unknown host"
        case .secureConnectionFailed, .serverCertificateUntrusted, .serverCertificateHasBadDate, .serverCertificateNotYetValid,
             .serverCertificateHasUnknownRoot: "TLS failed: \(error.localizedDescription)"
        default: error.localizedDescription
        }
    }
}
