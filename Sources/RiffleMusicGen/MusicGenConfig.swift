import Foundation

// config.json as transformers' MusicgenConfig writes it: model_type "musicgen" and three sub-configs. Every
// field a sub-config may omit takes transformers' default (configuration_t5.py, configuration_encodec.py,
// configuration_musicgen.py); the three sub-configs themselves are required, as MusicgenConfig requires them.

/// The whole checkpoint's configuration.
public struct MusicGenConfig: Decodable, Sendable, Equatable {
    public var textEncoder: T5Config
    public var audioEncoder: EncodecConfig
    public var decoder: MusicGenDecoderConfig

    enum CodingKeys: String, CodingKey {
        case modelType = "model_type", textEncoder = "text_encoder", audioEncoder = "audio_encoder", decoder
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        textEncoder = try container.decode(T5Config.self, forKey: .textEncoder)
        audioEncoder = try container.decode(EncodecConfig.self, forKey: .audioEncoder)
        self.decoder = try container.decode(MusicGenDecoderConfig.self, forKey: .decoder)
    }

    /// Reads and checks a config.json: its model_type must be "musicgen"; errors name the file and the field.
    public static func load(path: String) throws -> MusicGenConfig {
        let data: Data
        do { data = try Data(contentsOf: URL(fileURLWithPath: path)) } catch {
            throw CheckpointError(path, "cannot be read (\(error.localizedDescription))")
        }
        let root: Any
        do { root = try JSONSerialization.jsonObject(with: data) } catch {
            throw CheckpointError(path, "is not valid JSON")
        }
        guard let object = root as? [String: Any] else { throw CheckpointError(path, "is not a JSON object") }
        guard let modelType = object["model_type"] as? String else {
            throw CheckpointError(path, "has no model_type: not a transformers config")
        }
        guard modelType == "musicgen" else { throw CheckpointError(path, "is a \(modelType) model, not MusicGen") }
        do {
            return try JSONDecoder().decode(MusicGenConfig.self, from: data)
        } catch let error as DecodingError {
            throw CheckpointError(path, Self.explain(error))
        }
    }

    static func explain(_ error: DecodingError) -> String {
        func dotted(_ path: [any CodingKey]) -> String {
            path.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }.joined(separator: ".")
        }
        switch error {
        case .keyNotFound(let key, let context):
            return "\(dotted(context.codingPath + [key])) is missing"
        case .typeMismatch(let type, let context), .valueNotFound(let type, let context):
            return "\(dotted(context.codingPath)) is not \(type == String.self ? "a string" : "a \(type)")"
        case .dataCorrupted(let context):
            return "\(dotted(context.codingPath)): \(context.debugDescription)"
        @unknown default:
            return "\(error)"
        }
    }
}

extension KeyedDecodingContainer {
    /// The value at `key`, or transformers' default when the key is absent (null counts as absent).
    func value<T: Decodable>(_ key: Key, default fallback: T) throws -> T {
        try decodeIfPresent(T.self, forKey: key) ?? fallback
    }
}

/// The T5 text encoder (transformers' T5Config defaults).
public struct T5Config: Decodable, Sendable, Equatable {
    public var vocabSize = 32128
    public var dModel = 512
    public var dKV = 64
    public var dFF = 2048
    public var numLayers = 6
    public var numHeads = 8
    public var relativeAttentionNumBuckets = 32
    public var relativeAttentionMaxDistance = 128
    public var layerNormEpsilon = 1e-6
    public var feedForwardProj = "relu"
    public var padTokenID = 0
    public var eosTokenID = 1

    enum CodingKeys: String, CodingKey {
        case vocabSize = "vocab_size", dModel = "d_model", dKV = "d_kv", dFF = "d_ff", numLayers = "num_layers"
        case numHeads = "num_heads", relativeAttentionNumBuckets = "relative_attention_num_buckets"
        case relativeAttentionMaxDistance = "relative_attention_max_distance", layerNormEpsilon = "layer_norm_epsilon"
        case feedForwardProj = "feed_forward_proj", padTokenID = "pad_token_id", eosTokenID = "eos_token_id"
    }

