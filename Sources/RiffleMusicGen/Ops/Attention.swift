import COpenBLAS
import Foundation

/// Softmax attention kernels shared by the decoder's self- and cross-attention.
enum Attention {
    /// Softmax of `count` scores in place (max subtracted first, as torch does). Scores of −∞ get weight 0.
    static func softmax(_ x: UnsafeMutablePointer<Float>, count: Int) {
        guard count > 0 else { return }
        var largest = -Float.infinity
        for i in 0..<count where x[i] > largest { largest = x[i] }
        guard largest > -Float.infinity else {
            // Every key excluded: no weights at all (the caller's output stays zero).
            for i in 0..<count { x[i] = 0 }
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
        guard count > 0 else {
            out.update(repeating: 0, count: headDim)
            return
        }
        cblas_sgemv(CblasRowMajor, CblasNoTrans, Int32(count), Int32(headDim), scale, keys, Int32(stride),
                    query, 1, 0, scores, 1)
        softmax(scores, count: count)
        cblas_sgemv(CblasRowMajor, CblasTrans, Int32(count), Int32(headDim), 1, values, Int32(stride),
                    scores, 1, 0, out, 1)
    }
}
