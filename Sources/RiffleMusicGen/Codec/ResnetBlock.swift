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

    /// The block, chunk by chunk of columns: each chunk's inner activations (dim / compress rows) stay in
    /// cache between the two convolutions, and the output chunk starts as the input (or its shortcut) plus
    /// the second conv's bias, onto which the second conv accumulates.
    func callAsFunction(_ input: CodecSignal) -> CodecSignal {
        let length = input.length, channels = input.channels, hidden = first.outChannels
        precondition(channels == first.inChannels && second.outChannels == channels, "EncodecResnetBlock: \(channels) channels in")
        guard length > 0 else { return input }
        let chunk = first.chunkColumns
        let window = UnsafeMutablePointer<Float>.allocate(capacity: first.windowCapacity(columns: chunk))
        let inner = UnsafeMutablePointer<Float>.allocate(capacity: hidden * chunk)
        defer { window.deallocate(); inner.deallocate() }
        let values = [Float](unsafeUninitializedCapacity: channels * length) { out, initialized in
            input.values.withUnsafeBufferPointer { x in
                let x = x.baseAddress!, out = out.baseAddress!
                for start in stride(from: 0, to: length, by: chunk) {
                    let count = min(chunk, length - start)
                    for c in 0..<hidden { (inner + c * count).initialize(repeating: first.bias[c], count: count) }
                    first.accumulate(x, length: length, elu: true, columns: start..<start + count, into: inner, ldc: count, window: window)
                    applyELU(inner, count: hidden * count)
                    for c in 0..<channels {
                        let target = out + c * length + start
                        if let shortcut {
                            target.initialize(repeating: second.bias[c] + shortcut.bias[c], count: count)
                        } else {
                            let source = x + c * length + start
                            let shift = second.bias[c]
                            for t in 0..<count { target[t] = source[t] + shift }
                        }
                    }
                    shortcut?.accumulatePointwise(x + start, ldb: length, columns: count, into: out + start, ldc: length)
                    second.accumulatePointwise(inner, ldb: count, columns: count, into: out + start, ldc: length)
                }
            }
            initialized = channels * length
        }
        return CodecSignal(channels: channels, length: length, values: values)
    }
}
