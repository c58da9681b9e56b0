/// transformers' EncodecConv1d, non-causal with reflect padding: the input is padded by
/// `kernel_eff − stride` split as (ceil, floor) around it, plus "extra" right padding so that the last frame is
/// complete, then convolved. An output has ceil(length / stride) samples.
///
/// The output is computed in chunks of columns. For each chunk the padded (and ELU'd) input window it reads
/// is copied into a small buffer that stays in cache, and the kernel is applied as a few sgemms over views
/// of that window, without im2col: with stride 1, one per tap (the tap's time shift is an offset into each
/// window row); with stride s, the window rows are split into s phases (sample u·s + r goes to phase r,
/// column u), after which tap j·s + r of every phase is a shift by j, so ceil(kernel / s) products cover
/// the kernel. No buffer the size of the signal is made besides the output.
final class EncodecConv1d: @unchecked Sendable {  // immutable after init
    let inChannels: Int
    let outChannels: Int
    let kernelSize: Int
    let stride: Int
    let dilation: Int
    let bias: [Float]
    /// Tap groups, each [outChannels][inChannels · stride]: entry (o, c·stride + r) of group j is
    /// w[o][c][j·stride + r], 0 past the kernel. With stride 1 a group is one tap.
    private let groups: [Float]
    private let groupCount: Int

    /// `weight` is PyTorch's [outChannels][inChannels][kernelSize]; `bias` has outChannels values.
    init(weight: [Float], bias: [Float], inChannels: Int, outChannels: Int, kernelSize: Int, stride: Int = 1, dilation: Int = 1) {
        precondition(weight.count == outChannels * inChannels * kernelSize && bias.count == outChannels, "EncodecConv1d: weight or bias size")
        precondition(stride >= 1 && dilation >= 1 && (stride == 1 || dilation == 1), "EncodecConv1d: stride \(stride) with dilation \(dilation)")
        precondition((kernelSize - 1) * dilation + 1 >= stride, "EncodecConv1d: kernel \(kernelSize) shorter than stride \(stride)")
        self.inChannels = inChannels
        self.outChannels = outChannels
        self.kernelSize = kernelSize
        self.stride = stride
        self.dilation = dilation
        self.bias = bias
        let count = (kernelSize + stride - 1) / stride
        let width = inChannels * stride
        var groups = [Float](repeating: 0, count: count * outChannels * width)
        for o in 0..<outChannels {
            for c in 0..<inChannels {
                for k in 0..<kernelSize {
                    let (j, r) = (k / stride, k % stride)
                    groups[(j * outChannels + o) * width + c * stride + r] = weight[(o * inChannels + c) * kernelSize + k]
                }
            }
        }
        self.groups = groups
        groupCount = count
    }

    /// The EncodecConv1d at `module` (its tensors are `module.conv.*`).
    static func load(_ source: any TensorSource, _ module: String, inChannels: Int, outChannels: Int, kernelSize: Int,
                     stride: Int = 1, dilation: Int = 1) throws -> EncodecConv1d {
        let weight = try source.codecWeight("\(module).conv", shape: [outChannels, inChannels, kernelSize])
        let bias = try source.codecTensor("\(module).conv.bias", shape: [outChannels])
        return EncodecConv1d(weight: weight, bias: bias, inChannels: inChannels, outChannels: outChannels,
                             kernelSize: kernelSize, stride: stride, dilation: dilation)
    }

    private var effectiveKernel: Int { (kernelSize - 1) * dilation + 1 }
    /// Window row width beyond the chunk's columns: the taps' reach (stride 1) or the groups' shifts.
    private var halo: Int { stride == 1 ? effectiveKernel - 1 : groupCount - 1 }

    /// Samples out for `length` samples in: ceil(length / stride).
    func outputLength(_ length: Int) -> Int { (length + stride - 1) / stride }

    /// Output columns per chunk: enough for BLAS to work well, few enough for the window to stay in L2.
    var chunkColumns: Int { max(64, min(4096, (1 << 17) / (inChannels * stride))) }

    /// Floats of window scratch `accumulate` needs for chunks of up to `columns` output columns.
    func windowCapacity(columns: Int) -> Int { inChannels * stride * (columns + halo) }

    /// The convolution of `input` (bias included), ELU first when `elu`.
    func callAsFunction(_ input: CodecSignal, elu: Bool = false) -> CodecSignal {
        precondition(input.channels == inChannels, "EncodecConv1d: \(input.channels) channels in, expected \(inChannels)")
        let outLength = outputLength(input.length)
        var output = CodecSignal(channels: outChannels, length: outLength, rowValues: bias)
        guard outLength > 0 else { return output }
        let chunk = chunkColumns
        let window = UnsafeMutablePointer<Float>.allocate(capacity: windowCapacity(columns: chunk))
        defer { window.deallocate() }
        input.values.withUnsafeBufferPointer { x in
            output.values.withUnsafeMutableBufferPointer { y in
                for start in Swift.stride(from: 0, to: outLength, by: chunk) {
                    accumulate(x.baseAddress!, length: input.length, elu: elu, columns: start..<min(start + chunk, outLength),
                               into: y.baseAddress! + start, ldc: outLength, window: window)
                }
            }
        }
        return output
    }

