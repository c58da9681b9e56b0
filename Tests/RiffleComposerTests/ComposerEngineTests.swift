import Foundation
@testable import RiffleAudio
@testable import RiffleComposer
import RiffleCore
import RiffleTestSupport
import Testing
import RiffleEngine

/// One engine for the suite: its synthesizers stay loaded between tests, as in a studio session.
let engine: ComposerEngine? = try? ComposerEngine(catalog: catalog)

/// How far `other` is from `reference`, in dB of the reference's energy.
func residualDecibels(_ reference: [Float], _ other: [Float]) -> Double {
    var signal = 0.0, error = 0.0
    for (a, b) in zip(reference, other) {
        signal += Double(a) * Double(a)
        error += Double(a - b) * Double(a - b)
    }
    return 10 * log10(max(error, 1e-30) / max(signal, 1e-30))
}

func generate(_ prompt: String, seed: Int64 = 1, duration: Double = 10, sampleRate: Int = 44100,
              cancellation: Cancellation = Cancellation(), progress: @escaping ProgressHandler = { _ in }) throws -> Take {
    let request = GenerationRequest(prompt: prompt, duration: duration, sampleRate: sampleRate)
    return try #require(engine).generate(request, seed: seed, progress: progress, cancellation: cancellation)
}

@Suite("The Composer engine: rendered, mastered takes with stems, MIDI and edits",
       .enabled(if: SoundFontPool.defaultSoundFont != nil, "needs the GM SoundFont (fluid-soundfont-gm)"))
struct ComposerEngineTests {
    @Test("a take is exactly the requested length and rate, at -14 LUFS with true peak at most -1 dBTP",
          arguments: [(22050, 7.5), (32000, 10), (48000, 12)])
    func lengthRateLoudness(sampleRate: Int, duration: Double) throws {
        let take = try generate("energetic rock 130 bpm", duration: duration, sampleRate: sampleRate)
        #expect(take.audio.sampleRate == sampleRate && take.audio.channelCount == 2)
        #expect(take.audio.frameCount == Int(duration * Double(sampleRate)))
        let loudness = try Loudness.measure(take.audio)
        #expect(abs(loudness.integrated + 14) <= 0.5, "\(loudness.integrated) LUFS")
        #expect(loudness.truePeak <= -1, "\(loudness.truePeak) dBTP")
        #expect(take.audio.samples.allSatisfy { abs($0) < 1 }, "no clipping")
        #expect(abs(take.loudness.integrated - loudness.integrated) < 0.05, "the take reports what it measures")
    }

    @Test("a good take scores well on every measured part", arguments: ["house 124 bpm", "rock anthem 128 bpm", "lo-fi hip hop 84 bpm"])
    func qualityScore(prompt: String) throws {
        let take = try generate(prompt, seed: 6, duration: 15)
        let score = QualityScore.score(take.audio, loudness: take.loudness,
                                       expected: .init(duration: 15, bpm: take.interpretation.bpm.value))
        // Craft and tempo are near perfect; the total also weighs musical interest, which a 15 s take
        // (a handful of bars to repeat) cannot show much of.
        for name in ["loudness", "peaks", "silence", "duration"] {
            #expect((score.parts.first { $0.name == name }?.score ?? 0) > 0.9, "\(name): \(score.parts)")
        }
        #expect(score.total > 0.6, "\(score.parts.map { "\($0.name) \($0.score) (\($0.detail))" })")
        // Continuous now: a tempo measured within a percent of the asked one scores near 1, not exactly.
        #expect((score.parts.first { $0.name == "tempo" }?.score ?? 0) > 0.9)
    }

    @Test("five stems, each its own part, that sum to the take")
    func stems() throws {
        let take = try generate("house track with piano and pads", seed: 3)
        #expect(take.stems.map(\.name) == ["drums", "bass", "harmony", "melody", "texture"])
        let sum = Mastering.sum(take.stems.map(\.audio))
        #expect(residualDecibels(take.audio.samples, sum.samples) < -40)
        for stem in take.stems {
            #expect(stem.audio.samples.contains { abs($0) > 0.001 }, "\(stem.name) is not silent")
            #expect(residualDecibels(take.audio.samples, stem.audio.samples) > -20, "\(stem.name) is not the whole mix")
        }
    }

