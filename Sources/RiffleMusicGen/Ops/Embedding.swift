/// `nn.Embedding`: a table of `count` vectors of `dimension`, looked up by id.
struct Embedding {
    let table: [Float]
    let count: Int
    let dimension: Int

    init(_ source: TensorSource, _ name: String, count: Int, dimension: Int) throws {
        table = try source.floats(name, shape: [count, dimension])
        self.count = count
        self.dimension = dimension
    }

    /// Adds row `id` to `output` (`dimension` floats).
    @inline(__always)
    func add(_ id: Int, to output: UnsafeMutablePointer<Float>) {
        precondition(id >= 0 && id < count, "embedding id \(id) outside 0..<\(count)")
        table.withUnsafeBufferPointer { t in
            let row = t.baseAddress! + id * dimension
            for i in 0..<dimension { output[i] += row[i] }
        }
    }
}
