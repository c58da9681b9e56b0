import Foundation
import RiffleAudio
import RiffleEngine
import RiffleTestSupport
import Testing

private func part(_ score: QualityScore, _ name: String) -> QualityScore.Part? {
    score.parts.first { $0.name == name }
}

@Suite("Quality scoring: the measurable faults of a take")
struct QualityScoreTests {
    @Test("a silent file scores near zero: no loudness, all silence")
    func silent() throws {
        let audio = AudioBuffer(silenceOfFrames: 44100 * 10, sampleRate: 44100, channelCount: 2)
        let score = QualityScore.score(audio, loudness: nil, expected: .init(duration: 10, bpm: 120))
        #expect(score.total < 0.35, "\(score)")
        #expect(part(score, "loudness")?.score == 0)
        #expect(part(score, "silence")?.score == 0)
        #expect(part(score, "tempo")?.score == 0)
    }

    @Test("a clipped file loses its peaks score, and says how many samples clipped")
    func clipped() throws {
        var audio = stereoSines(seconds: 6, sampleRate: 44100, amplitude: 1.6)
        audio.samples = audio.samples.map { min(max($0, -1), 1) }
        let score = QualityScore.score(audio, loudness: nil, expected: .init(duration: 6, bpm: nil))
        let peaks = try #require(part(score, "peaks"))
        #expect(peaks.score <= 0.5)
        #expect(peaks.detail.contains("clipped samples") && !peaks.detail.contains(" 0 clipped"))
    }

    @Test("dropouts in the middle of a loud take are found and cost")
    func dropouts() throws {
        var audio = stereoSines(seconds: 8, sampleRate: 44100, amplitude: 0.3)
        for start in [2.0, 4.0, 5.5] {
            for frame in Int(start * 44100)..<Int((start + 0.1) * 44100) { audio.samples[2 * frame] = 0; audio.samples[2 * frame + 1] = 0 }
        }
        let clean = QualityScore.score(stereoSines(seconds: 8, sampleRate: 44100, amplitude: 0.3), loudness: nil, expected: .init(duration: 8, bpm: nil))
        let broken = QualityScore.score(audio, loudness: nil, expected: .init(duration: 8, bpm: nil))
        let silence = try #require(part(broken, "silence"))
        #expect(silence.detail.contains("3 dropouts"), "\(silence.detail)")
        #expect(silence.score < (part(clean, "silence")?.score ?? 0))
        #expect(broken.total < clean.total)
    }

    @Test("a take of the wrong length, or in antiphase, is marked down for it")
    func durationAndStereo() throws {
        var audio = stereoSines(seconds: 5, sampleRate: 44100, amplitude: 0.3, left: 220, right: 220)
        for frame in 0..<audio.frameCount { audio.samples[2 * frame + 1] = -audio.samples[2 * frame] }
        let score = QualityScore.score(audio, loudness: nil, expected: .init(duration: 8, bpm: nil))
        #expect((part(score, "duration")?.score ?? 1) < 0.5)
        #expect(part(score, "stereo")?.score == 0)
    }
}
