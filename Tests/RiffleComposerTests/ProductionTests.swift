import Foundation
@testable import RiffleComposer
import RiffleCore
import Testing

@Suite("Production: pan, pedal, swells and bends in the score, for the stems and the MIDI alike")
struct ProductionTests {
    private func part(_ score: Score, _ role: Instrument.Role) throws -> Score.Part {
        try #require(score.part(role), "the score has a \(role) part")
    }

    @Test("trap bass glides: some notes slide into the next with the wheel, over a one-octave range set first")
    func glides() throws {
        var slides = 0
        for seed in Int64(1)...4 {
            let bass = try part(score("dark trap beat with 808", seed: seed), .bass)
            let bends = bass.controllers.filter { $0.kind == .pitchBend }
            guard !bends.isEmpty else { continue }
            #expect(bass.controllers.first { $0.kind == .bendRange }?.value == 12)
            #expect(bass.controllers.firstIndex { $0.kind == .bendRange }! < bass.controllers.firstIndex { $0.kind == .pitchBend }!)
            // A slide is heard on a held note: every bend away from centre falls inside one.
            for bend in bends where bend.value != 0 {
                #expect(bass.notes.contains { $0.start <= bend.time + 1e-9 && bend.time < $0.start + $0.length },
                        "a bend at \(bend.time) with no note sounding")
            }
            slides += bends.filter { $0.value == 0 }.count
        }
        #expect(slides >= 3, "trap's 808 slides on a fair share of its note pairs across four seeds")
        let again = try part(score("dark trap beat with 808", seed: 2), .bass)
        #expect(again == (try part(score("dark trap beat with 808", seed: 2), .bass)), "the same seed slides on the same notes")
        let jazz = try part(score("swinging jazz trio", seed: 1), .bass)
        #expect(!jazz.controllers.contains { $0.kind == .pitchBend }, "an upright bass does not glide")
    }

    @Test("a piano's pedal goes up at each chord change and down just after the new chord strikes")
    func pedal() throws {
        let score = try score("solo piano ballad", seed: 3)
        let piano = try #require(score.parts.first { $0.role == .harmony && Articulation.pedalled.contains($0.program) && !$0.notes.isEmpty })
        let downs = piano.controllers.filter { $0.kind == .sustain && $0.value == 127 }
        let ups = piano.controllers.filter { $0.kind == .sustain && $0.value == 0 }
        #expect(downs.count >= 4 && abs(downs.count - ups.count) <= 1)
        let changes = Set(score.chords.map(\.start))
        for down in downs {
            #expect(changes.contains { down.time - $0 > 0.05 && down.time - $0 < 0.2 } || down.time - 0.125 < (piano.notes.first?.start ?? 0) + 1e-9,
                    "pedal down at \(down.time) is just after a chord change")
        }
        for (up, down) in zip(ups, downs.dropFirst()) { #expect(up.time < down.time, "up before the next down") }
    }

    @Test("a piano comping in short stabs plays without pedal, so its rhythm is heard")
    func noPedalUnderStabs() throws {
        let stabs = (0..<16).map { ScoreNote(start: Double($0) * 0.75, length: 0.25, pitch: 60 + $0 % 5, velocity: 90) }
        let held = (0..<4).map { ScoreNote(start: Double($0) * 4, length: 3.9, pitch: 60, velocity: 90) }
        let chords = (0..<4).map { Score.Chord(start: Double($0) * 4, length: 4, symbol: ChordSymbol(degree: 0), intervals: [0, 4, 7]) }
        #expect(Articulation.pedal(Score.Part(role: .harmony, program: 0, notes: stabs), chords: chords).isEmpty)
        #expect(!Articulation.pedal(Score.Part(role: .harmony, program: 0, notes: held), chords: chords).isEmpty)
    }

    @Test("pads and strings swell over the phrase; the parts are spread across the stereo field")
    func swellsAndPan() throws {
        let score = try score("cinematic orchestral strings", seed: 2)
        let swelling = score.parts.filter { $0.role != .drums && Articulation.swells($0.program) && !$0.notes.isEmpty }
        try #require(!swelling.isEmpty)
        for part in swelling {
            let values = part.controllers.filter { $0.kind == .expression }.map(\.value)
            #expect((values.max() ?? 0) - (values.min() ?? 0) >= 15, "\(part.role) program \(part.program) swells by a clear step: \(values.count) values")
        }
        func pan(_ role: Instrument.Role) -> Int? { score.part(role)?.controllers.first { $0.kind == .pan }?.value }
        #expect(pan(.bass) == 64, "the bass stays centred")
        let positions = Set([Instrument.Role.harmony, .melody, .texture].compactMap(pan))
        #expect(positions.count >= 2 && positions.contains { $0 < 60 } && positions.contains { $0 > 68 }, "\(positions)")
    }

    @Test("a rock lead bends into some long notes, by a semitone or a tone, and comes back to pitch")
    func bends() throws {
        let mix = MixStyle.standard
        var lead = Score.Part(role: .melody, program: 29, notes: (0..<16).map { ScoreNote(start: Double($0) * 2, length: 1.5, pitch: 64, velocity: 90) })
        lead.controllers = Articulation.bends(lead, chance: 0.5, secondsPerQuarter: 0.5, salt: 1)
        let bends = lead.controllers.filter { $0.kind == .pitchBend }
        #expect(mix.bends == 0, "the standard mix does not bend")
        #expect(lead.controllers.first?.kind == .bendRange && lead.controllers.first?.value == 2)
        let onsets = Set(lead.notes.map(\.start))
        let starts = bends.filter { $0.value < 0 && onsets.contains($0.time) }
        #expect(starts.count >= 3 && starts.count <= 13, "about half of 16 long notes: \(starts.count)")
        #expect(Set(starts.map(\.value)).isSubset(of: [-4096, -8192]))
        #expect(bends.last?.value == 0, "the wheel ends at rest")
        let piano = Score.Part(role: .melody, program: 0, notes: lead.notes)
        #expect(Articulation.bends(piano, chance: 1, secondsPerQuarter: 0.5, salt: 1).isEmpty, "a piano cannot bend")
    }

    @Test("a score stored before parts had controllers and a mix still loads, with none")
    func olderStateDecodes() throws {
        let score = try score("house 124 bpm", seed: 1, duration: 10)
        let state = ComposerState(score: score, masterGain: -3)
        var json = try #require(try JSONSerialization.jsonObject(with: state.encoded()) as? [String: Any])
        var stored = try #require(json["score"] as? [String: Any])
        stored["parts"] = try #require(stored["parts"] as? [[String: Any]]).map { part in
            part.filter { $0.key != "controllers" && $0.key != "mix" }
        }
        json["score"] = stored
        let decoded = try ComposerState.decode(try JSONSerialization.data(withJSONObject: json))
        #expect(decoded.score.parts.map(\.notes) == score.parts.map(\.notes))
        #expect(decoded.score.parts.allSatisfy { $0.controllers.isEmpty && $0.mix.isNeutral })
        #expect(try ComposerState.decode(state.encoded()).score == score, "a new score round-trips with its controllers")
    }

    @Test("every built-in preset's mix table loads, with a reference curve that sums to about 1")
    func presetTables() throws {
        for preset in catalog.presets {
            let mix = try ComposerStyle.load(for: preset).mix
            let t = mix.target
            #expect(abs(t.sub + t.low + t.lowMid + t.highMid + t.air - 1) < 0.05, "\(preset.name)")
        }
        let trap = try ComposerStyle.load(for: try #require(catalog.preset(named: "trap"))).mix
        let jazz = try ComposerStyle.load(for: try #require(catalog.preset(named: "jazz"))).mix
        #expect(trap.target.sub > 3 * jazz.target.sub && trap.glide > 0 && jazz.glide == 0)
    }
}
