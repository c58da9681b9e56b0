/// transformers' EncodecResnetBlock (SEANet's residual unit): ELU, conv (residual kernel, dilated) down to
/// dim / compress channels, ELU, 1×1 conv back to dim, added to the input (or to a 1×1 conv of it when the
/// config has `use_conv_shortcut`).
final class EncodecResnetBlock: @unchecked Sendable {  // immutable after init
    let first: EncodecConv1d
    let second: EncodecConv1d
    let shortcut: EncodecConv1d?

    init(first: EncodecConv1d, second: EncodecConv1d, shortcut: EncodecConv1d?) {
        self.first = first
        self.second = second
        self.shortcut = shortcut
    }

    /// The block at `module` (`module.block.1`, `module.block.3`, and `module.shortcut` when the config says).
    static func load(_ source: any TensorSource, _ module: String, config: EncodecConfig, dimension: Int, dilation: Int) throws -> EncodecResnetBlock {
        let hidden = dimension / config.compress
        let first = try EncodecConv1d.load(source, "\(module).block.1", inChannels: dimension, outChannels: hidden,
                                           kernelSize: config.residualKernelSize, dilation: dilation)
        let second = try EncodecConv1d.load(source, "\(module).block.3", inChannels: hidden, outChannels: dimension, kernelSize: 1)
        let shortcut = config.useConvShortcut
            ? try EncodecConv1d.load(source, "\(module).shortcut", inChannels: dimension, outChannels: dimension, kernelSize: 1)
            : nil
        return EncodecResnetBlock(first: first, second: second, shortcut: shortcut)
    }

    func callAsFunction(_ input: CodecSignal) -> CodecSignal {
        let inner = first(input, elu: true)
        var output = second(inner, elu: true)
        output.add(shortcut.map { $0(input) } ?? input)
        return output
    }
}
