import Foundation
import RiffleTestSupport
import Testing

/// The `riffle` binary beside this test bundle in the build folder.
private let riffle = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("riffle")

private func run(_ arguments: [String], hub: FakeHub? = nil, token: String? = nil) throws -> ProcessResult {
    var environment: [String: String] = ["HF_ENDPOINT": hub?.endpoint ?? "http://127.0.0.1:9", "HF_TOKEN": token ?? ""]
    environment["RIFFLE_LIBRARY"] = ""
    return try runProcess(riffle, arguments, environment: environment)
}

private func fixture(_ name: String) -> String { FakeHub.fixtures.appendingPathComponent(name).path }

private func same(_ a: String, _ b: String) -> Bool { FileManager.default.contentsEqual(atPath: a, andPath: b) }

private func exists(_ path: String) -> Bool { FileManager.default.fileExists(atPath: path) }

/// The installed models as `riffle models --json` reports them.
private func listed(_ library: String) throws -> [[String: Any]] {
    let result = try run(["models", "--json", "--library", library])
    #expect(result.status == 0, "\(result.errors)")
    return try #require(try JSONSerialization.jsonObject(with: Data(result.output.utf8)) as? [[String: Any]])
}

@Suite("riffle models: list, add, and pull from a loopback hub through dropped, killed and corrupted transfers")
struct ModelsCommandTests {
    @Test("pull completes through a dropped connection: the resumed request carries Range, the files are the hub's, byte for byte")
    func pullThroughDrop() throws {
        let served = try FakeHub.repository("tiny-mono", extra: ["pytorch_model.bin": "pickle", "README.md": "# MusicGen"])
        let hub = try FakeHub(root: served.url.path, options: ["--drop", "model.safetensors:400000"])
        let library = try TemporaryDirectory()
        let result = try run(["models", "pull", "facebook/musicgen-small", "--library", library.url.path], hub: hub, token: "hf_test")
        #expect(result.status == 0, "\(result.errors)")
        // Not a terminal: no progress, only the final line.
        #expect(result.errors.isEmpty)
        #expect(result.output.hasPrefix("pulled facebook/musicgen-small (commit "))
        #expect(result.output.contains("as musicgen-small: 6 files"))

        let model = library.path("models/musicgen-small")
        for file in ["config.json", "generation_config.json", "model.safetensors", "spiece.model", "tokenizer.json", "tokenizer_config.json"] {
            #expect(same("\(model)/\(file)", served.path(file)), "\(file)")
        }
        #expect(!exists("\(model)/pytorch_model.bin") && !exists("\(model)/README.md"))
        #expect(!exists(library.path("models/.partial/musicgen-small")))

        let requests = try hub.requests()
        let weights = requests.filter { $0.path.hasPrefix("/cdn-lfs/") && $0.path.hasSuffix(FileDigestText.sha256(served.path("model.safetensors"))) }
        #expect(weights.map(\.range) == [nil, "bytes=400000-"])
        // The token goes to the hub; the CDN is this same host here, so it follows the redirect there too.
        #expect(requests.allSatisfy { $0.authorization == "Bearer hf_test" })

        let models = try listed(library.url.path)
        #expect(models.count == 1)
        #expect(models.first?["name"] as? String == "musicgen-small" && models.first?["repo"] as? String == "facebook/musicgen-small")
        #expect(models.first?["parameters"] as? Int == 343_714 && models.first?["sample_rate"] as? Int == 32000)
        #expect(models.first?["channels"] as? Int == 1)
    }

    @Test("on a terminal, pull shows bytes done of the total, the rate and the ETA")
    func progressOnTerminal() throws {
        let served = try FakeHub.repository("tiny-mono")
        // About three seconds for the whole snapshot: long enough for the rate and ETA to show.
        let hub = try FakeHub(root: served.url.path, options: ["--rate", "700000"])
        let library = try TemporaryDirectory()
        // script(1) (util-linux, in every Debian) gives the command a pseudo-terminal and copies what it writes.
        let command = "\(riffle.path) models pull facebook/musicgen-small --library \(library.url.path)"
        let result = try runProcess(URL(fileURLWithPath: "/usr/bin/script"), ["-qec", command, "/dev/null"], environment: ["HF_ENDPOINT": hub.endpoint])
        #expect(result.status == 0, "\(result.output)")
        let screens = result.output.split(separator: "\r").map(String.init)
        #expect(screens.contains { $0.contains("fetching model.safetensors (6/6)") && $0.contains("kB/s") && $0.contains("ETA ") && $0.contains(" / 2.0 MB") })
        #expect(screens.contains { $0.contains("100%") && $0.contains("checking model.safetensors") })
        #expect(result.output.contains("pulled facebook/musicgen-small"))
    }

