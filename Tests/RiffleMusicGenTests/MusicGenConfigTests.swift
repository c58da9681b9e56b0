import Foundation
import RiffleTestSupport
import Testing
@testable import RiffleMusicGen

/// musicgen-small's config.json, the fields that matter (as the hub has it).
let smallConfig = #"""
{
  "model_type": "musicgen",
  "architectures": ["MusicgenForConditionalGeneration"],
  "text_encoder": {"model_type": "t5", "d_model": 768, "d_kv": 64, "d_ff": 3072, "num_layers": 12, "num_heads": 12,
                   "relative_attention_num_buckets": 32, "relative_attention_max_distance": 128, "vocab_size": 32128,
                   "layer_norm_epsilon": 1e-06, "feed_forward_proj": "relu"},
  "audio_encoder": {"model_type": "encodec", "sampling_rate": 32000, "audio_channels": 1, "codebook_size": 2048,
                    "num_filters": 64, "upsampling_ratios": [8, 5, 4, 4], "hidden_size": 128, "num_lstm_layers": 2,
                    "num_residual_layers": 1, "kernel_size": 7, "last_kernel_size": 7, "residual_kernel_size": 3,
                    "dilation_growth_rate": 2, "compress": 2, "norm_type": "weight_norm", "codebook_dim": 128,
                    "use_causal_conv": false, "use_conv_shortcut": false, "target_bandwidths": [2.2],
                    "chunk_length_s": null, "overlap": null, "pad_mode": "reflect", "trim_right_ratio": 1.0},
  "decoder": {"model_type": "musicgen_decoder", "hidden_size": 1024, "num_hidden_layers": 24, "num_attention_heads": 16,
              "ffn_dim": 4096, "num_codebooks": 4, "vocab_size": 2048, "max_position_embeddings": 2048,
              "activation_function": "gelu", "audio_channels": 1, "pad_token_id": 2048, "bos_token_id": 2048,
              "scale_embedding": false, "tie_word_embeddings": false}
}
"""#

@Suite("config.json: transformers' MusicgenConfig, with its defaults")
struct MusicGenConfigTests {
    func load(_ text: String) throws -> MusicGenConfig {
        let directory = try TemporaryDirectory()
        let path = directory.path("config.json")
        try write(text, to: path)
        return try MusicGenConfig.load(path: path)
    }

    func loadError(_ text: String) throws -> CheckpointError? {
        let directory = try TemporaryDirectory()
        let path = directory.path("config.json")
        try write(text, to: path)
        let error = checkpointError { _ = try MusicGenConfig.load(path: path) }
        #expect(error?.path == path)
        return error
    }

    @Test("musicgen-small's fields are read as written")
    func small() throws {
        let config = try load(smallConfig)
        #expect(config.textEncoder.dModel == 768 && config.textEncoder.numLayers == 12 && config.textEncoder.dFF == 3072)
        #expect(config.textEncoder.layerNormEpsilon == 1e-6 && config.textEncoder.feedForwardProj == "relu")
        #expect(config.audioEncoder.samplingRate == 32000 && config.audioEncoder.codebookSize == 2048)
        #expect(config.audioEncoder.upsamplingRatios == [8, 5, 4, 4] && config.audioEncoder.hopLength == 640)
        #expect(config.audioEncoder.numFilters == 64 && !config.audioEncoder.useCausalConv && !config.audioEncoder.useConvShortcut)
        #expect(config.audioEncoder.chunkLengthS == nil && config.audioEncoder.targetBandwidths == [2.2])
        #expect(config.decoder.hiddenSize == 1024 && config.decoder.numCodebooks == 4 && config.decoder.ffnDim == 4096)
        #expect(config.decoder.padTokenID == 2048 && config.decoder.bosTokenID == 2048 && config.decoder.eosTokenID == nil)
    }

    @Test("missing optional fields take transformers' defaults; codebook_dim follows hidden_size")
    func defaults() throws {
        let config = try load(#"{"model_type": "musicgen", "text_encoder": {}, "audio_encoder": {"hidden_size": 96}, "decoder": {}}"#)
        #expect(config.textEncoder == T5Config())
        #expect(config.textEncoder.vocabSize == 32128 && config.textEncoder.dModel == 512 && config.textEncoder.numHeads == 8)
        #expect(config.audioEncoder.samplingRate == 24000 && config.audioEncoder.upsamplingRatios == [8, 5, 4, 2])
        #expect(config.audioEncoder.hiddenSize == 96 && config.audioEncoder.codebookDim == 96)
        #expect(config.audioEncoder.useCausalConv && config.audioEncoder.numLSTMLayers == 2 && config.audioEncoder.codebookSize == 1024)
        #expect(config.decoder == MusicGenDecoderConfig())
        #expect(config.decoder.numHiddenLayers == 24 && config.decoder.vocabSize == 2048 && config.decoder.activationFunction == "gelu")
    }

    @Test("a missing sub-config, a wrongly typed field, another model or no model_type is an error naming it")
    func refused() throws {
        #expect(try loadError(#"{"model_type": "musicgen", "text_encoder": {}, "audio_encoder": {}}"#)?.problem == "decoder is missing")
        #expect(try loadError(#"{"model_type": "musicgen", "text_encoder": {}, "audio_encoder": {}, "decoder": {"hidden_size": "big"}}"#)?
            .problem.hasPrefix("decoder.hidden_size is not") == true)
        #expect(try loadError(#"{"model_type": "t5", "d_model": 512}"#)?.problem == "is a t5 model, not MusicGen")
        #expect(try loadError(#"{"text_encoder": {}}"#)?.problem.contains("has no model_type") == true)
        #expect(try loadError("[1]")?.problem == "is not a JSON object")
        #expect(try loadError("{")?.problem == "is not valid JSON")
    }
}
