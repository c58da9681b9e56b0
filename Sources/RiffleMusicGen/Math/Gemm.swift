import COpenBLAS

// The raw BLAS products the codec's convolutions and LSTM need: row-major, with leading dimensions, so that a
// layer can multiply a window of a larger buffer (a time-shifted view of a padded signal) without copying it.
// `Linear` stays the way to apply a whole nn.Linear; these are for kernels that lay out their own operands.

/// C = α·op(A)·op(B) + β·C, row-major. op(A) is m×k, op(B) is k×n, C is m×n; `lda`, `ldb`, `ldc` are the
/// row strides of A, B and C as stored (before any transpose).
func sgemm(transposeA: Bool = false, transposeB: Bool = false, m: Int, n: Int, k: Int, alpha: Float = 1,
           a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int,
           beta: Float, c: UnsafeMutablePointer<Float>, ldc: Int) {
    guard m > 0, n > 0 else { return }
    cblas_sgemm(CblasRowMajor, transposeA ? CblasTrans : CblasNoTrans, transposeB ? CblasTrans : CblasNoTrans,
                Int32(m), Int32(n), Int32(k), alpha, a, Int32(lda), b, Int32(ldb), beta, c, Int32(ldc))
}

/// y = α·A·x + β·y, row-major A of m×n with row stride `lda`.
func sgemv(m: Int, n: Int, alpha: Float = 1, a: UnsafePointer<Float>, lda: Int, x: UnsafePointer<Float>,
           beta: Float, y: UnsafeMutablePointer<Float>) {
    guard m > 0 else { return }
    cblas_sgemv(CblasRowMajor, CblasNoTrans, Int32(m), Int32(n), alpha, a, Int32(lda), x, 1, beta, y, 1)
}
