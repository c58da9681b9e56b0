import Foundation

/// A second-order IIR filter section with coefficients from Robert Bristow-Johnson's "Audio EQ
/// Cookbook" formulas, run in transposed direct form II over interleaved stereo.
///
/// Hand-written rather than taken from a library: the four shapes needed are a few lines each,
/// libsox's effects work on 32-bit integer buffers through an effects chain (a copy and a conversion
/// per stem), and liquid-dsp would be a new system dependency for one loop. Coefficients and state
/// are designed in Double; ``StemProcessor`` runs them in Float, which keeps the noise of a 60 Hz
/// shelf at 48 kHz far below anything audible.
struct Biquad {
    var b0: Double, b1: Double, b2: Double, a1: Double, a2: Double

    private init(b0: Double, b1: Double, b2: Double, a0: Double, a1: Double, a2: Double) {
        self.b0 = b0 / a0
        self.b1 = b1 / a0
        self.b2 = b2 / a0
        self.a1 = a1 / a0
        self.a2 = a2 / a0
    }

    /// Angular frequency, clamped below Nyquist so a corner above it cannot blow up.
    private static func omega(_ frequency: Double, _ sampleRate: Int) -> Double {
        2 * Double.pi * min(max(frequency, 1), 0.45 * Double(sampleRate)) / Double(sampleRate)
    }

    /// Butterworth (Q = 1/√2) high-pass.
    static func highPass(_ frequency: Double, sampleRate: Int) -> Biquad {
        let w = omega(frequency, sampleRate), c = cos(w), alpha = sin(w) / 2.0.squareRoot()
        return Biquad(b0: (1 + c) / 2, b1: -(1 + c), b2: (1 + c) / 2, a0: 1 + alpha, a1: -2 * c, a2: 1 - alpha)
    }

    /// Butterworth low-pass.
    static func lowPass(_ frequency: Double, sampleRate: Int) -> Biquad {
        let w = omega(frequency, sampleRate), c = cos(w), alpha = sin(w) / 2.0.squareRoot()
        return Biquad(b0: (1 - c) / 2, b1: 1 - c, b2: (1 - c) / 2, a0: 1 + alpha, a1: -2 * c, a2: 1 - alpha)
    }

    /// Low shelf with the steepest monotonic slope (S = 1).
    static func lowShelf(_ frequency: Double, gain decibels: Double, sampleRate: Int) -> Biquad {
        let a = pow(10, decibels / 40), w = omega(frequency, sampleRate), c = cos(w)
        let k = 2 * a.squareRoot() * sin(w) / 2 * 2.0.squareRoot()
        return Biquad(b0: a * ((a + 1) - (a - 1) * c + k), b1: 2 * a * ((a - 1) - (a + 1) * c), b2: a * ((a + 1) - (a - 1) * c - k),
                      a0: (a + 1) + (a - 1) * c + k, a1: -2 * ((a - 1) + (a + 1) * c), a2: (a + 1) + (a - 1) * c - k)
    }

    /// High shelf (S = 1).
    static func highShelf(_ frequency: Double, gain decibels: Double, sampleRate: Int) -> Biquad {
        let a = pow(10, decibels / 40), w = omega(frequency, sampleRate), c = cos(w)
        let k = 2 * a.squareRoot() * sin(w) / 2 * 2.0.squareRoot()
        return Biquad(b0: a * ((a + 1) + (a - 1) * c + k), b1: -2 * a * ((a - 1) + (a + 1) * c), b2: a * ((a + 1) + (a - 1) * c - k),
                      a0: (a + 1) - (a - 1) * c + k, a1: 2 * ((a - 1) - (a + 1) * c), a2: (a + 1) - (a - 1) * c - k)
    }

    /// The power gain |H|² at `frequency`, for predicting what the filter does to a spectrum.
    func powerGain(at frequency: Double, sampleRate: Int) -> Double {
        let w = 2 * Double.pi * frequency / Double(sampleRate)
        let (c1, s1, c2, s2) = (cos(w), sin(w), cos(2 * w), sin(2 * w))
        let numeratorReal = b0 + b1 * c1 + b2 * c2, numeratorImaginary = -(b1 * s1 + b2 * s2)
        let denominatorReal = 1 + a1 * c1 + a2 * c2, denominatorImaginary = -(a1 * s1 + a2 * s2)
        return (numeratorReal * numeratorReal + numeratorImaginary * numeratorImaginary)
            / (denominatorReal * denominatorReal + denominatorImaginary * denominatorImaginary)
    }
}
