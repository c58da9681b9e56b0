/// transformers' EncodecConvTranspose1d, non-causal: nn.ConvTranspose1d (no padding), then `kernel − stride`
/// samples trimmed, floor half from the right and the rest from the left. `length` frames in give
/// length · stride samples out.
///
/// Computed in output phases: sample u·s + r of the full output is Σ_j Σ_c w[c][o][j·s + r] · x[c][u − j], so
/// with the kernel regrouped as [(o, r)][c] per j, each j is one sgemm of input frames into a phase buffer
/// [(o, r)][u], shifted by j. No im2col: chunk by chunk of phase columns, a cache-sized phase buffer is
/// filled and interleaved into the output (with the trim and the bias).
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
        guard length > 0 else { return CodecSignal(channels: outChannels, length: 0, values: []) }
        if elu { input.values.withUnsafeMutableBufferPointer { applyELU($0.baseAddress!, count: $0.count) } }
        let total = kernelSize - stride
        let trimLeft = total - total / 2
        let outLength = length * stride
        let rows = outChannels * stride
        let columns = length + groupCount - 1  // phase columns of the untrimmed output
        // Phase columns per chunk: the chunk's phase buffer (rows × chunk) stays in L2.
        let chunk = max(16, min(4096, (1 << 17) / rows))
        let phases = UnsafeMutablePointer<Float>.allocate(capacity: rows * chunk)
        defer { phases.deallocate() }

        let values = [Float](unsafeUninitializedCapacity: outChannels * outLength) { out, initialized in
            input.values.withUnsafeBufferPointer { x in
                groups.withUnsafeBufferPointer { a in
                    for first in Swift.stride(from: 0, to: columns, by: chunk) {
                        let count = min(chunk, columns - first)
                        phases.initialize(repeating: 0, count: rows * count)
                        // Phase column u gets input frame u − j through group j.
                        for j in 0..<groupCount {
                            let from = max(first - j, 0), to = min(first + count - j, length)
                            guard from < to else { continue }
                            sgemm(m: rows, n: to - from, k: inChannels, a: a.baseAddress! + j * rows * inChannels, lda: inChannels,
                                  b: x.baseAddress! + from, ldb: length, beta: 1, c: phases + (from + j - first), ldc: count)
                        }
                        interleave(phases, firstColumn: first, count: count, trimLeft: trimLeft, outLength: outLength, into: out.baseAddress!)
                    }
                }
            }
            initialized = outChannels * outLength
        }
        return CodecSignal(channels: outChannels, length: outLength, values: values)
    }

    /// Writes phase columns first ..< first + count (rows (o, r)) to the output samples they are, less the
    /// trimmed ones, adding the bias: full-output sample u·stride + r lands at u·stride + r − trimLeft.
    private func interleave(_ phases: UnsafePointer<Float>, firstColumn first: Int, count: Int, trimLeft: Int, outLength: Int,
                            into out: UnsafeMutablePointer<Float>) {
        for o in 0..<outChannels {
            let target = out + o * outLength
            let shift = bias[o]
            for r in 0..<stride {
                let source = phases + (o * stride + r) * count
                var u = max(first, r >= trimLeft ? 0 : (trimLeft - r + stride - 1) / stride)
                let end = min(first + count, (outLength + trimLeft - r + stride - 1) / stride)
                while u < end {
                    target[u * stride + r - trimLeft] = source[u - first] + shift
                    u += 1
                }
            }
        }
    }
}
