import Foundation
import RiffleAudio

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
