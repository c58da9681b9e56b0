/// A fixed-size block of floats owned by a class, so hot loops can write through a stable pointer without
/// the copy-on-write checks and bounds checks of an array (and without allocating per call).
final class FloatBuffer {
    let count: Int
    let pointer: UnsafeMutablePointer<Float>

    /// `count` floats, zeroed when `zeroed` (left uninitialised otherwise: for buffers that are written before
    /// they are read, such as a KV cache, where touching every page up front would cost time and memory).
    init(count: Int, zeroed: Bool = true) {
        self.count = count
        pointer = .allocate(capacity: max(count, 1))
        if zeroed { pointer.initialize(repeating: 0, count: count) }
    }

    deinit { pointer.deallocate() }

    /// The first `count` values as an array (copied).
    func array(_ count: Int? = nil) -> [Float] {
        Array(UnsafeBufferPointer(start: pointer, count: count ?? self.count))
    }
}
