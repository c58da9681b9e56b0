/// transformers' EncodecDecoder (SEANet): conv from the codebook dimension up to num_filters · 2^stages
/// channels, the LSTM, then per upsampling ratio ELU + transposed conv (halving the channels) + residual
/// blocks, and a final ELU + conv down to the audio channels. Frames in, frames · hop_length samples out.
final class SEANetDecoder: @unchecked Sendable {  // immutable after init
    struct Stage {
        let upsample: EncodecConvTranspose1d
        let residuals: [EncodecResnetBlock]
    }

    let inputConv: EncodecConv1d
    let lstm: EncodecLSTM
    let stages: [Stage]
    let outputConv: EncodecConv1d

    /// Loads `module.layers.<i>`, numbered as transformers' ModuleList numbers them (each ELU takes an index).
    init(_ source: any TensorSource, _ module: String, config: EncodecConfig) throws {
        var scaling = 1 << config.upsamplingRatios.count
        var index = 0
        func next() -> String { defer { index += 1 }; return "\(module).layers.\(index)" }

        inputConv = try EncodecConv1d.load(source, next(), inChannels: config.hiddenSize,
                                           outChannels: scaling * config.numFilters, kernelSize: config.kernelSize)
        lstm = try EncodecLSTM.load(source, next(), dimension: scaling * config.numFilters, layerCount: config.numLSTMLayers)
        var stages: [Stage] = []
        for ratio in config.upsamplingRatios {
            let channels = scaling * config.numFilters
            _ = next()  // ELU
            let upsample = try EncodecConvTranspose1d.load(source, next(), inChannels: channels, outChannels: channels / 2,
                                                           kernelSize: 2 * ratio, stride: ratio)
            var residuals: [EncodecResnetBlock] = []
            for layer in 0..<config.numResidualLayers {
                residuals.append(try EncodecResnetBlock.load(source, next(), config: config, dimension: channels / 2,
                                                             dilation: power(config.dilationGrowthRate, layer)))
            }
            stages.append(Stage(upsample: upsample, residuals: residuals))
            scaling /= 2
        }
        self.stages = stages
        _ = next()  // ELU
        outputConv = try EncodecConv1d.load(source, next(), inChannels: config.numFilters, outChannels: config.audioChannels,
                                            kernelSize: config.lastKernelSize)
    }

    /// Audio (audio channels × frames · hop) from quantized embeddings (codebook dimension × frames).
    func callAsFunction(_ embeddings: CodecSignal) -> CodecSignal {
        var signal = lstm(inputConv(embeddings))
        for stage in stages {
            signal = stage.upsample(signal, elu: true)
            for block in stage.residuals { signal = block(signal) }
        }
        return outputConv(signal, elu: true)
    }
}

/// base^exponent for the small integers of a config (dilations).
func power(_ base: Int, _ exponent: Int) -> Int {
    (0..<exponent).reduce(1) { product, _ in product * base }
}
