import Foundation
import RiffleAudio
import RiffleEngine

/// A stereo test signal: a different sine in each channel, so swapped or mixed channels show.
public func stereoSines(seconds: Double, sampleRate: Int, amplitude: Float = 0.5,
                        left: Double = 440, right: Double = 660) -> AudioBuffer {
    let frames = Int((seconds * Double(sampleRate)).rounded())
    var samples = [Float](repeating: 0, count: frames * 2)
    for frame in 0..<frames {
        let t = Double(frame) / Double(sampleRate)
        samples[2 * frame] = amplitude * Float(sin(2 * .pi * left * t))
        samples[2 * frame + 1] = amplitude * Float(sin(2 * .pi * right * t))
    }
    return AudioBuffer(sampleRate: sampleRate, channelCount: 2, samples: samples)
}

/// `nil` when both sample arrays are identical, else where and how they first differ.
///
/// Used instead of `==` in expectations: a failed `==` on arrays of a million samples makes the test
/// library diff and print them all.
public func firstDifference(_ actual: [Float], _ expected: [Float]) -> String? {
    if actual.count != expected.count { return "\(actual.count) samples, expected \(expected.count)" }
    guard let index = actual.indices.first(where: { actual[$0] != expected[$0] }) else { return nil }
    let differing = actual.indices.filter { actual[$0] != expected[$0] }.count
    return "\(differing) samples differ; first at \(index): \(actual[index]), expected \(expected[index])"
}
