/// nn.ELU (α = 1): x for x > 0, exp(x) − 1 otherwise.
///
/// The decoder applies ELU to a few hundred million samples for 30 s of audio, where libm's expm1f (a call
/// per sample) cost more than the convolutions around it. This version has no calls and no branches, so
/// loops over it vectorize: expm1(x) = 2^n·expm1(r) + (2^n − 1) with n = round(x / ln 2) and
/// r = x − n·ln 2 in [−ln2/2, ln2/2] (Cody–Waite), expm1(r) by its Taylor series to r⁸ (truncation below
/// 3e-10). For |x| < ln2/2, n = 0 and the result is the series itself, so small inputs keep their relative
/// precision as expm1 does. Within a few ulp of expm1f (see EncodecKernelTests).
@inline(__always)
func elu(_ x: Float) -> Float {
    let z = min(max(x, -87), 0)  // below −87, 2^n would leave the normal range; expm1 is −1 there anyway
    // Adding 1.5·2²³ rounds to an integer and leaves it in the low mantissa bits: n without a conversion.
    let shifted = z * 1.442_695_04 + 12_582_912
    let n = shifted - 12_582_912
    let r = (z - n * 0.693_359_375) - n * -2.121_944_4e-4
    let series = r + r * r * (0.5 + r * (1.0 / 6 + r * (1.0 / 24 + r * (1.0 / 120 + r * (1.0 / 720 + r * (1.0 / 5040 + r * (1.0 / 40320)))))))
    let scale = Float(bitPattern: (shifted.bitPattern &- 0x4B40_0000 &+ 127) &<< 23)
    let expm1 = scale * series + (scale - 1)
    return x > 0 ? x : expm1
}

/// ELU in place over `count` values.
func applyELU(_ values: UnsafeMutablePointer<Float>, count: Int) {
    for index in 0..<count { values[index] = elu(values[index]) }
}
