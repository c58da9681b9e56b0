extension TensorSource {
    /// The float tensor `name`, required to have `shape`; errors name the tensor and what was expected.
    func floats(_ name: String, shape: [Int]) throws -> [Float] {
        guard let tensor = tensor(named: name) else { throw CheckpointError(sourcePath, "has no tensor \(name)") }
        guard tensor.shape == shape else {
            throw CheckpointError(sourcePath, "\(name) has shape \(tensor.shape); the config needs \(shape)")
        }
        return try tensor.floats()
    }

    /// `linear(module, …)`, also checking its size against the config so that a mismatched checkpoint fails
    /// at load with the module's name rather than in a matrix product.
    func linear(_ module: String, bias: Bool, inFeatures: Int, outFeatures: Int, precision: WeightPrecision) throws -> Linear {
        let layer = try linear(module, bias: bias, precision: precision)
        guard layer.inFeatures == inFeatures, layer.outFeatures == outFeatures else {
            throw CheckpointError(sourcePath, "\(module).weight is [\(layer.outFeatures), \(layer.inFeatures)]; the config needs [\(outFeatures), \(inFeatures)]")
        }
        return layer
    }
}
