import Foundation
@testable import RiffleAudio
import RiffleTestSupport
import Testing
import RiffleEngine

/// A spiky stem: low sines with sharp clicks every quarter second, four times as high, as drum
/// hits stand over a bass line.
private func spikyStem(seconds: Double, sampleRate: Int = 44100, level: Float) -> AudioBuffer {
    var buffer = stereoSines(seconds: seconds, sampleRate: sampleRate, amplitude: level, left: 110, right: 165)
    for frame in stride(from: 0, to: buffer.frameCount, by: sampleRate / 4) {
        for offset in 0..<40 where frame + offset < buffer.frameCount {
            let spike: Float = (offset % 2 == 0 ? 1 : -1) * min(0.95, 4 * level)
            buffer.samples[(frame + offset) * 2] = spike
            buffer.samples[(frame + offset) * 2 + 1] = spike
        }
    }
    return buffer
}

@Suite("Mastering: loudness target, true-peak ceiling, stems that still add up")
struct MasteringTests {
    @Test("quiet and loud mixes both end at -14 LUFS with true peak at most -1 dBTP", arguments: [Float(0.01), 0.2, 0.6])
    func reachesTarget(level: Float) throws {
        var stems = [spikyStem(seconds: 8, level: level), stereoSines(seconds: 8, sampleRate: 44100, amplitude: level / 2)]
        let result = try Mastering.streaming.master(&stems)
        let measured = try Loudness.measure(result.mix)
        #expect(abs(measured.integrated + 14) <= 0.3, "\(measured.integrated) LUFS")
        #expect(measured.truePeak <= -1, "\(measured.truePeak) dBTP")
        #expect(abs(result.loudness.integrated - measured.integrated) < 0.05, "the reported loudness is the measured one")
        #expect(abs(result.loudness.truePeak - measured.truePeak) < 0.05)
    }

    @Test("an empty buffer has an empty envelope (the peak scan once wrote past it)")
    func emptyEnvelope() {
        let limiter = PeakLimiter(ceiling: 0.8)
        #expect(limiter.envelope(for: AudioBuffer(sampleRate: 44100, channelCount: 2, samples: []), gain: 2).isEmpty)
    }

    @Test("the mastered stems sum to the mastered mix, sample for sample")
    func stemsSum() throws {
        var stems = [spikyStem(seconds: 5, level: 0.5), stereoSines(seconds: 5, sampleRate: 44100, amplitude: 0.3, left: 220, right: 330),
                     stereoSines(seconds: 5, sampleRate: 44100, amplitude: 0.1, left: 880, right: 990)]
        let result = try Mastering.streaming.master(&stems)
        #expect(firstDifference(Mastering.sum(stems).samples, result.mix.samples) == nil)
    }

    @Test("a fixed gain (an edit matching its parent) is applied as given")
    func fixedGain() throws {
        var stems = [stereoSines(seconds: 4, sampleRate: 44100, amplitude: 0.05)]
        let original = stems[0].samples
        let result = try Mastering.streaming.master(&stems, gainDecibels: 6)
        #expect(result.gainDecibels == 6)
        let ratio = stems[0].samples[1000] / original[1000]
        #expect(abs(20 * log10(Double(ratio)) - 6) < 0.01)
    }

    @Test("silence stays silence")
    func silence() throws {
        var stems = [AudioBuffer(silenceOfFrames: 44100, sampleRate: 44100, channelCount: 2)]
        let result = try Mastering.streaming.master(&stems)
        #expect(result.mix.samples.allSatisfy { $0 == 0 })
    }

    @Test("the limiter's envelope keeps every peak under the ceiling and never boosts")
    func limiterEnvelope() {
        let audio = spikyStem(seconds: 3, level: 0.3)
        let limiter = PeakLimiter(ceiling: 0.5)
        let envelope = limiter.envelope(for: audio, gain: 1.5)
        #expect(envelope.allSatisfy { $0 <= 1 && $0 > 0 })
        var loudest: Float = 0
        for frame in 0..<audio.frameCount {
            for channel in 0..<2 { loudest = max(loudest, abs(audio.samples[frame * 2 + channel] * 1.5 * envelope[frame])) }
        }
        #expect(loudest <= 0.5 + 1e-6, "peak \(loudest) over a 0.5 ceiling")
        // Far from a click the gain has recovered: the limiter only acts around peaks.
        #expect(envelope[44100 / 8] > 0.99)
    }
}
