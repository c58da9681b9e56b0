/// A weight as the model uses it: its shape and values (row-major, as PyTorch stores them).
public struct Weight: Sendable, Equatable {
    public let shape: [Int]
    public let values: [Float]
}

extension TensorSource {
    /// The effective `weight` of the module at `module` (e.g. "audio_encoder.decoder.layers.0.conv"), whichever
    /// way the checkpoint names it: plain `weight`; the hub's weight-normed `weight_g`/`weight_v`; or newer
    /// save_pretrained's `parametrizations.weight.original0`/`original1` (g, v). Weight norm is folded here,
    /// as torch.nn.utils.weight_norm with dim=0: w = g · v / ‖v‖, the norm over every dimension but the first.
    public func effectiveWeight(of module: String) throws -> Weight {
        if let plain = tensor(named: "\(module).weight") {
            return Weight(shape: plain.shape, values: try plain.floats())
        }
        let pairs = [("\(module).weight_g", "\(module).weight_v"),
                     ("\(module).parametrizations.weight.original0", "\(module).parametrizations.weight.original1")]
        for (gName, vName) in pairs {
            let g = tensor(named: gName), v = tensor(named: vName)
            if g == nil && v == nil { continue }
            guard let g, let v else {
                throw CheckpointError(sourcePath, "has \(g == nil ? vName : gName) without \(g == nil ? gName : vName)")
            }
            return try Self.foldWeightNorm(g: g, v: v, path: sourcePath)
        }
        throw CheckpointError(sourcePath, "has no weight for \(module) (neither \(module).weight, \(module).weight_g/_v nor \(module).parametrizations.weight.original0/1)")
    }

    static func foldWeightNorm(g: SafeTensor, v: SafeTensor, path: String) throws -> Weight {
        guard let rows = v.shape.first, rows > 0 else { throw CheckpointError(path, "\(v.name) has shape \(v.shape): no first dimension to normalise over") }
        guard g.elementCount == rows, g.shape.first == rows, g.shape.dropFirst().allSatisfy({ $0 == 1 }) else {
            throw CheckpointError(path, "\(g.name) has shape \(g.shape), but \(v.name) (\(v.shape)) needs one magnitude per row: [\(rows), 1, …]")
        }
        let gains = try g.floats()
        var values = try v.floats()
        let rowLength = values.count / rows
        for row in 0..<rows {
            let range = row * rowLength..<(row + 1) * rowLength
            var squares = 0.0
            for index in range { squares += Double(values[index]) * Double(values[index]) }
            let scale = Double(gains[row]) / squares.squareRoot()
            for index in range { values[index] = Float(Double(values[index]) * scale) }
        }
        return Weight(shape: v.shape, values: values)
    }
}
