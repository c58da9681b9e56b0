import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import RiffleTestSupport
import Testing

/// The `riffle` binary beside this test bundle in the build folder.
let riffle = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("riffle")

/// Runs `riffle ARGUMENTS` to the end (for `riffle keys`).
func runRiffle(_ arguments: [String]) throws -> ProcessResult {
    try runProcess(riffle, arguments, environment: ["RIFFLE_LIBRARY": ""])
}

/// A `riffle serve` process on 127.0.0.1 with an ephemeral port, over its own library (or a given one).
final class ServerProcess: @unchecked Sendable {
    let process = Process()
    let library: URL
    let port: Int
    var base: String { "http://127.0.0.1:\(port)" }
    private let output: Pipe
    private let errors = Pipe()
    /// Everything the server wrote to stderr, read when it exits.
    private(set) var errorText = ""

    /// Starts the server and waits (up to 30 s) until it listens.
    init(library: URL, arguments: [String] = []) throws {
        self.library = library
        output = Pipe()
        process.executableURL = riffle
        process.arguments = ["serve", "--port", "0", "--library", library.path, "--grace", "2"] + arguments
        var environment = ProcessInfo.processInfo.environment
        environment["RIFFLE_LIBRARY"] = nil
        process.environment = environment
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        port = try Self.listeningPort(output.fileHandleForReading, process: process, errors: errors)
    }

    /// Reads stdout until "listening on http://127.0.0.1:PORT".
    private static func listeningPort(_ handle: FileHandle, process: Process, errors: Pipe) throws -> Int {
        var text = ""
        let deadline = Date().addingTimeInterval(30)
        while Date() < deadline {
            let chunk = handle.availableData
            if chunk.isEmpty {
                if !process.isRunning {
                    let stderr = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
                    throw ServerFailure("riffle serve exited with \(process.terminationStatus): \(stderr)")
                }
                Thread.sleep(forTimeInterval: 0.05)
                continue
            }
            text += String(decoding: chunk, as: UTF8.self)
            if let range = text.range(of: #"listening on http://127\.0\.0\.1:(\d+)"#, options: .regularExpression) {
                let port = text[range].split(separator: ":").last.flatMap { Int($0) }
                if let port { return port }
            }
        }
        process.terminate()
        throw ServerFailure("riffle serve did not listen within 30 s; it printed: \(text)")
    }

    /// SIGKILL: the server gets no chance to tidy up.
    func kill9() {
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }

    /// SIGTERM, then waits for it to exit; returns its exit status.
    @discardableResult
    func terminate(timeout: Double = 30) -> Int32 {
        guard process.isRunning else { return process.terminationStatus }
        kill(process.processIdentifier, SIGTERM)
        let deadline = Date().addingTimeInterval(timeout)
        while process.isRunning, Date() < deadline { Thread.sleep(forTimeInterval: 0.05) }
        if process.isRunning { kill9() }
        errorText = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        return process.terminationStatus
    }

    deinit {
        if process.isRunning { kill9() }
    }
}

struct ServerFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// One HTTP exchange, as the tests look at it.
struct HTTPReply: Sendable {
    var status: Int
    var headers: [String: String]
    var body: Data

    func header(_ name: String) -> String? {
        headers.first { $0.key.lowercased() == name.lowercased() }?.value
    }

    var json: [String: Any] {
        (try? JSONSerialization.jsonObject(with: body)) as? [String: Any] ?? [:]
    }

    var text: String { String(decoding: body, as: UTF8.self) }
}

/// A small blocking HTTP client over URLSession (the tests run on their own threads).
enum HTTP {
    static func send(_ method: String, _ url: String, json: Any? = nil, body: Data? = nil, headers: [String: String] = [:],
                     timeout: Double = 60) throws -> HTTPReply {
        var request = URLRequest(url: URL(string: url)!, timeoutInterval: timeout)
        request.httpMethod = method
        for (name, value) in headers { request.setValue(value, forHTTPHeaderField: name) }
        if let json {
            request.httpBody = try JSONSerialization.data(withJSONObject: json)
            request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        } else if let body {
            request.httpBody = body
        }
        let box = ReplyBox()
        let done = DispatchSemaphore(value: 0)
        let configuration = URLSessionConfiguration.ephemeral
        configuration.urlCache = nil
        configuration.requestCachePolicy = .reloadIgnoringLocalCacheData
        let session = URLSession(configuration: configuration)
        session.dataTask(with: request) { data, response, error in
            if let response = response as? HTTPURLResponse {
                var headers: [String: String] = [:]
                for (name, value) in response.allHeaderFields { headers["\(name)"] = "\(value)" }
                box.reply = HTTPReply(status: response.statusCode, headers: headers, body: data ?? Data())
            }
            box.error = error
            done.signal()
        }.resume()
        done.wait()
        session.finishTasksAndInvalidate()
        guard let reply = box.reply else { throw ServerFailure("\(method) \(url): \(box.error.map { "\($0)" } ?? "no reply")") }
        return reply
    }

    static func get(_ url: String, headers: [String: String] = [:]) throws -> HTTPReply { try send("GET", url, headers: headers) }
    static func post(_ url: String, _ json: Any? = nil, headers: [String: String] = [:]) throws -> HTTPReply {
        try send("POST", url, json: json, headers: headers)
    }

    private final class ReplyBox: @unchecked Sendable {
        var reply: HTTPReply?
        var error: (any Error)?
    }
}

extension ServerProcess {
    /// Polls job `id` until it has finished (or `timeout` passes), returning its last state.
    func waitForJob(_ id: String, headers: [String: String] = [:], timeout: Double = 120) throws -> [String: Any] {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            let job = try HTTP.get("\(base)/v1/jobs/\(id)", headers: headers).json
            if let status = job["status"] as? String, !["pending", "processing"].contains(status) { return job }
            Thread.sleep(forTimeInterval: 0.2)
        }
        throw ServerFailure("job \(id) did not finish within \(timeout) s")
    }

    /// Submits `request` and waits for it to finish; returns the finished job.
    func generate(_ request: [String: Any], headers: [String: String] = [:]) throws -> [String: Any] {
        let reply = try HTTP.post("\(base)/v1/music/generate", request, headers: headers)
        guard reply.status == 202, let id = reply.json["job_id"] as? String else {
            throw ServerFailure("generate answered \(reply.status): \(reply.text)")
        }
        return try waitForJob(id, headers: headers)
    }
}

/// A mono 16-bit WAV file of a 440 Hz sine at 22050 Hz, as bytes: an upload to send.
func sineWAV(seconds: Double, rate: Int = 22050) -> Data {
    let frames = Int(seconds * Double(rate))
    var data = Data()
    func append<T: FixedWidthInteger>(_ value: T) { withUnsafeBytes(of: value.littleEndian) { data.append(contentsOf: $0) } }
    data.append(Data("RIFF".utf8)); append(UInt32(36 + frames * 2)); data.append(Data("WAVEfmt ".utf8))
    append(UInt32(16)); append(UInt16(1)); append(UInt16(1)); append(UInt32(rate)); append(UInt32(rate * 2)); append(UInt16(2)); append(UInt16(16))
    data.append(Data("data".utf8)); append(UInt32(frames * 2))
    for frame in 0..<frames { append(Int16(8000 * sin(2 * Double.pi * 440 * Double(frame) / Double(rate)))) }
    return data
}
