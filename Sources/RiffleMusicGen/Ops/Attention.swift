import Foundation

/// Softmax attention kernels shared by the decoder's self- and cross-attention.
///
/// Plain Swift SIMD loops rather than BLAS: one head's keys are at most a few thousand short vectors,
/// where OpenBLAS's sgemv hands the work to its threads (above 9216 elements) and the hand-offs cost more
/// than the arithmetic, badly so on a loaded machine.
enum Attention {
    /// Softmax of `count` scores in place (max subtracted first, as torch does). Scores of −∞ get weight 0.
    static func softmax(_ x: UnsafeMutablePointer<Float>, count: Int) {
        guard count > 0 else { return }
        var largest = -Float.infinity
        for i in 0..<count where x[i] > largest { largest = x[i] }
        guard largest > -Float.infinity else {
            // Every key excluded: no weights at all (the caller's output stays zero).
            x.update(repeating: 0, count: count)
            return
        }
        var sum: Float = 0
        for i in 0..<count {
            let e = expf(x[i] - largest)
            x[i] = e
            sum += e
        }
        let inverse = 1 / sum
        for i in 0..<count { x[i] *= inverse }
    }

    /// One query over `count` keys: out = Σⱼ softmax(scale · q·kⱼ)ⱼ vⱼ, for one head.
    ///
    /// Key and value j start at `keys + j·stride` and `values + j·stride` (`headDim` floats each);
    /// `scores` has room for `count` floats. No keys gives zeros.
    static func attend(query: UnsafePointer<Float>, keys: UnsafePointer<Float>, values: UnsafePointer<Float>,
                       count: Int, headDim: Int, stride: Int, scale: Float,
                       scores: UnsafeMutablePointer<Float>, into out: UnsafeMutablePointer<Float>) {
        out.update(repeating: 0, count: headDim)
        guard count > 0 else { return }
        for j in 0..<count { scores[j] = scale * dot(query, keys + j * stride, headDim) }
        softmax(scores, count: count)
        for j in 0..<count {
            let weight = scores[j], value = values + j * stride
            for i in 0..<headDim { out[i] += weight * value[i] }
        }
    }

    /// Σ aᵢbᵢ over `count` floats, in two 8-wide accumulators (the compiler will not reorder a Float sum).
    @inline(__always)
    static func dot(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, _ count: Int) -> Float {
        let ra = UnsafeRawPointer(a), rb = UnsafeRawPointer(b)
        var first = SIMD8<Float>(), second = SIMD8<Float>()
        var i = 0
        while i + 16 <= count {
            first += ra.loadUnaligned(fromByteOffset: i * 4, as: SIMD8<Float>.self) * rb.loadUnaligned(fromByteOffset: i * 4, as: SIMD8<Float>.self)
            second += ra.loadUnaligned(fromByteOffset: i * 4 + 32, as: SIMD8<Float>.self) * rb.loadUnaligned(fromByteOffset: i * 4 + 32, as: SIMD8<Float>.self)
            i += 16
        }
        var sum = (first + second).sum()
        while i < count {
            sum += a[i] * b[i]
            i += 1
        }
        return sum
    }
}