    /// Adds output columns `columns` of the convolution of `input` (inChannels rows of `length`; ELU first when
    /// `elu`), without the bias, to `output` (outChannels rows of stride `ldc`, at the chunk's first column).
    /// `window` holds windowCapacity(columns: columns.count) floats of scratch.
    func accumulate(_ input: UnsafePointer<Float>, length: Int, elu: Bool, columns: Range<Int>,
                    into output: UnsafeMutablePointer<Float>, ldc: Int, window: UnsafeMutablePointer<Float>) {
        let total = effectiveKernel - stride
        let right = total / 2
        let left = total - right
        let padded = outputLength(length) * stride + total  // with the extra padding for the last frame
        let width = columns.count + halo
        // Window row (c, r), column u, holds padded sample (columns.lowerBound + u)·stride + r.
        let first = columns.lowerBound * stride
        if stride == 1 {
            for c in 0..<inChannels {
                let row = window + c * width
                paddedSamples(input + c * length, length: length, left: left, paddedLength: padded, from: first, count: width, into: row)
                if elu { applyELU(row, count: width) }
            }
        } else {
            let span = width * stride
            let staging = UnsafeMutablePointer<Float>.allocate(capacity: span)
            defer { staging.deallocate() }
            for c in 0..<inChannels {
                paddedSamples(input + c * length, length: length, left: left, paddedLength: padded, from: first, count: span, into: staging)
                if elu { applyELU(staging, count: span) }
                let base = window + c * stride * width
                for r in 0..<stride {
                    let phase = base + r * width
                    for u in 0..<width { phase[u] = staging[u * stride + r] }
                }
            }
        }
        let rowWidth = inChannels * stride
        groups.withUnsafeBufferPointer { a in
            for j in 0..<groupCount {
                let shift = stride == 1 ? j * dilation : j
                sgemm(m: outChannels, n: columns.count, k: rowWidth, a: a.baseAddress! + j * outChannels * rowWidth, lda: rowWidth,
                      b: window + shift, ldb: width, beta: 1, c: output, ldc: ldc)
            }
        }
    }

    /// A 1×1 convolution (stride 1) without bias of `n` columns already in memory (rows of stride `ldb`),
    /// added to `output`: for chaining onto a buffer that needs no padding.
    func accumulatePointwise(_ input: UnsafePointer<Float>, ldb: Int, columns n: Int, into output: UnsafeMutablePointer<Float>, ldc: Int) {
        precondition(kernelSize == 1 && stride == 1, "EncodecConv1d: pointwise use of a \(kernelSize)-tap, stride \(stride) kernel")
        groups.withUnsafeBufferPointer { a in
            sgemm(m: outChannels, n: n, k: inChannels, a: a.baseAddress!, lda: inChannels, b: input, ldb: ldb, beta: 1, c: output, ldc: ldc)
        }
    }
}

/// Samples `from ..< from + count` of a row as transformers' EncodecConv1d pads it: `left` samples reflected
/// before it (edge not repeated), reflection after it up to `paddedLength`, zeros past that (they only meet
/// zero weights). As in transformers' `_pad1d`, a row no longer than its larger padding is first extended
/// with zeros to that padding + 1 samples, and the reflection is taken of the extended row.
func paddedSamples(_ row: UnsafePointer<Float>, length: Int, left: Int, paddedLength: Int, from: Int, count: Int,
                   into target: UnsafeMutablePointer<Float>) {
    precondition(length >= 1, "paddedSamples: an empty row")
    let right = paddedLength - left - length
    let extended = length <= max(left, right) ? max(left, right) + 1 : length
    var position = from
    let end = from + count
    // Before the row and after it: reflected (or zero) one by one; the row itself in one copy.
    while position < end && position < left {
        target[position - from] = reflected(row, length, extended, position - left)
        position += 1
    }
    let copyEnd = min(end, left + length)
    if position < copyEnd {
        (target + (position - from)).update(from: row + (position - left), count: copyEnd - position)
        position = copyEnd
    }
    while position < end {
        target[position - from] = position < paddedLength ? reflected(row, length, extended, position - left) : 0
        position += 1
    }
}

/// Sample `index` (outside 0..<length) of a row reflected about its ends, the row taken as `extended`
/// samples long with zeros after `length`.
@inline(__always)
private func reflected(_ row: UnsafePointer<Float>, _ length: Int, _ extended: Int, _ index: Int) -> Float {
    var i = index
    if i < 0 { i = -i } else if i >= extended { i = 2 * (extended - 1) - i }
    return i < length ? row[i] : 0
}
