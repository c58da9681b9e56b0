import Foundation
import RiffleAudio
import RiffleEngine
import RiffleTestSupport
import Testing

/// `buffer` rounded to the steps of an integer bit depth, as an exact lossless round trip must return it.
func quantised(_ buffer: AudioBuffer, bits: Int) -> AudioBuffer {
    let scale = Float(1 << (bits - 1))
    var copy = buffer
    copy.samples = buffer.samples.map { ($0 * scale).rounded() / scale }
    return copy
}

/// Root-mean-square difference between two equally long signals, in dB relative to full scale.
func differenceDecibels(_ a: [Float], _ b: [Float]) -> Double {
    precondition(a.count == b.count)
    let sum = zip(a, b).reduce(0.0) { $0 + Double(($1.0 - $1.1) * ($1.0 - $1.1)) }
    let rms = (sum / Double(max(a.count, 1))).squareRoot()
    return rms > 0 ? 20 * log10(rms) : -.infinity
}

/// SplitMix64: the same numbers on every run, for test signals.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
