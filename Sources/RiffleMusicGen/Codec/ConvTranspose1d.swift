/// transformers' EncodecConvTranspose1d, non-causal: nn.ConvTranspose1d (no padding), then `kernel − stride`
/// samples trimmed, floor half from the right and the rest from the left. `length` frames in give
/// length · stride samples out.
///
/// Computed in output phases: sample u·s + r of the full output is Σ_j Σ_c w[c][o][j·s + r] · x[c][u − j], so
/// with the kernel regrouped as [(o, r)][c] per j, each j is one sgemm of the whole input into a window of a
/// phase buffer [(o, r)][u], shifted by j. No im2col, no per-frame scratch: the phase buffer is the output's
/// size, and interleaving it back (with the trim and the bias) is one pass.
final class EncodecConvTranspose1d: @unchecked Sendable {  // immutable after init
    let inChannels: Int
    let outChannels: Int
    let kernelSize: Int
    let stride: Int
    /// Per j, [(outChannels · stride)][inChannels]: entry (o·stride + r, c) = w[c][o][j·stride + r], 0 past the kernel.
    private let groups: [Float]
    private let groupCount: Int
    private let bias: [Float]

    /// `weight` is PyTorch's ConvTranspose1d layout [inChannels][outChannels][kernelSize].
    init(weight: [Float], bias: [Float], inChannels: Int, outChannels: Int, kernelSize: Int, stride: Int) {
        precondition(weight.count == inChannels * outChannels * kernelSize && bias.count == outChannels, "EncodecConvTranspose1d: weight or bias size")
        precondition(stride >= 1 && kernelSize >= stride, "EncodecConvTranspose1d: kernel \(kernelSize) with stride \(stride)")
        self.inChannels = inChannels
        self.outChannels = outChannels
        self.kernelSize = kernelSize
        self.stride = stride
        self.bias = bias
        let count = (kernelSize + stride - 1) / stride
        let rows = outChannels * stride
        var groups = [Float](repeating: 0, count: count * rows * inChannels)
        for c in 0..<inChannels {
            for o in 0..<outChannels {
                for k in 0..<kernelSize {
                    let (j, r) = (k / stride, k % stride)
                    groups[(j * rows + o * stride + r) * inChannels + c] = weight[(c * outChannels + o) * kernelSize + k]
                }
            }
        }
        self.groups = groups
        groupCount = count
    }

    /// The EncodecConvTranspose1d at `module` (its tensors are `module.conv.*`).
    static func load(_ source: any TensorSource, _ module: String, inChannels: Int, outChannels: Int, kernelSize: Int,
                     stride: Int) throws -> EncodecConvTranspose1d {
        let weight = try source.codecWeight("\(module).conv", shape: [inChannels, outChannels, kernelSize])
        let bias = try source.codecTensor("\(module).conv.bias", shape: [outChannels])
        return EncodecConvTranspose1d(weight: weight, bias: bias, inChannels: inChannels, outChannels: outChannels,
                                      kernelSize: kernelSize, stride: stride)
    }

    /// The transposed convolution of `input`, ELU first when `elu` (done in place: the input is consumed).
    func callAsFunction(_ input: consuming CodecSignal, elu: Bool = false) -> CodecSignal {
        precondition(input.channels == inChannels, "EncodecConvTranspose1d: \(input.channels) channels in, expected \(inChannels)")
        let length = input.length
        let total = kernelSize - stride
        let trimRight = total / 2
        let trimLeft = total - trimRight
        let fullLength = length == 0 ? 0 : (length - 1) * stride + kernelSize
        let outLength = fullLength - total
        guard length > 0 else { return CodecSignal(channels: outChannels, length: 0, values: []) }
        if elu { input.values.withUnsafeMutableBufferPointer { applyELU($0.baseAddress!, count: $0.count) } }

        let rows = outChannels * stride
        let columns = length + groupCount - 1
        var phases = [Float](repeating: 0, count: rows * columns)
        input.values.withUnsafeBufferPointer { b in
            groups.withUnsafeBufferPointer { a in
                phases.withUnsafeMutableBufferPointer { c in
                    for j in 0..<groupCount {
                        sgemm(m: rows, n: length, k: inChannels, a: a.baseAddress! + j * rows * inChannels, lda: inChannels,
                              b: b.baseAddress!, ldb: length, beta: 1, c: c.baseAddress! + j, ldc: columns)
                    }
                }
            }
        }

        let values = [Float](unsafeUninitializedCapacity: outChannels * outLength) { out, initialized in
            phases.withUnsafeBufferPointer { phase in
                for o in 0..<outChannels {
                    let target = out.baseAddress! + o * outLength
                    let shift = bias[o]
                    for r in 0..<stride {
                        let source = phase.baseAddress! + (o * stride + r) * columns
                        // Full-output sample u·stride + r lands at u·stride + r − trimLeft when that is in range.
                        var u = r >= trimLeft ? 0 : (trimLeft - r + stride - 1) / stride
                        var position = u * stride + r - trimLeft
                        while position < outLength {
                            target[position] = source[u] + shift
                            u += 1
                            position += stride
                        }
                    }
                }
            }
            initialized = outChannels * outLength
        }
        return CodecSignal(channels: outChannels, length: outLength, values: values)
    }
}
