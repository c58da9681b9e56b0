extension TensorSource {
    /// The effective weight of the module at `module` (weight norm folded), checked to have `shape`.
    func codecWeight(_ module: String, shape: [Int]) throws -> [Float] {
        let weight = try effectiveWeight(of: module)
        guard weight.shape == shape else {
            throw CheckpointError(sourcePath, "\(module) has a weight of shape \(weight.shape); the config needs \(shape)")
        }
        return weight.values
    }

    /// The float tensor `name`, checked to have `shape`; an error naming it when missing or misshapen.
    func codecTensor(_ name: String, shape: [Int]) throws -> [Float] {
        guard let tensor = tensor(named: name) else { throw CheckpointError(sourcePath, "has no tensor \(name)") }
        guard tensor.shape == shape else {
            throw CheckpointError(sourcePath, "\(name) has shape \(tensor.shape); the config needs \(shape)")
        }
        return try tensor.floats()
    }
}
