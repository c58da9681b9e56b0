import Foundation
import RiffleTestSupport
import Testing
@testable import RiffleMusicGen

/// What the codec refuses at load: snapshots missing a tensor, and configs it does not compute.
@Suite("EnCodec refuses incomplete snapshots and unsupported configs")
struct EncodecLoadingTests {
    /// A copy of tiny-mono in a temporary folder, with `dropping` left out of the weights and `config` edits
    /// applied to config.json's audio_encoder.
    func snapshot(dropping dropped: String? = nil, config edits: [String: Any] = [:]) throws -> (TemporaryDirectory, ModelSnapshot) {
        let source = try ReferenceFixture("tiny-mono")
        let directory = try TemporaryDirectory()
        let data = try Data(contentsOf: URL(fileURLWithPath: source.folder + "/config.json"))
        var config = try #require(JSONSerialization.jsonObject(with: data) as? [String: Any])
        var audio = try #require(config["audio_encoder"] as? [String: Any])
        for (key, value) in edits { audio[key] = value }
        config["audio_encoder"] = audio
        try JSONSerialization.data(withJSONObject: config).write(to: URL(fileURLWithPath: directory.path("config.json")))

        var tensors: [TensorSpec] = []
        for name in source.snapshot.tensorNames where name != dropped {
            let tensor = try #require(source.snapshot.tensor(named: name))
            tensors.append(TensorSpec(name: name, dtype: tensor.dtype.rawValue, shape: tensor.shape, data: Array(tensor.bytes)))
        }
        #expect(dropped == nil || tensors.count == source.snapshot.tensorNames.count - 1, "\(dropped ?? "") is not in tiny-mono")
        try write(safetensors(tensors), to: directory.path("model.safetensors"))
        return (directory, try ModelSnapshot(folder: directory.url.path))
    }

    @Test("the unchanged copy loads (so the refusals below are the edits' doing)")
    func control() throws {
        let (_, snapshot) = try snapshot()
        #expect(try EncodecCodec(snapshot: snapshot).numCodebooks == 4)
    }

    @Test("a missing tensor is named", arguments: [
        "audio_encoder.decoder.layers.0.conv.bias",
        "audio_encoder.decoder.layers.1.lstm.weight_hh_l1",
        "audio_encoder.decoder.layers.12.conv.parametrizations.weight.original1",
        "audio_encoder.encoder.layers.7.block.1.conv.parametrizations.weight.original0",
        "audio_encoder.encoder.layers.15.conv.bias",
        "audio_encoder.quantizer.layers.3.codebook.embed",
    ])
    func missingTensor(_ name: String) throws {
        let (_, snapshot) = try snapshot(dropping: name)
        let error = try #require(throws: CheckpointError.self) { try EncodecCodec(snapshot: snapshot) }
        #expect(error.problem.contains(name), "\(error)")
    }

    @Test("an unsupported setting is named, with config.json as the path", arguments: [
        ("use_causal_conv", "true"), ("normalize", "true"), ("chunk_length_s", "1.0"), ("pad_mode", "\"constant\""),
        ("norm_type", "\"time_group_norm\""), ("audio_channels", "2"), ("trim_right_ratio", "0.5"),
        ("codebook_size", "48"), ("codebook_dim", "8"),
    ])
    func unsupportedSetting(_ key: String, _ json: String) throws {
        let value = try JSONSerialization.jsonObject(with: Data(json.utf8), options: .fragmentsAllowed)
        let (_, snapshot) = try snapshot(config: [key: value])
        let error = try #require(throws: CheckpointError.self) { try EncodecCodec(snapshot: snapshot) }
        #expect(error.path.hasSuffix("config.json"), "\(error)")
        #expect(error.problem.contains("audio_encoder.\(key)"), "\(error)")
    }

    @Test("a tensor of the wrong shape for the config is named with both shapes")
    func wrongShape() throws {
        // hidden_size 16 → 8 keeps the codebook dimension consistent but no longer fits the stored weights.
        let (_, snapshot) = try snapshot(config: ["hidden_size": 8, "codebook_dim": 8])
        let error = try #require(throws: CheckpointError.self) { try EncodecCodec(snapshot: snapshot) }
        #expect(error.problem.contains("[8, 64, 7]") || error.problem.contains("[64, 8, 7]"), "\(error)")
    }
}
