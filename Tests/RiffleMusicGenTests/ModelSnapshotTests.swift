import Foundation
import RiffleTestSupport
import Testing
@testable import RiffleMusicGen

let tinyConfig = #"{"model_type": "musicgen", "text_encoder": {"d_model": 8}, "audio_encoder": {}, "decoder": {"hidden_size": 16}}"#

@Suite("a Hugging Face snapshot folder: config, one file or shards, the tokenizer")
struct ModelSnapshotTests {
    /// A folder with two shards and their index.
    func sharded() throws -> TemporaryDirectory {
        let directory = try TemporaryDirectory()
        try write(tinyConfig, to: directory.path("config.json"))
        try write(safetensors([.f32("a.weight", [2], [1, 2]), .f16("b.weight", [1], [3])]), to: directory.path("model-00001-of-00002.safetensors"))
        try write(safetensors([.bf16("c.weight", [2], [4, 5])]), to: directory.path("model-00002-of-00002.safetensors"))
        try write(#"""
        {"metadata": {"total_size": 14}, "weight_map": {"a.weight": "model-00001-of-00002.safetensors",
         "b.weight": "model-00001-of-00002.safetensors", "c.weight": "model-00002-of-00002.safetensors"}}
        """#, to: directory.path("model.safetensors.index.json"))
        return directory
    }

    @Test("one model.safetensors: the config and every tensor")
    func single() throws {
        let directory = try TemporaryDirectory()
        try write(tinyConfig, to: directory.path("config.json"))
        try write(safetensors([.f32("x.weight", [1, 2], [0.5, 1])]), to: directory.path("model.safetensors"))
        let snapshot = try ModelSnapshot(folder: directory.url.path)
        #expect(snapshot.config.textEncoder.dModel == 8 && snapshot.config.decoder.hiddenSize == 16)
        #expect(snapshot.tensorNames == ["x.weight"] && snapshot.files.count == 1)
        #expect(try snapshot.require("x.weight").floats() == [0.5, 1])
        #expect(snapshot.tensor(named: "y.weight") == nil)
        #expect(checkpointError { _ = try snapshot.require("y.weight") }?.problem == "has no tensor y.weight")
    }

    @Test("shards with an index: a tensor is found in whichever shard holds it")
    func shards() throws {
        let directory = try sharded()
        let snapshot = try ModelSnapshot(folder: directory.url.path)
        #expect(snapshot.files.count == 2)
        #expect(snapshot.tensorNames == ["a.weight", "b.weight", "c.weight"])
        #expect(try snapshot.require("a.weight").floats() == [1, 2])
        #expect(try snapshot.require("b.weight").floats() == [3])
        #expect(try snapshot.require("c.weight").floats() == [4, 5])
        #expect(try snapshot.require("c.weight").dtype == .bf16)
    }

    @Test("an index naming a missing shard, or a tensor its shard lacks, is an error naming both")
    func brokenIndex() throws {
        let directory = try sharded()
        try FileManager.default.removeItem(atPath: directory.path("model-00002-of-00002.safetensors"))
        let missing = checkpointError { _ = try ModelSnapshot(folder: directory.url.path) }
        #expect(missing?.path.hasSuffix("model.safetensors.index.json") == true)
        #expect(missing?.problem.contains("model-00002-of-00002.safetensors") == true && missing?.problem.contains("missing") == true)

        let other = try sharded()
        try write(#"{"weight_map": {"a.weight": "model-00002-of-00002.safetensors"}}"#, to: other.path("model.safetensors.index.json"))
        let misplaced = checkpointError { _ = try ModelSnapshot(folder: other.url.path) }
        #expect(misplaced?.problem == "puts tensor a.weight in model-00002-of-00002.safetensors, which has no such tensor")

        try write(#"{"weight_map": {"a.weight": "../model-00001-of-00002.safetensors"}}"#, to: other.path("model.safetensors.index.json"))
        #expect(checkpointError { _ = try ModelSnapshot(folder: other.url.path) }?.problem.contains("not a file in the snapshot folder") == true)
    }

    @Test("no config.json, another model's config, no weights or no folder: errors that say so")
    func notASnapshot() throws {
        let directory = try TemporaryDirectory()
        let folder = directory.url.path
        let noConfig = checkpointError { _ = try ModelSnapshot(folder: folder) }
        #expect(noConfig?.path == directory.path("config.json"))
        #expect(noConfig?.description.hasSuffix("config.json: is missing: this folder is not a Hugging Face snapshot") == true)

        try write(#"{"model_type": "t5", "d_model": 512}"#, to: directory.path("config.json"))
        #expect(checkpointError { _ = try ModelSnapshot(folder: folder) }?.problem == "is a t5 model, not MusicGen")

        try write(tinyConfig, to: directory.path("config.json"))
        let noWeights = checkpointError { _ = try ModelSnapshot(folder: folder) }
        #expect(noWeights?.path == folder && noWeights?.problem.contains("has no weights") == true)

        #expect(checkpointError { _ = try ModelSnapshot(folder: directory.path("nope")) }?.problem == "is not a folder")
    }

    @Test("spiece.model is required for text: its absence is an error naming it")
    func tokenizer() throws {
        let directory = try sharded()
        let snapshot = try ModelSnapshot(folder: directory.url.path)
        let error = checkpointError { _ = try snapshot.tokenizerModelPath() }
        #expect(error?.path == directory.path("spiece.model") && error?.problem.hasPrefix("is missing") == true)
        try write("not really sentencepiece", to: directory.path("spiece.model"))
        #expect(try snapshot.tokenizerModelPath() == directory.path("spiece.model"))
    }

    /// transformers' tiny reference checkpoints, committed with the tests (Tests/Fixtures/musicgen/README.md
    /// says how scripts/musicgen/make_fixtures.py made them).
    static let referenceFolder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/musicgen").path

    @Test("transformers' tiny checkpoints open, and both weight-norm namings fold to the same weights")
    func reference() throws {
        let current = try ModelSnapshot(folder: "\(Self.referenceFolder)/tiny-mono")
        let hub = try ModelSnapshot(folder: "\(Self.referenceFolder)/tiny-mono-weightnorm")
        let config = current.config
        #expect(config.textEncoder.dModel == 32 && config.textEncoder.vocabSize == 320 && config.textEncoder.numLayers == 2)
        #expect(config.decoder.hiddenSize == 48 && config.decoder.numCodebooks == 4 && config.decoder.padTokenID == 64)
        #expect(config.audioEncoder.hopLength == 640 && config.audioEncoder.codebookSize == 64 && config.audioEncoder.codebookDim == 16)
        #expect(hub.config == config)
        #expect(try current.tokenizerModelPath().hasSuffix("spiece.model"))
        for name in current.tensorNames { _ = try current.require(name).floats() }

        let suffix = ".parametrizations.weight.original0"
        let modules = current.tensorNames.filter { $0.hasSuffix(suffix) }.map { String($0.dropLast(suffix.count)) }
        #expect(!modules.isEmpty)
        #expect(hub.tensorNames.filter { $0.hasSuffix(".weight_g") }.count == modules.count)
        for module in modules {
            let a = try current.effectiveWeight(of: module), b = try hub.effectiveWeight(of: module)
            #expect(a == b, "\(module)")
            let v = try current.require("\(module).parametrizations.weight.original1")
            let vValues = try v.floats()
            #expect(a.shape == v.shape && a.values != vValues, "\(module): folding changes v")
        }
        // The recorded outputs are a safetensors file too, with int64 token ids.
        let recorded = try SafeTensorsFile(path: "\(Self.referenceFolder)/tiny-mono/reference.safetensors")
        #expect(!recorded.names.isEmpty)
    }
}
