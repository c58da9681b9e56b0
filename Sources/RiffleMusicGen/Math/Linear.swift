import COpenBLAS

/// A fully connected layer, y = x·Wᵀ + b, for a few rows of x at a time.
///
/// W is `outFeatures × inFeatures`, row-major, as PyTorch's `nn.Linear.weight` stores it. The layer owns
/// its weights (converted from the checkpoint once, at load) in the chosen `WeightPrecision`.
public final class Linear: @unchecked Sendable {  // immutable after init
    public let inFeatures: Int
    public let outFeatures: Int
    public let precision: WeightPrecision
    private let weight: [Float]
    private let bias: [Float]?

    /// A layer from `weight` (`outFeatures × inFeatures`, row-major) and an optional bias of `outFeatures`.
    public init(weight: [Float], bias: [Float]?, outFeatures: Int, inFeatures: Int, precision: WeightPrecision = .fp32) {
        precondition(weight.count == outFeatures * inFeatures, "Linear: \(weight.count) weights for \(outFeatures)×\(inFeatures)")
        precondition(bias == nil || bias!.count == outFeatures, "Linear: bias of \(bias!.count) for \(outFeatures) outputs")
        self.inFeatures = inFeatures
        self.outFeatures = outFeatures
        self.precision = precision
        self.weight = weight
        self.bias = bias
    }

    /// Bytes the weights take in memory.
    public var weightBytes: Int { weight.count * MemoryLayout<Float>.size }

    /// y[r] = W·x[r] + b for `rows` rows: `x` holds `rows × inFeatures`, `y` receives `rows × outFeatures`.
    public func apply(_ x: UnsafePointer<Float>, rows: Int, into y: UnsafeMutablePointer<Float>) {
        guard rows > 0 else { return }
        weight.withUnsafeBufferPointer { w in
            if rows == 1 {
                cblas_sgemv(CblasRowMajor, CblasNoTrans, Int32(outFeatures), Int32(inFeatures), 1, w.baseAddress, Int32(inFeatures),
                            x, 1, 0, y, 1)
            } else {
                cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, Int32(rows), Int32(outFeatures), Int32(inFeatures), 1,
                            x, Int32(inFeatures), w.baseAddress, Int32(inFeatures), 0, y, Int32(outFeatures))
            }
        }
        if let bias {
            for row in 0..<rows {
                let out = y + row * outFeatures
                for index in 0..<outFeatures { out[index] += bias[index] }
            }
        }
    }

    /// The same for arrays: `x` holds `rows × inFeatures` values.
    public func apply(_ x: [Float], rows: Int) -> [Float] {
        precondition(x.count == rows * inFeatures, "Linear: \(x.count) inputs for \(rows)×\(inFeatures)")
        return [Float](unsafeUninitializedCapacity: rows * outFeatures) { y, initialized in
            x.withUnsafeBufferPointer { apply($0.baseAddress!, rows: rows, into: y.baseAddress!) }
            initialized = rows * outFeatures
        }
    }
}

extension TensorSource {
    /// The `nn.Linear` at `module` (`module.weight`, and `module.bias` when `bias` is true).
    public func linear(_ module: String, bias: Bool, precision: WeightPrecision = .fp32) throws -> Linear {
        let weight = try effectiveWeight(of: module)
        guard weight.shape.count == 2 else {
            throw CheckpointError(sourcePath, "\(module).weight has shape \(weight.shape); a linear layer's is [out, in]")
        }
        var biasValues: [Float]?
        if bias {
            guard let tensor = tensor(named: "\(module).bias") else { throw CheckpointError(sourcePath, "has no tensor \(module).bias") }
            guard tensor.shape == [weight.shape[0]] else {
                throw CheckpointError(sourcePath, "\(module).bias has shape \(tensor.shape); \(module).weight needs [\(weight.shape[0])]")
            }
            biasValues = try tensor.floats()
        }
        return Linear(weight: weight.values, bias: biasValues, outFeatures: weight.shape[0], inFeatures: weight.shape[1], precision: precision)
    }
}
