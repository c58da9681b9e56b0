import Foundation

/// MusicGen's EnCodec audio codec, as transformers' EncodecModel computes it: codes → audio (decode, for
/// generation) and audio → codes (encode, for continuing a given clip). One channel at a time: stereo
/// MusicGen codes each channel apart with this same mono codec.
///
/// Only the configuration MusicGen's checkpoints use is supported: weight norm, non-causal convolutions with
/// reflect padding, no input normalization, no chunking, mono. Anything else is refused at load with a
/// CheckpointError naming the setting, rather than decoded into wrong audio. Immutable after init, so one
/// codec may serve several threads.
public final class EncodecCodec: @unchecked Sendable {
    /// Audio samples per second (32000 for MusicGen).
    public let sampleRate: Int
    /// Audio samples per frame of codes: the product of the upsampling ratios (640 for MusicGen).
    public let hopLength: Int
    /// The codebooks the quantizer has: transformers 5's num_quantizers,
    /// 1000 · target_bandwidths.last // (ceil(sampleRate / hopLength) · ceil(log2 codebook_size)) (4 for MusicGen).
    public let numCodebooks: Int
    /// The codebooks `encode` fills: transformers' count for its default bandwidth, target_bandwidths.first
    /// (at most numCodebooks; equal to it whenever the config lists one bandwidth, as MusicGen's do).
    let encodeCodebooks: Int
    let config: EncodecConfig
    let encoder: SEANetEncoder
    let decoder: SEANetDecoder
    let quantizer: ResidualVectorQuantizer

    /// Frames of codes per second of audio (50 for MusicGen).
    public var frameRate: Double { Double(sampleRate) / Double(hopLength) }

    /// Loads the snapshot's `audio_encoder.*` tensors (encoder, decoder and quantizer) for its config.
    public convenience init(snapshot: ModelSnapshot) throws {
        try self.init(config: snapshot.config.audioEncoder, weights: snapshot, module: "audio_encoder",
                      configPath: URL(fileURLWithPath: snapshot.folder).appendingPathComponent("config.json").path)
    }

    /// The codec of `config` with its tensors under `module` in `weights`; config errors name `configPath`.
    init(config: EncodecConfig, weights: any TensorSource, module: String, configPath: String) throws {
        try Self.check(config, path: configPath)
        let (total, forEncode) = Self.codebookCounts(config)
        guard total >= 1 else {
            throw CheckpointError(configPath, "audio_encoder.target_bandwidths \(config.targetBandwidths) leave no codebook at codebook_size \(config.codebookSize)")
        }
        self.config = config
        sampleRate = config.samplingRate
        hopLength = config.hopLength
        numCodebooks = total
        encodeCodebooks = min(forEncode, total)
        encoder = try SEANetEncoder(weights, "\(module).encoder", config: config)
        decoder = try SEANetDecoder(weights, "\(module).decoder", config: config)
        quantizer = try ResidualVectorQuantizer.load(weights, "\(module).quantizer", codebookCount: total,
                                                     codebookSize: config.codebookSize, dimension: config.codebookDim)
    }

    /// Audio of one channel for `frames` frames of codes laid out codebook-major: codes[k · frames + t].
    ///
    /// Returns frames · hopLength samples. The codes may cover fewer codebooks than numCodebooks (the first
    /// codes.count / frames are summed, as transformers does); each must lie in 0..<codebook_size.
    public func decode(codes: [Int32], frames: Int) -> [Float] {
        guard frames > 0 else { return [] }
        return decoder(dequantize(codes: codes, frames: frames)).values
    }

    /// Codes (codebook-major, encodeCodebooks × frames, which is numCodebooks × frames for MusicGen's configs)
    /// for one channel of audio at sampleRate; frames = ceil(samples.count / hopLength).
    public func encode(_ samples: [Float]) -> (codes: [Int32], frames: Int) {
        guard !samples.isEmpty else { return ([], 0) }
        let embeddings = encoderOutput(samples)
        return (quantize(embeddings), embeddings.length)
    }

    /// The SEANet encoder's output for one channel: codebook dimension × frames, before quantization.
    func encoderOutput(_ samples: [Float]) -> CodecSignal {
        encoder(CodecSignal(channels: 1, length: samples.count, values: samples))
    }

    /// The codes of encoder output, codebook-major (encodeCodebooks × frames).
    func quantize(_ embeddings: CodecSignal) -> [Int32] {
        quantizer.encode(embeddings, codebooks: encodeCodebooks)
    }

