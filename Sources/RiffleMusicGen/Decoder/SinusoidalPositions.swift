import Foundation

/// MusicGen's sinusoidal position embedding (transformers' `MusicgenSinusoidalPositionalEmbedding`).
enum SinusoidalPositions {
    /// Row p of the table, into `row` (`dimension` floats): [cos(p·f₀) … cos(p·f_{h−1}), sin(p·f₀) …],
    /// h = dimension/2, fᵢ = exp(−i·ln(10000)/(h − 1)), and a trailing 0 when the dimension is odd.
    ///
    /// Each operation is rounded to Float as torch's float32 tensors are: at position 1500 the angle is
    /// 1500 rad, where computing it in Double would move cos by about 1e-4.
    static func fill(position: Int, dimension: Int, into row: UnsafeMutablePointer<Float>) {
        let half = dimension / 2
        let step = Float(log(10_000.0) / Double(half - 1))
        let p = Float(position)
        for i in 0..<half {
            let frequency = Float(exp(Double(Float(i) * -step)))
            let angle = Double(p * frequency)
            row[i] = Float(cos(angle))
            row[half + i] = Float(sin(angle))
        }
        if dimension % 2 == 1 { row[dimension - 1] = 0 }
    }
}
