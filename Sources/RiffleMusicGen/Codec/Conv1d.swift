/// transformers' EncodecConv1d, non-causal with reflect padding: the input is padded by
/// `kernel_eff − stride` split as (ceil, floor) around it, plus "extra" right padding so that the last frame is
/// complete, then convolved. An output has ceil(length / stride) samples.
///
/// The product runs as a few sgemms over views of one padded buffer, without an im2col copy: with stride 1,
/// one per tap (the tap's time shift is an offset into each padded row); with stride s, the padded rows are
/// split into s phases (sample u·s + r goes to phase r, column u), after which tap j·s + r of every phase is a
/// shift by j, so ceil(kernel / s) products cover the kernel.
final class EncodecConv1d: @unchecked Sendable {  // immutable after init
    let inChannels: Int
    let outChannels: Int
    let kernelSize: Int
    let stride: Int
    let dilation: Int
    /// Tap groups, each [outChannels][inChannels · stride]: entry (o, c·stride + r) of group j is
    /// w[o][c][j·stride + r], 0 past the kernel. With stride 1 a group is one tap.
    private let groups: [Float]
    private let groupCount: Int
    private let bias: [Float]

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

    /// Samples out for `length` samples in: ceil(length / stride).
    func outputLength(_ length: Int) -> Int { (length + stride - 1) / stride }

    /// The convolution of `input`, ELU first when `elu` (fused into the padding copy: reflect padding only
    /// moves values, so padding and ELU commute).
    func callAsFunction(_ input: consuming CodecSignal, elu: Bool = false) -> CodecSignal {
        precondition(input.channels == inChannels, "EncodecConv1d: \(input.channels) channels in, expected \(inChannels)")
        let length = input.length
        let outLength = outputLength(length)
        var output = CodecSignal(channels: outChannels, length: outLength, rowValues: bias)
        guard length > 0 else { return output }

        let total = effectiveKernel - stride
        let right = total / 2
        let left = total - right
        let extra = outLength * stride - length
        let padded = length + total + extra
        // Columns of each phase row: every sample of the padded row, and enough zeros for the last group's shift.
        let columns = max((padded + stride - 1) / stride, outLength + groupCount - 1)
        let width = inChannels * stride

        if total == 0 && extra == 0 && stride == 1 {
            // A 1×1 conv needs no padding: take the input's own rows (copied only if the caller still holds them).
            if elu { input.values.withUnsafeMutableBufferPointer { applyELU($0.baseAddress!, count: $0.count) } }
            multiply(input.values, columns: length, width: width, into: &output)
            return output
        }

        var phases = [Float](repeating: 0, count: width * columns)
        input.values.withUnsafeBufferPointer { source in
            phases.withUnsafeMutableBufferPointer { target in
                if stride == 1 {
                    for c in 0..<inChannels {
                        let row = target.baseAddress! + c * columns
                        padReflect(source.baseAddress! + c * length, length: length, left: left, right: right + extra, into: row)
                        if elu { applyELU(row, count: padded) }
                    }
                } else {
                    let row = UnsafeMutablePointer<Float>.allocate(capacity: padded)
                    defer { row.deallocate() }
                    for c in 0..<inChannels {
                        padReflect(source.baseAddress! + c * length, length: length, left: left, right: right + extra, into: row)
                        if elu { applyELU(row, count: padded) }
                        let base = target.baseAddress! + c * stride * columns
                        for position in 0..<padded {
                            base[(position % stride) * columns + position / stride] = row[position]
                        }
                    }
                }
            }
        }
        multiply(phases, columns: columns, width: width, into: &output)
        return output
    }

    /// output += Σ_j group_j · phases[:, shift_j ..< shift_j + outLength], rows of `columns` values.
    private func multiply(_ phases: [Float], columns: Int, width: Int, into output: inout CodecSignal) {
        let outLength = output.length
        phases.withUnsafeBufferPointer { b in
            groups.withUnsafeBufferPointer { a in
                output.values.withUnsafeMutableBufferPointer { c in
                    for j in 0..<groupCount {
                        let shift = stride == 1 ? j * dilation : j
                        sgemm(m: outChannels, n: outLength, k: width, a: a.baseAddress! + j * outChannels * width, lda: width,
                              b: b.baseAddress! + shift, ldb: columns, beta: 1, c: c.baseAddress!, ldc: outLength)
                    }
                }
            }
        }
    }
}

/// transformers' EncodecConv1d._pad1d in reflect mode: `length` samples with `left` and `right` reflected
/// around them (edge not repeated). When the row is no longer than the larger padding, torch's reflect would
/// fail, so transformers first appends zeros (to max pad + 1 samples), reflects that, and drops as many
/// samples from the end; the same is done here. `length` must be at least 1; writes left + length + right.
func padReflect(_ row: UnsafePointer<Float>, length: Int, left: Int, right: Int, into target: UnsafeMutablePointer<Float>) {
    precondition(length >= 1, "padReflect: an empty row")
    let largest = max(left, right)
    let extended = length <= largest ? largest + 1 : length  // the row with transformers' zeros appended
    @inline(__always) func value(_ index: Int) -> Float {
        var i = index
        if i < 0 { i = -i } else if i >= extended { i = 2 * (extended - 1) - i }
        return i < length ? row[i] : 0
    }
    for position in 0..<left { target[position] = value(position - left) }
    (target + left).update(from: row, count: length)
    for position in 0..<right { target[left + length + position] = value(length + position) }
}
