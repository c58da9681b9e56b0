import Foundation
import RiffleTestSupport
import Testing
@testable import RiffleApp

/// MusicGen's files, as the command line passes them (the layout itself is generic).
private let layout = SnapshotLayout(required: ["config.json", "spiece.model"], optional: ["generation_config.json", "tokenizer.json"])

private func fixture(_ name: String) -> String { FakeHub.fixtures.appendingPathComponent(name).path }

private func names(_ folder: String) throws -> [String] { try FileManager.default.contentsOfDirectory(atPath: folder).sorted() }

@Suite("the models folder: resolving --model, adding a snapshot, pulling one whole or not at all")
struct ModelStoreTests {
    @Test("add copies the snapshot's files only, and lists it with its size")
    func add() throws {
        let library = try TemporaryDirectory()
        let store = ModelStore(library: library.url)
        let model = try store.add(from: fixture("tiny-mono"), layout: layout) { _ in }
        #expect(model.name == "tiny-mono" && model.folder == library.path("models/tiny-mono"))
        #expect(try names(model.folder) == [".riffle-source.json", "config.json", "generation_config.json", "model.safetensors",
                                            "spiece.model", "tokenizer.json"])
        for file in ["config.json", "model.safetensors", "spiece.model"] {
            #expect(FileManager.default.contentsEqual(atPath: "\(model.folder)/\(file)", andPath: "\(fixture("tiny-mono"))/\(file)"))
        }
        let listed = try store.installed()
        #expect(listed.map(\.name) == ["tiny-mono"])
        #expect(listed[0].bytes == ModelStore.bytes(in: URL(fileURLWithPath: model.folder)) && listed[0].bytes > 1_000_000)
        #expect(listed[0].source?.folder == fixture("tiny-mono"))
    }

    @Test("a folder of the hub's cache: the name from models--owner--name, symbolic links copied as the files they point to")
    func hubCache() throws {
        let cache = try TemporaryDirectory()
        let repo = cache.url.appendingPathComponent("models--facebook--musicgen-small")
        let snapshot = repo.appendingPathComponent("snapshots/0123abc")
        try FileManager.default.createDirectory(at: repo.appendingPathComponent("blobs"), withIntermediateDirectories: true)
        try FileManager.default.createDirectory(at: snapshot, withIntermediateDirectories: true)
        for file in ["config.json", "model.safetensors", "spiece.model"] {
            let blob = repo.appendingPathComponent("blobs/\(file).blob")
            try FileManager.default.copyItem(atPath: "\(fixture("tiny-mono"))/\(file)", toPath: blob.path)
            try FileManager.default.createSymbolicLink(atPath: snapshot.appendingPathComponent(file).path, withDestinationPath: "../../blobs/\(file).blob")
        }
        let library = try TemporaryDirectory()
        let model = try ModelStore(library: library.url).add(from: snapshot.path, layout: layout) { _ in }
        #expect(model.name == "musicgen-small")
        let weights = "\(model.folder)/model.safetensors"
        #expect(try FileManager.default.attributesOfItem(atPath: weights)[.type] as? FileAttributeType == .typeRegular)
        #expect(FileManager.default.contentsEqual(atPath: weights, andPath: "\(fixture("tiny-mono"))/model.safetensors"))
    }

    @Test("add refuses a taken name, a bad name, and a folder its check rejects; nothing is installed")
    func addRefusals() throws {
        let library = try TemporaryDirectory()
        let store = ModelStore(library: library.url)
        _ = try store.add(from: fixture("tiny-mono"), name: "small", layout: layout) { _ in }
        let taken = try #require(throws: AppError.self) { try store.add(from: fixture("tiny-stereo"), name: "small", layout: layout) { _ in } }
        #expect(taken.kind == .badInput && taken.description.hasPrefix("a model named small is already installed"))
        let bad = try #require(throws: AppError.self) { try store.add(from: fixture("tiny-stereo"), name: "../x", layout: layout) { _ in } }
        #expect(bad.description.contains("--name \"../x\" is not a model name"))
        struct Rejected: Error {}
        #expect(throws: Rejected.self) { try store.add(from: fixture("tiny-stereo"), layout: layout) { _ in throw Rejected() } }
        let missing = try #require(throws: AppError.self) { try store.add(from: library.path("nowhere"), layout: layout) { _ in } }
        #expect(missing.description == "\(library.path("nowhere")): no such folder")
        #expect(try store.installed().map(\.name) == ["small"])
    }

    @Test("resolve: a path that exists wins, then an installed name, then the hub id it came from; else an error listing the names")
    func resolve() throws {
        let library = try TemporaryDirectory()
        let store = ModelStore(library: library.url)
        _ = try store.add(from: fixture("tiny-mono"), name: "musicgen-small", layout: layout) { _ in }
        _ = try store.add(from: fixture("tiny-stereo"), name: "stereo", layout: layout) { _ in }
        try ModelSource(repo: "facebook/musicgen-stereo-small", commit: "abc").write(in: store.modelFolder("stereo"))

        #expect(try store.resolve("musicgen-small") == library.path("models/musicgen-small"))
        #expect(try store.resolve("facebook/musicgen-small") == library.path("models/musicgen-small"))
        #expect(try store.resolve("facebook/musicgen-stereo-small") == library.path("models/stereo"))
        #expect(try store.resolve(fixture("tiny-stereo")) == fixture("tiny-stereo"))

        let unknown = try #require(throws: AppError.self) { try store.resolve("musicgen-medium") }
        #expect(unknown.kind == .unknownID)
        #expect(unknown.description.contains("no model \"musicgen-medium\" is installed (installed: musicgen-small, stereo)"))
        #expect(unknown.description.contains("`riffle models pull facebook/musicgen-medium`"))
        let file = try #require(throws: AppError.self) { try store.resolve("\(fixture("tiny-mono"))/config.json") }
        #expect(file.kind == .badInput && file.description.contains("is a file"))
        let empty = try #require(throws: AppError.self) { try ModelStore(library: try TemporaryDirectory().url).resolve("./gone") }
        #expect(empty.description == "./gone: no such folder (no model is installed)")
    }

    @Test("while one process stages a model, another installing the same name is refused")
    func staged() throws {
        let library = try TemporaryDirectory()
        let store = ModelStore(library: library.url)
        var held: StagingLock? = try StagingLock(store: store, name: "tiny")
        let busy = try #require(throws: AppError.self) { try store.add(from: fixture("tiny-mono"), name: "tiny", layout: layout) { _ in } }
        #expect(busy.kind == .conflict && busy.description.hasPrefix("another riffle is installing tiny right now"))
        #expect(held != nil)
        held = nil
        _ = try store.add(from: fixture("tiny-mono"), name: "tiny", layout: layout) { _ in }
    }

    @Test("the staging area and other hidden folders are not models")
    func hidden() throws {
        let library = try TemporaryDirectory()
        let store = ModelStore(library: library.url)
        try FileManager.default.createDirectory(at: store.staging("half"), withIntermediateDirectories: true)
        try FileManager.default.createDirectory(at: store.folder.appendingPathComponent(".trash"), withIntermediateDirectories: true)
        #expect(try store.installed().isEmpty)
        #expect(throws: AppError.self) { try store.resolve("half") }
    }

    @Test("which files a layout takes: required, optional, one weights file or the shards the index names")
    func selection() throws {
        let single = try layout.select(available: ["config.json", "spiece.model", "model.safetensors", "pytorch_model.bin", "README.md", "tokenizer.json"],
                                       place: "x") { [] }
        #expect(single == ["config.json", "spiece.model", "tokenizer.json", "model.safetensors"])
        let sharded = try layout.select(available: ["config.json", "spiece.model", "model.safetensors.index.json", "a.safetensors", "b.safetensors"],
                                        place: "x") { ["a.safetensors", "b.safetensors"] }
        #expect(sharded == ["config.json", "spiece.model", "model.safetensors.index.json", "a.safetensors", "b.safetensors"])
        let noSpiece = try #require(throws: AppError.self) { try layout.select(available: ["config.json", "model.safetensors"], place: "dir") { [] } }
        #expect(noSpiece.description.hasPrefix("dir has no spiece.model"))
        let pickle = try #require(throws: AppError.self) {
            try layout.select(available: ["config.json", "spiece.model", "pytorch_model.bin"], place: "dir") { [] }
        }
        #expect(pickle.description.contains("no safetensors weights") && pickle.description.contains("only pytorch_model.bin"))
        let lost = try #require(throws: AppError.self) {
            try layout.select(available: ["config.json", "spiece.model", "model.safetensors.index.json", "a.safetensors"], place: "dir") {
                ["a.safetensors", "b.safetensors"]
            }
        }
        #expect(lost.description.contains("not there: b.safetensors"))
    }

    @Test("a pull whose check fails leaves nothing: no model, no staged files")
    func pullRejected() throws {
        let served = try FakeHub.repository("tiny-mono")
        let hub = try FakeHub(root: served.url.path)
        let library = try TemporaryDirectory()
        let store = ModelStore(library: library.url)
        let pull = ModelPull(store: store, hub: HubClient(settings: try HubSettings(endpoint: URL(string: hub.endpoint)!)), layout: layout)
        struct NotThisModel: Error {}
        #expect(throws: NotThisModel.self) {
            try pull.run(try HubRepoID("facebook/musicgen-small"), checkConfig: { _ in throw NotThisModel() })
        }
        #expect(!FileManager.default.fileExists(atPath: store.staging("musicgen-small").path))
        // Rejected at config.json: the weights were never asked for.
        #expect(try hub.requests().allSatisfy { !$0.path.hasSuffix("model.safetensors") && !$0.path.hasPrefix("/cdn-lfs/") })
        #expect(throws: NotThisModel.self) { try pull.run(try HubRepoID("facebook/musicgen-small"), check: { _ in throw NotThisModel() }) }
        #expect(try store.installed().isEmpty && !FileManager.default.fileExists(atPath: store.staging("musicgen-small").path))

        let installed = try pull.run(try HubRepoID("facebook/musicgen-small"))
        #expect(!installed.alreadyInstalled && installed.files == 5 && installed.bytesResumed == 0)
        let again = try pull.run(try HubRepoID("facebook/musicgen-small"))
        #expect(again.alreadyInstalled && again.model == installed.model)
        let clash = try #require(throws: AppError.self) { try pull.run(try HubRepoID("someone/musicgen-small")) }
        #expect(clash.description.hasPrefix("a model named musicgen-small is already installed"))
    }
}
