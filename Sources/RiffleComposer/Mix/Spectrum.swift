import Foundation
import RiffleEngine

/// A stem's long-term power spectrum, estimated from a few short windows spread over the take, on
/// a coarse grid of third-octave-like bands: enough to say how its energy splits between sub, low,
/// mids and air, at a few milliseconds per stem.
///
/// The FFT is a plain iterative radix-2 one written here: an 8192-point transform on a few windows
/// needs nothing faster, and FFTW would be a new system dependency for it.
struct Spectrum {
    /// Centre frequencies of the grid's bands, 20 Hz to 20 kHz, three per octave.
    static let centres: [Double] = (0..<30).map { 20 * pow(2, Double($0) / 3) }
    /// Power per band, summed over the windows (arbitrary but common units across stems).
    var power: [Double]

    static let windowLength = 8192
    static let windows = 6
    /// The Hann window over ``windowLength`` samples, worked out once for every stem of every take.
    private static let hann = (0..<windowLength).map { 0.5 - 0.5 * cos(2 * Double.pi * Double($0) / Double(windowLength)) }

    /// The spectrum of `buffer`'s two channels together, from ``windows`` Hann windows evenly spread.
    init(of buffer: AudioBuffer) {
        power = [Double](repeating: 0, count: Self.centres.count)
        let n = Self.windowLength
        let frames = buffer.frameCount
        guard buffer.channelCount == 2, frames >= n else { return }
        let hann = Self.hann
        // Grid band of every FFT bin: the band whose centre is nearest on a log scale.
        let binWidth = Double(buffer.sampleRate) / Double(n)
        let bandOfBin: [Int] = (0...n / 2).map { bin in
            let frequency = max(Double(bin) * binWidth, 1)
            var band = min(max(Int((3 * log2(frequency / 20)).rounded()), 0), Self.centres.count - 1)
            // Never across a share edge: a kick's 55 Hz is sub, not the 63 Hz band's low.
            for edge in MixStyle.BandShares.edges {
                if frequency < edge && Self.centres[band] >= edge { band -= 1 }
                if frequency >= edge && Self.centres[band] < edge { band += 1 }
            }
            return band
        }
        var real = [Double](repeating: 0, count: n), imaginary = [Double](repeating: 0, count: n)
        let step = (frames - n) / Self.windows
        for window in 0..<Self.windows {
            let start = step / 2 + window * step
            buffer.samples.withUnsafeBufferPointer { samples in
                // Left as the real part, right as the imaginary: one transform gives both channels.
                for index in 0..<n {
                    let frame = start + index
                    real[index] = Double(samples[2 * frame]) * hann[index]
                    imaginary[index] = Double(samples[2 * frame + 1]) * hann[index]
                }
            }
            Self.transform(&real, &imaginary)
            // |L[k]|² + |R[k]|² = (|Z[k]|² + |Z[n-k]|²) / 2 for Z = L + iR.
            for bin in 1...n / 2 {
                let mirror = (n - bin) % n
                let both = real[bin] * real[bin] + imaginary[bin] * imaginary[bin] + real[mirror] * real[mirror] + imaginary[mirror] * imaginary[mirror]
                power[bandOfBin[bin]] += bin == n / 2 ? both / 4 : both / 2
            }
        }
    }

    init(power: [Double]) { self.power = power }

    /// In-place radix-2 decimation-in-time FFT; the length must be a power of two.
    static func transform(_ real: inout [Double], _ imaginary: inout [Double]) {
        let n = real.count
        var j = 0
        for i in 1..<n {
            var bit = n >> 1
            while j & bit != 0 {
                j ^= bit
                bit >>= 1
            }
            j |= bit
            if i < j {
                real.swapAt(i, j)
                imaginary.swapAt(i, j)
            }
        }
        var length = 2
        while length <= n {
            let angle = -2 * Double.pi / Double(length)
            let (stepReal, stepImaginary) = (cos(angle), sin(angle))
            for start in stride(from: 0, to: n, by: length) {
                var (wReal, wImaginary) = (1.0, 0.0)
                for k in 0..<length / 2 {
                    let a = start + k, b = a + length / 2
                    let tReal = real[b] * wReal - imaginary[b] * wImaginary
                    let tImaginary = real[b] * wImaginary + imaginary[b] * wReal
                    real[b] = real[a] - tReal
                    imaginary[b] = imaginary[a] - tImaginary
                    real[a] += tReal
                    imaginary[a] += tImaginary
                    (wReal, wImaginary) = (wReal * stepReal - wImaginary * stepImaginary, wReal * stepImaginary + wImaginary * stepReal)
                }
            }
            length <<= 1
        }
    }

    /// This spectrum after `filters` and a widener of `width`, predicted from their responses at
    /// the band centres. The widener adds the delayed, high-passed mid to both sides: about width²
    /// times the mid's power above 250 Hz (taken as half the total, for a near-mono part).
    func filtered(by filters: [Biquad], width: Double = 0, sampleRate: Int) -> Spectrum {
        Spectrum(power: zip(Self.centres, power).map { centre, power in
            guard centre < 0.5 * Double(sampleRate) else { return 0 }
            let widened = 1 + width * width * centre * centre / (centre * centre + 250 * 250)
            return filters.reduce(power * widened) { $0 * $1.powerGain(at: centre, sampleRate: sampleRate) }
        })
    }

    /// Shares of the power below 60 Hz, 60-250 Hz, 250 Hz-2 kHz, 2-8 kHz and above 8 kHz.
    static func shares(_ power: [Double]) -> [Double] {
        var bands = [Double](repeating: 0, count: 5)
        for (centre, value) in zip(centres, power) {
            bands[MixStyle.BandShares.edges.firstIndex { centre < $0 } ?? 4] += value
        }
        let total = bands.reduce(0, +)
        return total > 0 ? bands.map { $0 / total } : bands
    }
}
