import CMusicGenKernels

/// IEEE half values in memory: the decoder's self-attention keys and values when its weights are kept in
/// fp16 or int8.
///
/// A 30 s take with guidance keeps 590 MB of fp32 keys and values for musicgen-small, more than its int8
/// weights; in half precision that is halved, and so are the bytes the late steps read. fp32 weights keep an
/// fp32 cache, so that precision stays transformers' to rounding.
final class HalfBuffer {
    let count: Int
    let pointer: UnsafeMutablePointer<UInt16>

    /// `count` halves, left uninitialised (a cache position is written before it is read).
    init(count: Int) {
        self.count = count
        pointer = .allocate(capacity: max(count, 1))
    }

    deinit { pointer.deallocate() }
}

/// Attention over a half-precision cache, in the kernels' C (F16C widens 16 halves an instruction).
enum HalfAttention {
    /// Stores `count` floats as halves (round to nearest even).
    @inline(__always)
    static func store(_ source: UnsafePointer<Float>, into destination: UnsafeMutablePointer<UInt16>, count: Int) {
        riffle_mg_to_f16(source, destination, count)
    }

    /// out = Σⱼ softmax(scale · q·kⱼ)ⱼ vⱼ over `count` half keys and values of `headDim` each, consecutive.
    @inline(__always)
    static func attend(query: UnsafePointer<Float>, keys: UnsafePointer<UInt16>, values: UnsafePointer<UInt16>, count: Int,
                       headDim: Int, scale: Float, scores: UnsafeMutablePointer<Float>, into out: UnsafeMutablePointer<Float>) {
        riffle_mg_attend_f16(query, keys, values, Int32(count), Int32(headDim), scale, scores, out)
    }
}
