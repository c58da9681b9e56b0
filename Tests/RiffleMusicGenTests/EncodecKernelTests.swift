import Foundation
import Testing
@testable import RiffleMusicGen

/// The codec's kernels against direct, obviously-correct computations of what transformers does, on shapes
/// the tiny checkpoints do not reach: several chunks of columns, strides that do not divide the length,
/// rows shorter than their padding, dilation, wide channel counts.
@Suite("EnCodec kernels: chunked BLAS layers against direct sums")
struct EncodecKernelTests {
    /// A reproducible stream of values in [−1, 1) (a 64-bit LCG's high bits).
    struct Values {
        var state: UInt64
        init(seed: UInt64) { state = seed }
        mutating func next(_ count: Int) -> [Float] {
            (0..<count).map { _ in
                state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
                return Float(state >> 40) / Float(1 << 23) - 1
            }
        }
    }

    /// transformers' EncodecConv1d._pad1d(x, (left, right), "reflect") for one row, written as it is there:
    /// zeros appended when the row is too short, reflect, then the appended length dropped from the end.
    static func reflectPad(_ row: [Float], left: Int, right: Int) -> [Float] {
        var extended = row
        let extra = row.count <= max(left, right) ? max(left, right) - row.count + 1 : 0
        extended += [Float](repeating: 0, count: extra)
        let n = extended.count
        let padded = (0..<(left + n + right)).map { position -> Float in
            let i = position - left
            return extended[i < 0 ? -i : (i >= n ? 2 * (n - 1) - i : i)]
        }
        return Array(padded.dropLast(extra))
    }

    /// Expects max |a − b| ≤ 1e-5 · max(max |b|, 1): float32 sums of thousands of terms in another order
    /// differ by about 1e-7 of their scale, while a wrong tap, phase or chunk boundary is off by the scale.
    func expectNear(_ actual: [Float], _ expected: [Float], _ what: String, sourceLocation: SourceLocation = #_sourceLocation) {
        guard actual.count == expected.count else {
            Issue.record("\(what): \(actual.count) values, expected \(expected.count)", sourceLocation: sourceLocation)
            return
        }
        let scale = max(expected.map(abs).max() ?? 0, 1)
        let error = zip(actual, expected).map { abs($0 - $1) }.max() ?? 0
        #expect(error <= 1e-5 * scale, "\(what): largest error \(error) at scale \(scale)", sourceLocation: sourceLocation)
    }

    static func directELU(_ x: Float) -> Float { x > 0 ? x : Foundation.expm1(x) }

    /// EncodecConv1d.forward, directly: padding, then a sum per output sample.
    static func directConv(_ x: [Float], channels: Int, weight: [Float], bias: [Float], outChannels: Int, kernel: Int,
                           stride: Int, dilation: Int, elu: Bool) -> [Float] {
        let length = x.count / channels
        let effective = (kernel - 1) * dilation + 1
        let total = effective - stride
        let frames = Double(length - effective + total) / Double(stride) + 1
        let ideal = (Int(frames.rounded(.up)) - 1) * stride + effective - total
        let extra = ideal - length
        let right = total / 2, left = total - right
        let rows = (0..<channels).map { c in
            reflectPad(Array(x[c * length..<(c + 1) * length]), left: left, right: right + extra).map { elu ? directELU($0) : $0 }
        }
        let outLength = (rows[0].count - effective) / stride + 1
        var y = [Float](repeating: 0, count: outChannels * outLength)
        for o in 0..<outChannels {
            for t in 0..<outLength {
                var sum = Double(bias[o])
                for c in 0..<channels {
                    for k in 0..<kernel {
                        sum += Double(weight[(o * channels + c) * kernel + k]) * Double(rows[c][t * stride + k * dilation])
                    }
                }
                y[o * outLength + t] = Float(sum)
            }
        }
        return y
    }

    @Test("ELU without libm calls stays within a few ulp of expm1 over its whole range")
    func eluAccuracy() {
        var worst: Float = 0
        var x: Float = -100
        while x < 2 {
            let expected = Self.directELU(x)
            let error = abs(elu(x) - expected) / max(abs(expected), Float.leastNormalMagnitude)
            worst = max(worst, error)
            x += x > -1 ? 1e-4 : 3.7e-3
        }
        for tiny: Float in [-1e-30, -1e-10, -1e-6, -0.3465, -0.3466, -0.34658, 0, 1e-6, 1, 1e10] {
            let expected = Self.directELU(tiny)
            worst = max(worst, abs(elu(tiny) - expected) / max(abs(expected), Float.leastNormalMagnitude))
        }
        #expect(worst <= 4 * Float.ulpOfOne, "largest relative error \(worst)")
        #expect(elu(-1000) == -1 && elu(5) == 5 && elu(0) == 0)
    }

    @Test("conv1d: reflect and extra padding, strides, dilation, short rows, many chunks", arguments: [
        // (in, out, kernel, stride, dilation, length)
        (3, 2, 7, 1, 1, 20), (4, 3, 3, 1, 2, 11), (5, 4, 1, 1, 1, 9), (2, 3, 8, 4, 1, 37), (2, 4, 16, 8, 1, 5),
        (3, 2, 10, 5, 1, 1), (1, 3, 7, 1, 1, 3), (2, 2, 3, 1, 4, 2),
        (512, 3, 8, 4, 1, 1000),  // 64 columns a chunk: 4 chunks
        (1024, 2, 3, 1, 2, 300),  // 128 columns a chunk
    ])
    func conv(_ inChannels: Int, _ outChannels: Int, _ kernel: Int, _ stride: Int, _ dilation: Int, _ length: Int) {
        var values = Values(seed: UInt64(inChannels * 1000 + kernel * 10 + length))
        let weight = values.next(outChannels * inChannels * kernel), bias = values.next(outChannels)
        let x = values.next(inChannels * length)
        let layer = EncodecConv1d(weight: weight, bias: bias, inChannels: inChannels, outChannels: outChannels,
                                  kernelSize: kernel, stride: stride, dilation: dilation)
        for elu in [false, true] {
            let y = layer(CodecSignal(channels: inChannels, length: length, values: x), elu: elu)
            let expected = Self.directConv(x, channels: inChannels, weight: weight, bias: bias, outChannels: outChannels,
                                           kernel: kernel, stride: stride, dilation: dilation, elu: elu)
            #expect(y.length == (length + stride - 1) / stride)
            expectNear(y.values, expected, "conv elu \(elu)")
        }
    }

