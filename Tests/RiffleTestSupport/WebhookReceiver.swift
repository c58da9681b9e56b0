import Foundation

/// The loopback webhook receiver of Tests/WebhookReceiver/receiver.py on 127.0.0.1 (an ephemeral port), for as
/// long as the value lives: it answers 500 to the first `failing` requests, then 200, and logs each one (before answering).
public final class WebhookReceiver {
    /// One request the receiver saw.
    public struct Request: Decodable, Sendable {
        public var method: String
        public var path: String
        /// Header names in lower case.
        public var headers: [String: String]
        /// Base64 of the body's bytes.
        public var body: String

        public var bodyData: Data { Data(base64Encoded: body) ?? Data() }
    }

    /// `http://127.0.0.1:PORT`.
    public let endpoint: String
    private let process: Process
    private let logPath: String
    private let scratch: TemporaryDirectory

    static let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("WebhookReceiver/receiver.py")

    /// - Parameter delay: seconds it takes to answer each request.
    public init(failing: Int = 0, delay: Double = 0) throws {
        scratch = try TemporaryDirectory()
        logPath = scratch.path("requests.jsonl")
        let started: (process: Process, port: Int)
        do {
            started = try startLoopbackScript(Self.script, ["--fail", String(failing), "--delay", String(delay), "--log", logPath])
        } catch {
            throw ReceiverError(description: "\(error)")
        }
        process = started.process
        let port = started.port
        endpoint = "http://127.0.0.1:\(port)"
    }

    deinit {
        // SIGKILL: the test runner's threads block SIGTERM, and a spawned program inherits that mask.
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
    }

    /// Every request so far, in order.
    public func requests() throws -> [Request] {
        guard let text = try? String(contentsOfFile: logPath, encoding: .utf8) else { return [] }
        return try text.split(separator: "\n").map { try JSONDecoder().decode(Request.self, from: Data($0.utf8)) }
    }
}

public struct ReceiverError: Error, CustomStringConvertible {
    public var description: String
}
