/// transformers' EncodecEncoder (SEANet): conv from the audio channels to num_filters, then per upsampling
/// ratio in reverse residual blocks + ELU + strided conv (doubling the channels), the LSTM, and ELU + conv to
/// hidden_size. Samples in, ceil(samples / hop_length) frames out.
final class SEANetEncoder: @unchecked Sendable {  // immutable after init
    struct Stage {
        let residuals: [EncodecResnetBlock]
        let downsample: EncodecConv1d
    }

    let inputConv: EncodecConv1d
    let stages: [Stage]
    let lstm: EncodecLSTM
    let outputConv: EncodecConv1d

    /// Loads `module.layers.<i>`, numbered as transformers' ModuleList numbers them (each ELU takes an index).
    init(_ source: any TensorSource, _ module: String, config: EncodecConfig) throws {
        var index = 0
        func next() -> String { defer { index += 1 }; return "\(module).layers.\(index)" }

        inputConv = try EncodecConv1d.load(source, next(), inChannels: config.audioChannels, outChannels: config.numFilters,
                                           kernelSize: config.kernelSize)
        var scaling = 1
        var stages: [Stage] = []
        for ratio in config.upsamplingRatios.reversed() {
            let channels = scaling * config.numFilters
            var residuals: [EncodecResnetBlock] = []
            for layer in 0..<config.numResidualLayers {
                residuals.append(try EncodecResnetBlock.load(source, next(), config: config, dimension: channels,
                                                             dilation: power(config.dilationGrowthRate, layer)))
            }
            _ = next()  // ELU
            let downsample = try EncodecConv1d.load(source, next(), inChannels: channels, outChannels: channels * 2,
                                                    kernelSize: 2 * ratio, stride: ratio)
            stages.append(Stage(residuals: residuals, downsample: downsample))
            scaling *= 2
        }
        self.stages = stages
        lstm = try EncodecLSTM.load(source, next(), dimension: scaling * config.numFilters, layerCount: config.numLSTMLayers)
        _ = next()  // ELU
        outputConv = try EncodecConv1d.load(source, next(), inChannels: scaling * config.numFilters, outChannels: config.hiddenSize,
                                            kernelSize: config.lastKernelSize)
    }

    /// Embeddings (hidden_size × frames) of audio (audio channels × samples).
    func callAsFunction(_ audio: CodecSignal) -> CodecSignal {
        var signal = inputConv(audio)
        for stage in stages {
            for block in stage.residuals { signal = block(signal) }
            signal = stage.downsample(signal, elu: true)
        }
        return outputConv(lstm(signal), elu: true)
    }
}