    @Test("transposed conv: ConvTranspose1d then the non-causal trim, over several chunks", arguments: [
        // (in, out, kernel, stride, frames)
        (3, 2, 8, 4, 5), (4, 3, 10, 5, 1), (2, 2, 16, 8, 3), (3, 2, 3, 1, 7), (2, 1024, 16, 8, 40),
    ])
    func transposed(_ inChannels: Int, _ outChannels: Int, _ kernel: Int, _ stride: Int, _ frames: Int) {
        var values = Values(seed: UInt64(outChannels * 100 + kernel + frames))
        let weight = values.next(inChannels * outChannels * kernel), bias = values.next(outChannels)
        let x = values.next(inChannels * frames)
        let layer = EncodecConvTranspose1d(weight: weight, bias: bias, inChannels: inChannels, outChannels: outChannels,
                                           kernelSize: kernel, stride: stride)
        let y = layer(CodecSignal(channels: inChannels, length: frames, values: x), elu: true)

        let full = (frames - 1) * stride + kernel
        var sums = [Double](repeating: 0, count: outChannels * full)
        for c in 0..<inChannels {
            for t in 0..<frames {
                let input = Double(Self.directELU(x[c * frames + t]))
                for o in 0..<outChannels {
                    for k in 0..<kernel { sums[o * full + t * stride + k] += Double(weight[(c * outChannels + o) * kernel + k]) * input }
                }
            }
        }
        let total = kernel - stride, right = total / 2, left = total - right
        var expected: [Float] = []
        for o in 0..<outChannels { expected += sums[o * full + left..<o * full + full - right].map { Float($0 + Double(bias[o])) } }
        #expect(y.length == frames * stride)
        expectNear(y.values, expected, "transposed")
    }

    @Test("residual block: fused chunk by chunk equals its two convs and the skip, with and without a conv shortcut",
          arguments: [(8, 2, 1, 50, false), (1024, 2, 2, 300, false), (16, 4, 1, 33, true), (1024, 2, 1, 260, true)])
    func residual(_ channels: Int, _ compress: Int, _ dilation: Int, _ length: Int, _ convShortcut: Bool) {
        var values = Values(seed: UInt64(channels + length))
        let hidden = channels / compress
        let first = EncodecConv1d(weight: values.next(hidden * channels * 3).map { $0 * 0.1 }, bias: values.next(hidden),
                                  inChannels: channels, outChannels: hidden, kernelSize: 3, dilation: dilation)
        let second = EncodecConv1d(weight: values.next(channels * hidden).map { $0 * 0.1 }, bias: values.next(channels),
                                   inChannels: hidden, outChannels: channels, kernelSize: 1)
        let shortcut = convShortcut
            ? EncodecConv1d(weight: values.next(channels * channels).map { $0 * 0.1 }, bias: values.next(channels),
                            inChannels: channels, outChannels: channels, kernelSize: 1)
            : nil
        let x = CodecSignal(channels: channels, length: length, values: values.next(channels * length))
        let block = EncodecResnetBlock(first: first, second: second, shortcut: shortcut)
        let skip = shortcut.map { $0(x) } ?? x
        let expected = zip(second(first(x, elu: true), elu: true).values, skip.values).map { $0 + $1 }
        expectNear(block(x).values, expected, "residual block")
    }

    @Test("LSTM: two layers step by step, zero initial state, output plus input")
    func lstm() {
        let dimension = 5, steps = 9, gates = 4 * dimension
        var values = Values(seed: 7)
        let layers = (0..<2).map { _ in
            EncodecLSTM.Layer(inputWeights: values.next(gates * dimension), recurrentWeights: values.next(gates * dimension),
                              bias: values.next(gates))
        }
        let x = values.next(dimension * steps)
        let y = EncodecLSTM(dimension: dimension, layers: layers)(CodecSignal(channels: dimension, length: steps, values: x))

        func sigmoid(_ v: Double) -> Double { 1 / (1 + Foundation.exp(-v)) }
        var sequence = (0..<steps).map { t in (0..<dimension).map { Double(x[$0 * steps + t]) } }
        for layer in layers {
            var h = [Double](repeating: 0, count: dimension), c = h
            for t in 0..<steps {
                var z = layer.bias.map { Double($0) }
                for g in 0..<gates {
                    for i in 0..<dimension {
                        let fromInput = Double(layer.inputWeights[g * dimension + i]) * sequence[t][i]
                        let fromState = Double(layer.recurrentWeights[g * dimension + i]) * h[i]
                        z[g] += fromInput + fromState
                    }
                }
                for i in 0..<dimension {
                    c[i] = sigmoid(z[dimension + i]) * c[i] + sigmoid(z[i]) * Foundation.tanh(z[2 * dimension + i])
                    h[i] = sigmoid(z[3 * dimension + i]) * Foundation.tanh(c[i])
                }
                sequence[t] = h
            }
        }
        let expected = (0..<dimension * steps).map { Float(sequence[$0 % steps][$0 / steps]) + x[$0] }
        expectNear(y.values, expected, "lstm")
    }
}
