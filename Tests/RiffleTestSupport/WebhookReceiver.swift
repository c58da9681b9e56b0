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
        process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", Self.script.path, "--fail", String(failing), "--delay", String(delay), "--log", logPath]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle(forWritingAtPath: "/dev/null")
        process.standardInput = FileHandle(forReadingAtPath: "/dev/null")
        try process.run()
        // The first line is "PORT n"; end of file first means the script failed.
        var line = Data()
        while !line.contains(UInt8(ascii: "\n")) {
            let chunk = output.fileHandleForReading.availableData
            guard !chunk.isEmpty else { break }
            line.append(chunk)
        }
        guard let text = String(data: line, encoding: .utf8), text.hasPrefix("PORT "),
              let port = Int(text.dropFirst(5).trimmingCharacters(in: .whitespacesAndNewlines)) else {
            kill(process.processIdentifier, SIGKILL)
            throw ReceiverError(description: "receiver.py did not start (printed \(String(decoding: line, as: UTF8.self)))")
        }
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