    /// The summed codebook vectors of codes (codebook-major): codebook dimension × frames.
    func dequantize(codes: [Int32], frames: Int) -> CodecSignal {
        quantizer.decode(codes, frames: frames)
    }

    /// Refuses what this port does not compute, naming the setting.
    static func check(_ config: EncodecConfig, path: String) throws {
        func refuse(_ problem: String) -> CheckpointError { CheckpointError(path, "audio_encoder.\(problem)") }
        guard config.normType == "weight_norm" else {
            throw refuse("norm_type is \(config.normType); only weight_norm is supported (time_group_norm is not)")
        }
        guard !config.useCausalConv else { throw refuse("use_causal_conv is true; only non-causal EnCodec (MusicGen's) is supported") }
        guard config.padMode == "reflect" else { throw refuse("pad_mode is \(config.padMode); only reflect is supported") }
        guard !config.normalize else { throw refuse("normalize is true; input normalization (audio scales) is not supported") }
        guard config.chunkLengthS == nil else {
            throw refuse("chunk_length_s is \(config.chunkLengthS!); chunked encoding with overlap-add is not supported")
        }
        guard config.audioChannels == 1 else {
            throw refuse("audio_channels is \(config.audioChannels); only a mono codec is supported (stereo MusicGen codes each channel apart)")
        }
        guard config.trimRightRatio == 1 else { throw refuse("trim_right_ratio is \(config.trimRightRatio); non-causal convolutions need 1.0") }
        guard config.codebookSize >= 2, config.codebookSize & (config.codebookSize - 1) == 0 else {
            throw refuse("codebook_size is \(config.codebookSize); it must be a power of 2")
        }
        guard config.codebookDim == config.hiddenSize else {
            throw refuse("codebook_dim is \(config.codebookDim) but hidden_size is \(config.hiddenSize); the decoder takes codebook vectors as its input")
        }
        guard !config.upsamplingRatios.isEmpty, config.upsamplingRatios.allSatisfy({ $0 >= 1 }) else {
            throw refuse("upsampling_ratios is \(config.upsamplingRatios); it needs one or more positive ratios")
        }
        guard !config.targetBandwidths.isEmpty, config.targetBandwidths.allSatisfy({ $0 > 0 }) else {
            throw refuse("target_bandwidths is \(config.targetBandwidths); it needs one or more positive bandwidths")
        }
        let sizes = [("sampling_rate", config.samplingRate), ("num_filters", config.numFilters), ("hidden_size", config.hiddenSize),
                     ("kernel_size", config.kernelSize), ("last_kernel_size", config.lastKernelSize),
                     ("residual_kernel_size", config.residualKernelSize), ("dilation_growth_rate", config.dilationGrowthRate),
                     ("compress", config.compress), ("num_lstm_layers", config.numLSTMLayers)]
        for (name, value) in sizes where value < 1 { throw refuse("\(name) is \(value); it must be positive") }
        guard config.numResidualLayers >= 0 else { throw refuse("num_residual_layers is \(config.numResidualLayers)") }
    }

    /// transformers 5's codebook counts: all of them (EncodecConfig.num_quantizers, from the last bandwidth)
    /// and the ones encode uses (get_num_quantizers_for_bandwidth of the first bandwidth, its default).
    static func codebookCounts(_ config: EncodecConfig) -> (total: Int, encode: Int) {
        let frameRate = (Double(config.samplingRate) / Double(config.hopLength)).rounded(.up)
        let bits = log2(Double(config.codebookSize))
        let total = Int(pythonFloorDivide(1000 * config.targetBandwidths.last!, frameRate * bits.rounded(.up)))
        let encode = Int(max(1, (config.targetBandwidths.first! * 1000 / (bits * frameRate)).rounded(.down)))
        return (total, encode)
    }
}

/// Python's float `a // b` (CPython's float_floor_div), which can differ from floor(a / b) by one when the
/// quotient rounds across an integer.
func pythonFloorDivide(_ a: Double, _ b: Double) -> Double {
    var remainder = fmod(a, b)
    var quotient = (a - remainder) / b
    if remainder != 0 && ((b < 0) != (remainder < 0)) {
        remainder += b
        quotient -= 1
    }
    guard quotient != 0 else { return (a / b).sign == .minus ? -0.0 : 0 }
    var floored = quotient.rounded(.down)
    if quotient - floored > 0.5 { floored += 1 }
    return floored
}