    @Test("a pull killed mid-transfer leaves no model; the next run resumes from the partial file with Range and verifies")
    func resumeAfterKill() throws {
        let served = try FakeHub.repository("tiny-stereo")
        let hub = try FakeHub(root: served.url.path, options: ["--stall", "model.safetensors:300000"])
        let library = try TemporaryDirectory()
        let process = Process()
        process.executableURL = riffle
        process.arguments = ["models", "pull", "facebook/musicgen-small", "--name", "stereo", "--library", library.url.path]
        process.environment = ProcessInfo.processInfo.environment.merging(["HF_ENDPOINT": hub.endpoint]) { _, new in new }
        process.standardOutput = FileHandle(forWritingAtPath: "/dev/null")
        process.standardError = FileHandle(forWritingAtPath: "/dev/null")
        try process.run()
        let partial = library.path("models/.partial/stereo/model.safetensors.incomplete")
        let deadline = Date() + 60
        while Date() < deadline, (try? FileManager.default.attributesOfItem(atPath: partial)[.size] as? Int) != 300_000 {
            Thread.sleep(forTimeInterval: 0.05)
        }
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        #expect(try FileManager.default.attributesOfItem(atPath: partial)[.size] as? Int == 300_000)
        #expect(!exists(library.path("models/stereo")))
        #expect(try listed(library.url.path).isEmpty)

        let result = try run(["models", "pull", "facebook/musicgen-small", "--name", "stereo", "--library", library.url.path], hub: hub)
        #expect(result.status == 0, "\(result.errors)")
        #expect(result.output.contains("resumed from an earlier run"))
        #expect(same(library.path("models/stereo/model.safetensors"), served.path("model.safetensors")))
        let weights = try hub.requests().filter { $0.path.hasPrefix("/cdn-lfs/") && $0.path.hasSuffix(FileDigestText.sha256(served.path("model.safetensors"))) }
        #expect(weights.map(\.range) == [nil, "bytes=300000-"])
        // Files finished before the kill were kept, not fetched again.
        #expect(try hub.requests().filter { $0.path.hasSuffix("/config.json") }.count == 1)
        let models = try listed(library.url.path)
        #expect(models.first?["name"] as? String == "stereo" && models.first?["channels"] as? Int == 2)
    }

    @Test("a corrupted download fails naming the file and both hashes; nothing is installed and the bad bytes are gone")
    func corrupted() throws {
        let served = try FakeHub.repository("tiny-mono")
        let hub = try FakeHub(root: served.url.path, options: ["--corrupt", "model.safetensors"])
        let library = try TemporaryDirectory()
        let result = try run(["models", "pull", "facebook/musicgen-small", "--library", library.url.path], hub: hub)
        #expect(result.status == 4)
        let expected = FileDigestText.sha256(served.path("model.safetensors"))
        #expect(result.errors.hasPrefix("riffle: model.safetensors: the downloaded file's SHA-256 is "))
        #expect(result.errors.contains("but the hub's LFS id is \(expected)"))
        #expect(!exists(library.path("models/musicgen-small")))
        #expect(!exists(library.path("models/.partial/musicgen-small/model.safetensors.incomplete")))
        #expect(!exists(library.path("models/.partial/musicgen-small/model.safetensors")))
        #expect(try listed(library.url.path).isEmpty)
    }

    @Test("a sharded checkpoint: the index, then each shard it names; the model counts the same parameters")
    func sharded() throws {
        let served = try FakeHub.repository("tiny-mono")
        try FakeHub.shard(served.url.path)
        let hub = try FakeHub(root: served.url.path, repo: "facebook/musicgen-medium")
        let library = try TemporaryDirectory()
        let result = try run(["models", "pull", "facebook/musicgen-medium", "--library", library.url.path], hub: hub)
        #expect(result.status == 0, "\(result.errors)")
        for file in ["model.safetensors.index.json", "model-00001-of-00002.safetensors", "model-00002-of-00002.safetensors"] {
            #expect(same(library.path("models/musicgen-medium/\(file)"), served.path(file)), "\(file)")
        }
        #expect(try listed(library.url.path).first?["parameters"] as? Int == 343_714)
    }

