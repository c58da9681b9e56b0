import Foundation

/// transformers' EncodecLSTM: a stacked nn.LSTM over time (zero initial state), its output plus its input.
///
/// Per layer the input part of every gate, W_ih·x_t + b_ih + b_hh, is one sgemm over all time steps; only the
/// recurrent part W_hh·h_{t−1} is left to the time loop, one sgemv per step. Gates in PyTorch's order
/// i, f, g, o: c = σ(f)·c + σ(i)·tanh(g), h = σ(o)·tanh(c).
final class EncodecLSTM: @unchecked Sendable {  // immutable after init
    struct Layer {
        /// [4·hidden][inputSize] and [4·hidden][hidden], PyTorch's layout.
        let inputWeights: [Float]
        let recurrentWeights: [Float]
        /// b_ih + b_hh, which torch adds separately but always together.
        let bias: [Float]
    }

    let dimension: Int
    let layers: [Layer]

    init(dimension: Int, layers: [Layer]) {
        for layer in layers {
            precondition(layer.inputWeights.count == 4 * dimension * dimension && layer.recurrentWeights.count == 4 * dimension * dimension
                         && layer.bias.count == 4 * dimension, "EncodecLSTM: layer sizes for dimension \(dimension)")
        }
        self.dimension = dimension
        self.layers = layers
    }

    /// The EncodecLSTM at `module` (tensors `module.lstm.weight_ih_l<k>` …), `layerCount` layers of `dimension`.
    static func load(_ source: any TensorSource, _ module: String, dimension: Int, layerCount: Int) throws -> EncodecLSTM {
        let layers = try (0..<layerCount).map { index -> Layer in
            let prefix = "\(module).lstm"
            let gates = 4 * dimension
            let inputBias = try source.codecTensor("\(prefix).bias_ih_l\(index)", shape: [gates])
            let recurrentBias = try source.codecTensor("\(prefix).bias_hh_l\(index)", shape: [gates])
            return Layer(inputWeights: try source.codecTensor("\(prefix).weight_ih_l\(index)", shape: [gates, dimension]),
                         recurrentWeights: try source.codecTensor("\(prefix).weight_hh_l\(index)", shape: [gates, dimension]),
                         bias: zip(inputBias, recurrentBias).map { $0 + $1 })
        }
        return EncodecLSTM(dimension: dimension, layers: layers)
    }

    func callAsFunction(_ input: CodecSignal) -> CodecSignal {
        precondition(input.channels == dimension, "EncodecLSTM: \(input.channels) channels in, expected \(dimension)")
        let steps = input.length, hidden = dimension, gates = 4 * dimension
        guard steps > 0 else { return input }
        // Time-major activations: row t is the layer's input (then output) at step t.
        var sequence = [Float](repeating: 0, count: steps * hidden)
        var next = [Float](repeating: 0, count: steps * hidden)
        var preactivations = [Float](repeating: 0, count: steps * gates)
        var cell = [Float](repeating: 0, count: hidden)

        input.values.withUnsafeBufferPointer { x in
            sequence.withUnsafeMutableBufferPointer { s in
                for c in 0..<hidden { for t in 0..<steps { s[t * hidden + c] = x[c * steps + t] } }
            }
        }
        for layer in layers {
            preactivations.withUnsafeMutableBufferPointer { g in
                for t in 0..<steps { (g.baseAddress! + t * gates).update(from: layer.bias, count: gates) }
                sequence.withUnsafeBufferPointer { s in
                    layer.inputWeights.withUnsafeBufferPointer { w in
                        sgemm(transposeB: true, m: steps, n: gates, k: hidden, a: s.baseAddress!, lda: hidden,
                              b: w.baseAddress!, ldb: hidden, beta: 1, c: g.baseAddress!, ldc: gates)
                    }
                }
                for index in 0..<hidden { cell[index] = 0 }
                layer.recurrentWeights.withUnsafeBufferPointer { w in
                    next.withUnsafeMutableBufferPointer { h in
                        cell.withUnsafeMutableBufferPointer { cellBuffer in
                            let c = cellBuffer.baseAddress!
                            for t in 0..<steps {
                                let z = g.baseAddress! + t * gates
                                let out = h.baseAddress! + t * hidden
                                if t > 0 {
                                    sgemv(m: gates, n: hidden, a: w.baseAddress!, lda: hidden, x: out - hidden, beta: 1, y: z)
                                }
                                for index in 0..<hidden {
                                    let inputGate = sigmoid(z[index])
                                    let forgetGate = sigmoid(z[hidden + index])
                                    let candidate = tanh(z[2 * hidden + index])
                                    let outputGate = sigmoid(z[3 * hidden + index])
                                    c[index] = forgetGate * c[index] + inputGate * candidate
                                    out[index] = outputGate * tanh(c[index])
                                }
                            }
                        }
                    }
                }
            }
            swap(&sequence, &next)
        }

        // Back to channel-major, plus the skip connection.
        var output = input
        output.values.withUnsafeMutableBufferPointer { y in
            sequence.withUnsafeBufferPointer { s in
                for c in 0..<hidden { for t in 0..<steps { y[c * steps + t] += s[t * hidden + c] } }
            }
        }
        return output
    }
}

@inline(__always)
private func sigmoid(_ x: Float) -> Float { 1 / (1 + exp(-x)) }