    public init() {}

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let d = T5Config()
        vocabSize = try c.value(.vocabSize, default: d.vocabSize)
        dModel = try c.value(.dModel, default: d.dModel)
        dKV = try c.value(.dKV, default: d.dKV)
        dFF = try c.value(.dFF, default: d.dFF)
        numLayers = try c.value(.numLayers, default: d.numLayers)
        numHeads = try c.value(.numHeads, default: d.numHeads)
        relativeAttentionNumBuckets = try c.value(.relativeAttentionNumBuckets, default: d.relativeAttentionNumBuckets)
        relativeAttentionMaxDistance = try c.value(.relativeAttentionMaxDistance, default: d.relativeAttentionMaxDistance)
        layerNormEpsilon = try c.value(.layerNormEpsilon, default: d.layerNormEpsilon)
        feedForwardProj = try c.value(.feedForwardProj, default: d.feedForwardProj)
        padTokenID = try c.value(.padTokenID, default: d.padTokenID)
        eosTokenID = try c.value(.eosTokenID, default: d.eosTokenID)
    }
}

/// The EnCodec audio codec (transformers' EncodecConfig defaults; MusicGen's 32 kHz model overrides many).
public struct EncodecConfig: Decodable, Sendable, Equatable {
    public var targetBandwidths: [Double] = [1.5, 3.0, 6.0, 12.0, 24.0]
    public var samplingRate = 24_000
    public var audioChannels = 1
    public var normalize = false
    public var chunkLengthS: Double? = nil
    public var overlap: Double? = nil
    public var hiddenSize = 128
    public var numFilters = 32
    public var numResidualLayers = 1
    public var upsamplingRatios = [8, 5, 4, 2]
    public var normType = "weight_norm"
    public var kernelSize = 7
    public var lastKernelSize = 7
    public var residualKernelSize = 3
    public var dilationGrowthRate = 2
    public var useCausalConv = true
    public var padMode = "reflect"
    public var compress = 2
    public var numLSTMLayers = 2
    public var trimRightRatio = 1.0
    public var codebookSize = 1024
    /// transformers: `codebook_dim` defaults to `hidden_size`.
    public var codebookDim = 128
    public var useConvShortcut = true

    enum CodingKeys: String, CodingKey {
        case targetBandwidths = "target_bandwidths", samplingRate = "sampling_rate", audioChannels = "audio_channels"
        case normalize, chunkLengthS = "chunk_length_s", overlap, hiddenSize = "hidden_size", numFilters = "num_filters"
        case numResidualLayers = "num_residual_layers", upsamplingRatios = "upsampling_ratios", normType = "norm_type"
        case kernelSize = "kernel_size", lastKernelSize = "last_kernel_size", residualKernelSize = "residual_kernel_size"
        case dilationGrowthRate = "dilation_growth_rate", useCausalConv = "use_causal_conv", padMode = "pad_mode"
        case compress, numLSTMLayers = "num_lstm_layers", trimRightRatio = "trim_right_ratio"
        case codebookSize = "codebook_size", codebookDim = "codebook_dim", useConvShortcut = "use_conv_shortcut"
    }