    @Test("the same request and seed give bit-identical audio and MIDI; another seed a clearly different take")
    func determinism() throws {
        let first = try generate("dreamy lo-fi with rhodes", seed: 77)
        let again = try generate("dreamy lo-fi with rhodes", seed: 77)
        let other = try generate("dreamy lo-fi with rhodes", seed: 78)
        #expect(firstDifference(first.audio.samples, again.audio.samples) == nil)
        #expect(first.midi == again.midi)
        #expect(residualDecibels(first.audio.samples, other.audio.samples) > -3)
        #expect(first.midi != other.midi)
    }

    @Test("the pulse in the audio is the tempo asked for", arguments: [
        ("deep house 124 bpm", 124.0), ("boom bap hip hop 92 bpm", 92), ("drum and bass 172 bpm", 172),
        ("slow ambient 70 bpm", 70), ("folk jig in 6/8 at 100 bpm", 100), ("jazz waltz in 3/4 at 150 bpm", 150),
    ])
    func tempo(prompt: String, bpm: Double) throws {
        let take = try generate(prompt, seed: 2, duration: 20)
        #expect(take.interpretation.bpm.value == bpm)
        let measured = TempoEstimator.estimate(take.audio)
        #expect(TempoEstimator.tempo(measured, matches: bpm), "measured \(measured) BPM for \(bpm)")
    }

    @Test("the MIDI file is the take's score, and the key it resolved is recorded")
    func midiAndKey() throws {
        let take = try generate("chill r&b", seed: 12)
        let state = try ComposerState.decode(take.engineState)
        #expect(take.midi == state.score.midiFile())
        #expect(take.interpretation.key?.value == state.score.key)
        #expect(take.interpretation.key?.source == .fallback)
        let bytes = try #require(take.midi)
        #expect(Array(bytes.prefix(4)) == Array("MThd".utf8))
        #expect(bytes[9] == 1 && bytes[11] == 6, "type 1 with a conductor track and five parts")
    }