    @Test("a repository whose config is another model type is refused at config.json, before the weights are fetched")
    func notMusicGen() throws {
        let served = try FakeHub.repository("tiny-mono", extra: ["config.json": #"{"model_type": "t5", "d_model": 8}"#])
        let hub = try FakeHub(root: served.url.path, repo: "google/t5-small")
        let library = try TemporaryDirectory()
        let result = try run(["models", "pull", "google/t5-small", "--library", library.url.path], hub: hub)
        #expect(result.status == 2)
        #expect(result.errors.contains("/models/.partial/t5-small/config.json: is a t5 model, not MusicGen"))
        #expect(try hub.requests().allSatisfy { !$0.path.hasPrefix("/cdn-lfs/") })
        #expect(!exists(library.path("models/t5-small")) && !exists(library.path("models/.partial/t5-small")))
    }

    @Test("pull says what is wrong with the id, the repository or the hub, and exits non-zero", arguments: [
        (["facebook/musicgen small"], 2, "is not a Hugging Face model id"),
        (["facebook/musicgen-tiny"], 2, "facebook/musicgen-tiny: no such model on"),
        (["facebook/musicgen-small", "--revision", "v9"], 2, "has no revision \"v9\""),
        (["facebook/musicgen-small", "--name", ".hidden"], 2, "is not a model name"),
    ])
    func pullRefusals(arguments: [String], status: Int32, message: String) throws {
        let served = try FakeHub.repository("tiny-mono")
        let hub = try FakeHub(root: served.url.path)
        let library = try TemporaryDirectory()
        let result = try run(["models", "pull"] + arguments + ["--library", library.url.path], hub: hub)
        #expect(result.status == status)
        #expect(result.errors.contains(message), "\(result.errors)")
        #expect(try listed(library.url.path).isEmpty)
    }

    @Test("pulling a model that is installed fetches nothing")
    func alreadyInstalled() throws {
        let served = try FakeHub.repository("tiny-mono")
        let hub = try FakeHub(root: served.url.path)
        let library = try TemporaryDirectory()
        #expect(try run(["models", "pull", "facebook/musicgen-small", "--library", library.url.path], hub: hub).status == 0)
        let before = try hub.requests().count
        let again = try run(["models", "pull", "facebook/musicgen-small", "--library", library.url.path], hub: hub)
        #expect(again.status == 0 && again.output.contains("already installed as musicgen-small"))
        #expect(try hub.requests().count == before)
    }

    @Test("models lists name, parameters, size on disk, sample rate and channels after add")
    func addAndList() throws {
        let library = try TemporaryDirectory()
        let mono = try run(["models", "add", fixture("tiny-mono"), "--library", library.url.path])
        #expect(mono.status == 0, "\(mono.errors)")
        #expect(mono.output.hasPrefix("installed tiny-mono: 2.0 MB in \(library.path("models/tiny-mono"))"))
        #expect(try run(["models", "add", fixture("tiny-stereo"), "--name", "stereo", "--library", library.url.path]).status == 0)

        let table = try run(["models", "--library", library.url.path])
        #expect(table.status == 0)
        let lines = table.output.split(separator: "\n").map { $0.split(separator: " ").joined(separator: " ") }
        #expect(lines == ["NAME PARAMETERS SIZE RATE CHANNELS SOURCE",
                          "stereo 368.5K 2.1 MB 32000 Hz stereo -",
                          "tiny-mono 343.7K 2.0 MB 32000 Hz mono -"])
        let models = try listed(library.url.path)
        #expect(models.map { $0["name"] as? String } == ["stereo", "tiny-mono"])
        #expect(models.map { $0["channels"] as? Int } == [2, 1])
        #expect(models.map { $0["parameters"] as? Int } == [368_482, 343_714])
        #expect(models.allSatisfy { ($0["size_bytes"] as? Int ?? 0) > 1_900_000 && $0["sample_rate"] as? Int == 32000 })
    }

    @Test("add of a folder missing spiece.model, or with another model's config, fails naming the file; nothing is installed")
    func addRefusals() throws {
        let missing = try FakeHub.repository("tiny-mono")
        try FileManager.default.removeItem(atPath: missing.path("spiece.model"))
        let other = try FakeHub.repository("tiny-mono", extra: ["config.json": #"{"model_type": "bark"}"#])
        let library = try TemporaryDirectory()

        let noTokenizer = try run(["models", "add", missing.url.path, "--name", "a", "--library", library.url.path])
        #expect(noTokenizer.status == 2)
        #expect(noTokenizer.errors == "riffle: \(missing.path("spiece.model")): is missing: the text encoder needs this sentencepiece model\n")
        let wrongType = try run(["models", "add", other.url.path, "--name", "b", "--library", library.url.path])
        #expect(wrongType.status == 2)
        #expect(wrongType.errors == "riffle: \(other.path("config.json")): is a bark model, not MusicGen\n")
        let notThere = try run(["models", "add", library.path("nowhere"), "--library", library.url.path])
        #expect(notThere.status == 2 && notThere.errors.contains("no such folder"))
        #expect(try listed(library.url.path).isEmpty)
    }
}

/// SHA-256 in hex of a file, as the hub's LFS ids are written (computed here with sha256sum, independently of Riffle).
private enum FileDigestText {
    static func sha256(_ path: String) -> String {
        let result = try? runTool("sha256sum", [path])
        return String(result?.output.split(separator: " ").first ?? "")
    }
}
