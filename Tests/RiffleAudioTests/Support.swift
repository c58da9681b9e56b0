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
