import Foundation
import RiffleAudio
import RiffleCore
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
        #expect((part(score, "tempo")?.score ?? 1) < 0.01)
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
        #expect((part(score, "stereo")?.score ?? 1) < 0.01)
    }

    @Test("a part is a distance from its target, not a pass: the further the tempo is off, the lower, with no step")
    func continuous() throws {
        let song = TestSong(bpm: 120).render()
        let scores = [120.0, 121.5, 123, 126, 132].map { asked in
            part(QualityScore.score(song.mix, loudness: nil, expected: .init(duration: 20, bpm: asked)), "tempo")?.score ?? -1
        }
        #expect(scores[0] > 0.95, "\(scores)")
        for (nearer, further) in zip(scores, scores.dropFirst()) { #expect(nearer > further, "\(scores)") }
        #expect(scores.dropFirst().allSatisfy { $0 > 0 && $0 < 1 } && scores.last! < 0.2, "\(scores)")
    }
}

/// The expectation of a prompt that asks for C major at 120 BPM in 4/4 and refuses drums.
private let cMajorNoDrums = QualityScore.Expectation(duration: 20, bpm: 120, key: MusicalKey("C major"),
                                                     metre: TimeSignature("4/4"), parts: [.drums: false])

@Suite("Quality scoring: what the prompt asked, measured from the audio")
struct QualityAdherenceTests {
    func parts(_ score: QualityScore) -> String { score.parts.map { "\($0.name) \(String(format: "%.2f", $0.score)) (\($0.detail))" }.joined(separator: "; ") }

    @Test("a take in another key, at another tempo, or with the drums it refused, ranks clearly below one that obeys",
          arguments: [false, true])
    func violations(withStems: Bool) throws {
        func score(_ song: TestSong) -> QualityScore {
            let made = song.render()
            return QualityScore.score(made.mix, stems: withStems ? made.stems : [], loudness: nil, expected: cMajorNoDrums)
        }
        let obeys = score(TestSong())
        #expect((part(obeys, "key")?.score ?? 0) > 0.7, "\(parts(obeys))")
        #expect((part(obeys, "tempo")?.score ?? 0) > 0.9, "\(parts(obeys))")
        #expect((part(obeys, "drums")?.score ?? 0) > 0.7, "\(parts(obeys))")
        let violations: [(String, TestSong)] = [("key", TestSong(tonic: 6)), ("tempo", TestSong(bpm: 96)), ("drums", TestSong(drums: true))]
        for (broken, song) in violations {
            let score = score(song)
            #expect((part(score, broken)?.score ?? 1) < 0.3, "\(broken): \(parts(score))")
            #expect(score.total < obeys.total - 0.05, "\(broken): \(score.total) against \(obeys.total)\n\(parts(score))")
        }
    }

    @Test("accents every three beats fit 3/4 and not 4/4; every four, the other way round")
    func metre() throws {
        for (beats, asked, other) in [(3, TimeSignature("3/4")!, TimeSignature("4/4")!), (4, TimeSignature("4/4")!, TimeSignature("3/4")!)] {
            let song = TestSong(beatsPerBar: beats, drums: true).render()
            func metre(_ signature: TimeSignature) -> QualityScore.Part? {
                part(QualityScore.score(song.mix, loudness: nil, expected: .init(duration: 20, bpm: 120, metre: signature)), "metre")
            }
            let right = try #require(metre(asked)), wrong = try #require(metre(other))
            #expect(right.score > 0.6 && wrong.score < 0.4, "\(beats) beats: \(right) against \(wrong)")
        }
    }

    @Test("a refused part's stem must be silent, a part asked for audible")
    func stems() throws {
        let made = TestSong().render()
        let expected = QualityScore.Expectation(duration: 20, bpm: 120, parts: [.melody: true, .texture: false])
        let good = try #require(part(QualityScore.score(made.mix, stems: made.stems, loudness: nil, expected: expected), "parts"))
        var refused = expected
        refused.parts = [.melody: false]
        let bad = try #require(part(QualityScore.score(made.mix, stems: made.stems, loudness: nil, expected: refused), "parts"))
        #expect(good.score > 0.9 && bad.score < 0.1, "\(good) against \(bad)")
        #expect(part(QualityScore.score(made.mix, loudness: nil, expected: refused), "parts") == nil, "a mix alone cannot tell parts apart")
    }
}