    @Test("repaint: the bars over the range change; outside them and the crossfade the audio is the parent's")
    func repaint() throws {
        let parent = try generate("uplifting pop 120 bpm in G major", seed: 5, duration: 16)
        let repainted = try #require(engine).edit(parent, .repaint(from: 6, to: 9, prompt: "dark and sparse"), seed: 99,
                                                  progress: { _ in }, cancellation: Cancellation())
        #expect(repainted.audio.frameCount == parent.audio.frameCount)
        // 120 BPM in 4/4: two-second bars, so bars 3 and 4 (6-10 s) are recomposed.
        let rate = Double(parent.audio.sampleRate)
        let margin = ComposerEngine.repaintCrossfade
        let before = Int((6 - margin) * rate) * 2, after = Int((10 + margin) * rate) * 2
        #expect(firstDifference(Array(parent.audio.samples[..<before]), Array(repainted.audio.samples[..<before])) == nil)
        #expect(firstDifference(Array(parent.audio.samples[after...]), Array(repainted.audio.samples[after...])) == nil)
        let inside = Int(6.5 * rate) * 2..<Int(9.5 * rate) * 2
        #expect(residualDecibels(Array(parent.audio.samples[inside]), Array(repainted.audio.samples[inside])) > -6)
        #expect(residualDecibels(repainted.audio.samples, Mastering.sum(repainted.stems.map(\.audio)).samples) < -40)
        #expect(repainted.loudness.truePeak <= -1)
        #expect(throws: EngineError.self) {
            try engine!.edit(parent, .repaint(from: 12, to: 20, prompt: nil), seed: 1, progress: { _ in }, cancellation: Cancellation())
        }
    }

    @Test("extend: the take grows by the seconds asked, keeps its music up to its last bar and ends on the tonic again")
    func extend() throws {
        let parent = try generate("folk song 100 bpm in D major", seed: 8, duration: 12)
        let extended = try #require(engine).edit(parent, .extend(seconds: 10), seed: 8, progress: { _ in }, cancellation: Cancellation())
        #expect(extended.audio.frameCount == Int(22 * Double(parent.audio.sampleRate)))
        let old = try ComposerState.decode(parent.engineState).score
        let new = try ComposerState.decode(extended.engineState).score
        let keptEnd = Double(old.bars - 1) * old.barLength
        for role in Instrument.Role.allCases {
            let before = old.part(role)!.notes.filter { $0.start + $0.length <= keptEnd - 1e-9 }
            let after = new.part(role)!.notes.filter { $0.start + $0.length <= keptEnd - 1e-9 }
            #expect(before == after, "\(role) keeps its notes")
        }
        #expect(new.chords.last?.symbol.degree == 0)
        #expect(new.key == old.key && new.bpm == old.bpm)
        // Refused, saying what --seconds allows for this take rather than what the result must be.
        let allowed = "(allowed: more than 0 and at most 288 s: the take is 12 s and may grow to 300 s)"
        for seconds in [295.0, 0] {
            #expect(throws: EngineError.invalidEdit("seconds: \(Int(seconds)) is out of range \(allowed)")) {
                try engine!.edit(parent, .extend(seconds: seconds), seed: 1, progress: { _ in }, cancellation: Cancellation())
            }
        }
    }

    @Test("restyle: the same harmony and motifs, arranged and orchestrated for another genre")
    func restyle() throws {
        let parent = try generate("modern pop 110 bpm in E minor", seed: 4, duration: 20)
        let restyled = try #require(engine).edit(parent, .restyle(genre: "jazz"), seed: 4, progress: { _ in }, cancellation: Cancellation())
        let old = try ComposerState.decode(parent.engineState).score
        let new = try ComposerState.decode(restyled.engineState).score
        #expect(new.genre == "jazz" && restyled.interpretation.genre.value == "jazz")
        #expect(new.key == old.key)
        for (kind, progression) in old.progressions { #expect(new.progressions[kind] == progression, "\(kind) keeps its chords") }
        for (kind, motif) in old.motifs { #expect(new.motifs[kind] == motif, "\(kind) keeps its motif") }
        #expect(new.part(.drums)?.program == 32, "the jazz kit")
        #expect(new.part(.bass)?.program != old.part(.bass)?.program)
        #expect(throws: EngineError.self) {
            try engine!.edit(parent, .restyle(genre: "polka"), seed: 1, progress: { _ in }, cancellation: Cancellation())
        }
    }

    @Test("an edit of an extended take asks for the take's own length, so its quality score measures against that")
    func editOfAnExtendedTake() throws {
        let parent = try generate("folk song 100 bpm in D major", seed: 8, duration: 10)
        var extended = try #require(engine).edit(parent, .extend(seconds: 8), seed: 8, progress: { _ in }, cancellation: Cancellation())
        #expect(extended.request.duration == 18)
        // Loaded back from the library, an extended take carries its job's request: the length first asked for.
        extended.request.duration = parent.request.duration
        for edit in [TakeEdit.repaint(from: 4, to: 8, prompt: nil), .restyle(genre: "jazz")] {
            let made = try engine!.edit(extended, edit, seed: 3, progress: { _ in }, cancellation: Cancellation())
            #expect(made.request.duration == 18, "\(edit)")
            let quality = QualityScore.score(made.audio, loudness: made.loudness,
                                             expected: .init(duration: made.request.duration, bpm: made.interpretation.bpm.value))
            let length = try #require(quality.parts.first { $0.name == "duration" })
            #expect(length.score == 1, "\(edit): \(length.detail)")
        }
    }

    @Test("cancelling stops a take promptly, before or during rendering")
    func cancellation() throws {
        let before = Cancellation()
        before.cancel()
        #expect(throws: EngineError.cancelled) { try generate("rock", cancellation: before) }
        let during = Cancellation()
        #expect(throws: EngineError.cancelled) {
            try generate("rock", duration: 120, cancellation: during) { progress in
                if progress.stage == "rendering" { during.cancel() }
            }
        }
    }

    @Test("uploaded audio is not continued: the capability is not offered and the call says so")
    func noContinuation() throws {
        let engine = try #require(engine)
        #expect(!engine.capabilities.contains(.continuation))
        let audio = AudioBuffer(silenceOfFrames: 44100, sampleRate: 44100, channelCount: 2)
        #expect(throws: EngineError.failed("composer cannot continue uploaded audio")) {
            try engine.continuation(of: audio, from: 0, seconds: 5, request: GenerationRequest(prompt: "rock"), seed: 1,
                                    progress: { _ in }, cancellation: Cancellation())
        }
    }

    @Test("a file that is not a SoundFont is refused when the engine starts, naming the file")
    func badSoundFont() throws {
        let directory = try TemporaryDirectory()
        let fake = directory.path("fake.sf2")
        try "not a soundfont".write(toFile: fake, atomically: true, encoding: .utf8)
        #expect {
            _ = try ComposerEngine(catalog: catalog, soundFont: URL(fileURLWithPath: fake))
        } throws: { error in
            "\(error)".contains("fake.sf2")
        }
    }
}