    public init() {}

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let d = EncodecConfig()
        targetBandwidths = try c.value(.targetBandwidths, default: d.targetBandwidths)
        samplingRate = try c.value(.samplingRate, default: d.samplingRate)
        audioChannels = try c.value(.audioChannels, default: d.audioChannels)
        normalize = try c.value(.normalize, default: d.normalize)
        chunkLengthS = try c.decodeIfPresent(Double.self, forKey: .chunkLengthS)
        overlap = try c.decodeIfPresent(Double.self, forKey: .overlap)
        hiddenSize = try c.value(.hiddenSize, default: d.hiddenSize)
        numFilters = try c.value(.numFilters, default: d.numFilters)
        numResidualLayers = try c.value(.numResidualLayers, default: d.numResidualLayers)
        upsamplingRatios = try c.value(.upsamplingRatios, default: d.upsamplingRatios)
        normType = try c.value(.normType, default: d.normType)
        kernelSize = try c.value(.kernelSize, default: d.kernelSize)
        lastKernelSize = try c.value(.lastKernelSize, default: d.lastKernelSize)
        residualKernelSize = try c.value(.residualKernelSize, default: d.residualKernelSize)
        dilationGrowthRate = try c.value(.dilationGrowthRate, default: d.dilationGrowthRate)
        useCausalConv = try c.value(.useCausalConv, default: d.useCausalConv)
        padMode = try c.value(.padMode, default: d.padMode)
        compress = try c.value(.compress, default: d.compress)
        numLSTMLayers = try c.value(.numLSTMLayers, default: d.numLSTMLayers)
        trimRightRatio = try c.value(.trimRightRatio, default: d.trimRightRatio)
        codebookSize = try c.value(.codebookSize, default: d.codebookSize)
        codebookDim = try c.value(.codebookDim, default: hiddenSize)
        useConvShortcut = try c.value(.useConvShortcut, default: d.useConvShortcut)
    }

    /// Audio samples per codec frame: the product of the upsampling ratios.
    public var hopLength: Int { upsamplingRatios.reduce(1, *) }
}

/// The MusicGen decoder LM (transformers' MusicgenDecoderConfig defaults).
public struct MusicGenDecoderConfig: Decodable, Sendable, Equatable {
    public var vocabSize = 2048
    public var maxPositionEmbeddings = 2048
    public var numHiddenLayers = 24
    public var ffnDim = 4096
    public var numAttentionHeads = 16
    public var activationFunction = "gelu"
    public var hiddenSize = 1024
    public var scaleEmbedding = false
    public var numCodebooks = 4
    public var audioChannels = 1
    public var padTokenID = 2048
    public var bosTokenID = 2048
    public var eosTokenID: Int? = nil
    public var tieWordEmbeddings = false

    enum CodingKeys: String, CodingKey {
        case vocabSize = "vocab_size", maxPositionEmbeddings = "max_position_embeddings"
        case numHiddenLayers = "num_hidden_layers", ffnDim = "ffn_dim", numAttentionHeads = "num_attention_heads"
        case activationFunction = "activation_function", hiddenSize = "hidden_size", scaleEmbedding = "scale_embedding"
        case numCodebooks = "num_codebooks", audioChannels = "audio_channels", padTokenID = "pad_token_id"
        case bosTokenID = "bos_token_id", eosTokenID = "eos_token_id", tieWordEmbeddings = "tie_word_embeddings"
    }

    public init() {}

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let d = MusicGenDecoderConfig()
        vocabSize = try c.value(.vocabSize, default: d.vocabSize)
        maxPositionEmbeddings = try c.value(.maxPositionEmbeddings, default: d.maxPositionEmbeddings)
        numHiddenLayers = try c.value(.numHiddenLayers, default: d.numHiddenLayers)
        ffnDim = try c.value(.ffnDim, default: d.ffnDim)
        numAttentionHeads = try c.value(.numAttentionHeads, default: d.numAttentionHeads)
        activationFunction = try c.value(.activationFunction, default: d.activationFunction)
        hiddenSize = try c.value(.hiddenSize, default: d.hiddenSize)
        scaleEmbedding = try c.value(.scaleEmbedding, default: d.scaleEmbedding)
        numCodebooks = try c.value(.numCodebooks, default: d.numCodebooks)
        audioChannels = try c.value(.audioChannels, default: d.audioChannels)
        padTokenID = try c.value(.padTokenID, default: d.padTokenID)
        bosTokenID = try c.value(.bosTokenID, default: d.bosTokenID)
        eosTokenID = try c.decodeIfPresent(Int.self, forKey: .eosTokenID)
        tieWordEmbeddings = try c.value(.tieWordEmbeddings, default: d.tieWordEmbeddings)
    }
}
