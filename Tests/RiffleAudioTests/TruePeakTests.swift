import Foundation
@testable import RiffleAudio
import RiffleEngine
import RiffleTestSupport
import Testing

@Suite("True peak: measuring only the loud stretches finds what measuring everything finds")
struct TruePeakTests {
    /// A stereo buffer from one generator per channel.
    private func buffer(frames: Int, _ sample: (Int, Int) -> Float) -> AudioBuffer {
        var samples = [Float](repeating: 0, count: frames * 2)
        for frame in 0..<frames {
            for channel in 0..<2 { samples[frame * 2 + channel] = sample(frame, channel) }
        }
        return AudioBuffer(sampleRate: 44100, channelCount: 2, samples: samples)
    }

    @Test("music-like audio: the same true and sample peaks as libebur128 over every sample")
    func musicLike() throws {
        var generator = SystemRandomNumberGenerator()
        var noise = (0..<(44100 * 6)).map { _ in Float.random(in: -1...1, using: &generator) }
        // Low-passed noise under loud hits near the top of the spectrum, where true peaks hide.
        for index in 1..<noise.count { noise[index] = 0.9 * noise[index - 1] + 0.1 * noise[index] }
        let audio = buffer(frames: noise.count) { frame, channel in
            let hit: Float = frame % 11025 < 30 ? (frame % 2 == 0 ? 0.7 : -0.7) : 0
            return 0.3 * noise[frame] * (channel == 0 ? 1 : 0.6) + hit
        }
        let full = try Loudness.measure(audio)
        let pruned = try Loudness.peaks(audio, integrated: full.integrated)
        #expect(abs(pruned.truePeak - full.truePeak) < 1e-6, "\(pruned.truePeak) vs \(full.truePeak) dBTP")
        #expect(abs(pruned.samplePeak - full.samplePeak) < 1e-6)
    }

    @Test("the quiet stretches cannot hide a higher true peak: a near-Nyquist burst just under the threshold")
    func adversarialQuietBurst() throws {
        // One loud sample, and elsewhere a burst whose samples stay just under 0.4 of it but whose
        // signs line up with the interpolator so the in-between values swing as far as they can.
        let level = TruePeakRegions.threshold * 0.999
        let audio = buffer(frames: 44100) { frame, _ in
            if frame == 1000 { return 0.5 }
            if (20000..<20200).contains(frame) { return (frame / 2) % 2 == 0 ? 0.5 * level : -0.5 * level }
            return 0
        }
        let full = try Loudness.measure(audio)
        let pruned = try Loudness.peaks(audio, integrated: full.integrated)
        #expect(abs(pruned.truePeak - full.truePeak) < 1e-6, "\(pruned.truePeak) vs \(full.truePeak) dBTP")
    }

    @Test("silence measures as silence")
    func silence() throws {
        let pruned = try Loudness.peaks(buffer(frames: 4410) { _, _ in 0 }, integrated: -.infinity)
        #expect(pruned.truePeak == -.infinity)
        #expect(pruned.samplePeak == -.infinity)
    }
}
