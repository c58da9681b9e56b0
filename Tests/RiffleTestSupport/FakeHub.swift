import Foundation

/// The loopback Hugging Face hub of Tests/HubServer/fake_hub.py, serving a folder as a model repository
/// on 127.0.0.1 (an ephemeral port) for as long as the value lives. Its options inject faults: see the script.
public final class FakeHub {
    /// One request the hub saw.
    public struct Request: Decodable, Sendable {
        public var method: String
        public var path: String
        public var range: String?
        public var authorization: String?
    }

    /// `http://127.0.0.1:PORT`, for HF_ENDPOINT.
    public let endpoint: String
    private let process: Process
    private let logPath: String
    private let scratch: TemporaryDirectory

    static let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("HubServer/fake_hub.py")
    static let shardScript = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("HubServer/shard_safetensors.py")
    /// Tests/Fixtures/musicgen.
    public static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/musicgen")

    /// Starts the hub serving `root` as `repo`, with the script's fault options.
    public init(root: String, repo: String = "facebook/musicgen-small", options: [String] = []) throws {
        scratch = try TemporaryDirectory()
        logPath = scratch.path("requests.jsonl")
        let started: (process: Process, port: Int)
        do {
            started = try startLoopbackScript(Self.script, ["--root", root, "--repo", repo, "--log", logPath] + options)
        } catch {
            throw FakeHubError(message: "\(error)")
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

    /// A copy of fixture `name` (Tests/Fixtures/musicgen/NAME) laid out as the hub's repository holds it:
    /// the snapshot files without the test's reference.* files, plus `extra` files (name → contents).
    public static func repository(_ name: String, extra: [String: String] = [:]) throws -> TemporaryDirectory {
        let directory = try TemporaryDirectory()
        let source = fixtures.appendingPathComponent(name)
        for file in try FileManager.default.contentsOfDirectory(atPath: source.path) where !file.hasPrefix("reference.") {
            try FileManager.default.copyItem(at: source.appendingPathComponent(file), to: directory.url.appendingPathComponent(file))
        }
        for (file, contents) in extra {
            try Data(contents.utf8).write(to: directory.url.appendingPathComponent(file))
        }
        return directory
    }

    /// Splits `folder`'s model.safetensors into two shards and an index, as the hub holds the larger models.
    public static func shard(_ folder: String) throws {
        let result = try runTool("python3", [shardScript.path, folder])
        guard result.status == 0 else { throw FakeHubError(message: "shard_safetensors.py failed: \(result.errors)") }
    }
}

public struct FakeHubError: Error, CustomStringConvertible {
    public var message: String
    public var description: String { message }
}
