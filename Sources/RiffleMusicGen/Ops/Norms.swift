/// `nn.LayerNorm` over the last dimension: (x − mean) / √(variance + ε) · weight + bias.
struct LayerNorm {
    let weight: [Float]
    let bias: [Float]
    let epsilon: Float

    /// `module.weight` and `module.bias`, both of `size`; ε is PyTorch's default unless told.
    init(_ source: TensorSource, _ module: String, size: Int, epsilon: Float = 1e-5) throws {
        weight = try source.floats("\(module).weight", shape: [size])
        bias = try source.floats("\(module).bias", shape: [size])
        self.epsilon = epsilon
    }

    var parameterCount: Int { weight.count + bias.count }

    /// Normalises `rows` rows of `x` into `y` (which may be `x`).
    func apply(_ x: UnsafePointer<Float>, rows: Int, into y: UnsafeMutablePointer<Float>) {
        let size = weight.count
        weight.withUnsafeBufferPointer { w in
            bias.withUnsafeBufferPointer { b in
                for row in 0..<rows {
                    let input = x + row * size, output = y + row * size
                    // Sums in Double: the variance of a 1024-wide row in Float loses digits transformers keeps.
                    var sum = 0.0
                    for i in 0..<size { sum += Double(input[i]) }
                    let mean = sum / Double(size)
                    var squares = 0.0
                    for i in 0..<size {
                        let d = Double(input[i]) - mean
                        squares += d * d
                    }
                    let inverse = Float(1 / (squares / Double(size) + Double(epsilon)).squareRoot())
                    let m = Float(mean)
                    for i in 0..<size { output[i] = (input[i] - m) * inverse * w[i] + b[i] }
                }
            }
        }
    }
}

/// T5's layer norm (RMSNorm): x / √(mean(x²) + ε) · weight, with no mean subtracted and no bias.
struct RMSNorm {
    let weight: [Float]
    let epsilon: Float

    init(_ source: TensorSource, _ module: String, size: Int, epsilon: Float) throws {
        weight = try source.floats("\(module).weight", shape: [size])
        self.epsilon = epsilon
    }

    /// Normalises `rows` rows of `x` into `y` (which may be `x`).
    func apply(_ x: UnsafePointer<Float>, rows: Int, into y: UnsafeMutablePointer<Float>) {
        let size = weight.count
        weight.withUnsafeBufferPointer { w in
            for row in 0..<rows {
                let input = x + row * size, output = y + row * size
                var squares = 0.0
                for i in 0..<size { squares += Double(input[i]) * Double(input[i]) }
                let inverse = Float(1 / (squares / Double(size) + Double(epsilon)).squareRoot())
                for i in 0..<size { output[i] = w[i] * (input[i] * inverse) }
            }
        }
    }
}
