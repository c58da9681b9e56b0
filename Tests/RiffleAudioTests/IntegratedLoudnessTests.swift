import Foundation
@testable import RiffleAudio
import RiffleEngine
import RiffleTestSupport
import Testing

@Suite("Integrated loudness: the fast measurement reads what libebur128 reads")
struct IntegratedLoudnessTests {
    /// Noise through a one-pole low pass with a bass tone, its level stepping every half second
    /// over 40 dB, so both gates drop blocks; `channels` of it, each at its own level.
    private func steppedNoise(seconds: Double, sampleRate: Int = 44100, channels: Int = 2, seed: UInt64) -> AudioBuffer {
        var generator = SplitMix64(state: seed)
        let frames = Int(seconds * Double(sampleRate))
        var samples = [Float](repeating: 0, count: frames * channels)
        var smoothed = [Float](repeating: 0, count: channels)
        var level: Float = 0.3
        for frame in 0..<frames {
            if frame % (sampleRate / 2) == 0 { level = pow(10, Float.random(in: -2...(-0.3), using: &generator)) }
            let bass = 0.4 * sin(2 * Float.pi * 55 * Float(frame) / Float(sampleRate))
            for channel in 0..<channels {
                smoothed[channel] = 0.7 * smoothed[channel] + 0.3 * Float.random(in: -1...1, using: &generator)
                samples[frame * channels + channel] = level * (smoothed[channel] + bass) * (channel == 0 ? 1 : 0.7)
            }
        }
        return AudioBuffer(sampleRate: sampleRate, channelCount: channels, samples: samples)
    }

    private func reference(_ audio: AudioBuffer) throws -> Double {
        try Loudness.measure(audio).integrated
    }

    @Test("stereo and mono at 44.1, 48 and 96 kHz: within 1e-9 LU of libebur128",
          arguments: [(44100, 2), (48000, 2), (96000, 2), (44100, 1), (22050, 1)])
    func agreesWithLibebur128(sampleRate: Int, channels: Int) throws {
        let audio = steppedNoise(seconds: 7.3, sampleRate: sampleRate, channels: channels, seed: UInt64(sampleRate + channels))
        let expected = try reference(audio)
        let measured = try Loudness.integrated(audio)
        #expect(expected.isFinite)
        #expect(abs(measured - expected) < 1e-9, "\(measured) vs \(expected) LUFS")
    }

    @Test("a gain and a per-frame envelope read as the same audio with them applied")
    func gainAndEnvelope() throws {
        let audio = steppedNoise(seconds: 5, seed: 7)
        let envelope = (0..<audio.frameCount).map { Float(0.5 + 0.5 * cos(Double($0) / 3000)) }
        var applied = audio
        for frame in 0..<audio.frameCount {
            for channel in 0..<2 { applied.samples[frame * 2 + channel] *= 1.7 * envelope[frame] }
        }
        let measured = try Loudness.integrated(audio, gain: 1.7, envelope: envelope)
        #expect(abs(measured - (try reference(applied))) < 1e-9)
    }

    @Test("under 400 ms, and silence, measure -infinity as in libebur128")
    func nothingToGate() throws {
        let short = steppedNoise(seconds: 0.39, seed: 3)
        #expect(try Loudness.integrated(short) == -.infinity)
        #expect(try reference(short) == -.infinity)
        let silence = AudioBuffer(silenceOfFrames: 44100 * 2, sampleRate: 44100, channelCount: 2)
        #expect(try Loudness.integrated(silence) == -.infinity)
    }

    @Test("sound, then seconds of digital silence, then sound again: still libebur128's figure")
    func longSilenceBetween() throws {
        let sound = steppedNoise(seconds: 2, seed: 11)
        let gap = [Float](repeating: 0, count: 44100 * 2 * 6)
        let audio = AudioBuffer(sampleRate: 44100, channelCount: 2, samples: sound.samples + gap + sound.samples)
        #expect(abs(try Loudness.integrated(audio) - (try reference(audio))) < 1e-9)
    }

    @Test("other channel counts are measured by libebur128")
    func otherLayouts() throws {
        let audio = steppedNoise(seconds: 3, channels: 4, seed: 5)
        #expect(try Loudness.integrated(audio) == (try reference(audio)))
    }
}
