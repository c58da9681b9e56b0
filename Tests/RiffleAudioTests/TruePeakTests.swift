import Foundation
@testable import RiffleAudio
import RiffleEngine
import RiffleTestSupport
import Testing

@Suite("True peak: the fast measurement reads what libebur128 reads over every sample")
struct TruePeakTests {
    /// A stereo buffer from one generator per channel.
    private func buffer(frames: Int, sampleRate: Int = 44100, _ sample: (Int, Int) -> Float) -> AudioBuffer {
        var samples = [Float](repeating: 0, count: frames * 2)
        for frame in 0..<frames {
            for channel in 0..<2 { samples[frame * 2 + channel] = sample(frame, channel) }
        }
        return AudioBuffer(sampleRate: sampleRate, channelCount: 2, samples: samples)
    }

    /// Low-passed noise under loud hits near the top of the spectrum, where true peaks hide.
    private func musicLike(frames: Int, sampleRate: Int = 44100, seed: UInt64) -> AudioBuffer {
        var generator = SplitMix64(state: seed)
        var noise = (0..<frames).map { _ in Float.random(in: -1...1, using: &generator) }
        for index in 1..<noise.count { noise[index] = 0.9 * noise[index - 1] + 0.1 * noise[index] }
        let hitLevel = Float.random(in: 0.3...0.8, using: &generator)
        return buffer(frames: frames, sampleRate: sampleRate) { frame, channel in
            let hit: Float = frame % 11025 < 30 ? (frame % 2 == 0 ? hitLevel : -hitLevel) : 0
            return 0.3 * noise[frame] * (channel == 0 ? 1 : 0.6) + (channel == 1 ? hit : 0.8 * hit)
        }
    }

    @Test("music-like audio: the same true and sample peaks as libebur128", arguments: [UInt64(1), 2, 3, 4])
    func musicLikeAudio(seed: UInt64) throws {
        let audio = musicLike(frames: 44100 * 3, seed: seed)
        let full = try Loudness.measure(audio)
        let fast = try Loudness.peaks(audio, integrated: full.integrated)
        #expect(abs(fast.truePeak - full.truePeak) < 1e-4, "\(fast.truePeak) vs \(full.truePeak) dBTP")
        #expect(abs(fast.samplePeak - full.samplePeak) < 1e-6)
        #expect(fast.integrated == full.integrated)
    }

    @Test("a burst right at the start or the end is read as libebur128 reads it", arguments: [true, false])
    func burstAtAnEdge(atStart: Bool) throws {
        let frames = 8000
        let audio = buffer(frames: frames) { frame, channel in
            let position = atStart ? frame : frames - 1 - frame
            guard position < 40 else { return 0.01 * Float(channel + 1) }
            return (position / 2) % 2 == 0 ? 0.6 : -0.6
        }
        let full = try Loudness.measure(audio)
        let fast = try Loudness.peaks(audio, integrated: full.integrated)
        #expect(abs(fast.truePeak - full.truePeak) < 1e-4, "\(fast.truePeak) vs \(full.truePeak) dBTP")
    }

    @Test("at 96 kHz, where libebur128 oversamples less, libebur128 measures")
    func highRate() throws {
        let audio = musicLike(frames: 96000, sampleRate: 96000, seed: 9)
        let full = try Loudness.measure(audio)
        let fast = try Loudness.peaks(audio, integrated: full.integrated)
        #expect(fast.truePeak == full.truePeak)
        #expect(InterSamplePeaks.measure(audio) == nil)
    }

    @Test("the limiter's frame peaks reach the meter's true peak and are never under the samples")
    func framePeaksMatchTheMeter() throws {
        let audio = musicLike(frames: 44100 * 2, seed: 5)
        let peaks = PeakLimiter.framePeaks(audio)
        #expect(peaks.count == audio.frameCount)
        let full = try Loudness.measure(audio)
        let highest = 20 * log10(Double(peaks.max() ?? 0))
        // The frame peaks also count the points after the last frames, which the meter never sees.
        #expect(highest >= full.truePeak - 1e-4 && highest < full.truePeak + 0.05, "\(highest) vs \(full.truePeak)")
        for frame in stride(from: 0, to: audio.frameCount, by: 7) {
            let loudest = max(abs(audio.samples[2 * frame]), abs(audio.samples[2 * frame + 1]))
            #expect(peaks[frame] >= loudest, "frame \(frame)")
            if peaks[frame] < loudest { break }
        }
    }

    @Test("the held peak is the maximum over the window, for any window", arguments: [1, 3, 64, 220, 5000])
    func trailingMaximum(window: Int) {
        var generator = SplitMix64(state: UInt64(window))
        let values = (0..<3001).map { _ in Float.random(in: 0...1, using: &generator) }
        let held = PeakLimiter.trailingMaximum(values, window: window)
        #expect(held.count == values.count)
        var mismatches = 0
        for index in values.indices where held[index] != values[max(0, index - window + 1)...index].max() { mismatches += 1 }
        #expect(mismatches == 0)
    }

    @Test("silence measures as silence")
    func silence() throws {
        let fast = try Loudness.peaks(buffer(frames: 4410) { _, _ in 0 }, integrated: -.infinity)
        #expect(fast.truePeak == -.infinity)
        #expect(fast.samplePeak == -.infinity)
    }
}
