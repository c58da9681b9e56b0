import Foundation

/// The activations the two transformers use, in place.
enum Activation {
    /// Exact GELU, x · Φ(x) = ½x(1 + erf(x/√2)): transformers' "gelu" (not the tanh approximation).
    static func gelu(_ x: UnsafeMutablePointer<Float>, count: Int) {
        let inverseRoot2: Float = 0.707_106_781_186_547_6
        for i in 0..<count {
            let v = x[i]
            x[i] = 0.5 * v * (1 + erf(v * inverseRoot2))
        }
    }

    /// max(x, 0).
    static func relu(_ x: UnsafeMutablePointer<Float>, count: Int) {
        for i in 0..<count where x[i] < 0 { x[i] = 0 }
    }
}
