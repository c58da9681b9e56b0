import Foundation
@testable import RiffleComposer
import RiffleCore
import Testing

extension Score {
    /// The rhythm a part plays, as a listener would transcribe it: which drum (for the kit) on
    /// which sixteenth, over the whole take.
    func onsets(_ role: Instrument.Role) -> Set<String> {
        Set((part(role)?.notes ?? []).map { "\(role == .drums ? $0.pitch : 0)@\(Int(($0.start * 4).rounded()))" })
    }
}

@Suite("Variations: takes of one prompt differ in drums, bass and comping; the knobs keep their meaning")
struct VariationTests {
    static let prompts = ["rock anthem", "deep house", "jazz trio", "latin", "hip-hop beat", "lo-fi", "country", "modern pop",
                          "techno", "trap", "drum and bass", "reggae"]

    @Test("over eight seeds, two takes of a prompt rarely share the drum part, the bass rhythm or the comping rhythm")
    func takesDiffer() throws {
        var shared = [Instrument.Role.drums: 0, .bass: 0, .harmony: 0], pairs = 0
        for prompt in Self.prompts {
            let scores = try (0..<8).map { try score(prompt, seed: Int64($0), duration: 20) }
            for role in [Instrument.Role.drums, .bass, .harmony] {
                let patterns = scores.map { $0.onsets(role) }
                #expect(Set(patterns).count >= 3, "\(prompt): \(Set(patterns).count) distinct \(role) rhythms in 8 takes")
            }
            for first in 0..<8 {
                for second in (first + 1)..<8 {
                    pairs += 1
                    for role in [Instrument.Role.drums, .bass, .harmony] where scores[first].onsets(role) == scores[second].onsets(role) {
                        shared[role, default: 0] += 1
                    }
                }
            }
        }
        for (role, count) in shared {
            #expect(Double(count) / Double(pairs) < 0.2, "\(role): \(count) of \(pairs) pairs of takes share the rhythm")
        }
    }

    @Test("the same seed gives the same arrangement, note for note, with an arrangement request too")
    func deterministic() throws {
        for prompt in ["latin", "reggae one drop", "jazz in 5/4"] {
            let edit: (inout Interpretation) -> Void = { $0.arrangement.feels = ["half-time"]; $0.arrangement.drumVoices = [.clave] }
            let first = try arrangedScore(prompt, seed: 3, edit), again = try arrangedScore(prompt, seed: 3, edit)
            #expect(first.parts == again.parts)
        }
    }

    @Test("top-k 1: every seed plays the preset's likeliest grooves as written, its first bass and comping pattern and their classic figures")
    func likeliest() throws {
        for prompt in ["rock anthem", "latin", "deep house"] {
            let (composer, interpretation) = try composer(for: GenerationRequest(prompt: prompt, topK: 1))
            let metre = interpretation.timeSignature.value
            let writer = DrumWriter(style: composer.style, timeSignature: metre, barLength: metre.barLengthInQuarters,
                                    quarterNotesPerMinute: interpretation.bpm.value * metre.beatLengthInQuarters)
            for seed in Int64(0)..<6 {
                var drums = composer.choices(.drums, seed: seed)
                let grooves = writer.chooseGrooves(for: [.verse, .chorus], &drums)
                let first = writer.grooves[0].playable(sixteenthsPerSecond: writer.sixteenthsPerSecond)
                #expect(grooves[.verse] == first && grooves[.chorus] == first, "\(prompt), seed \(seed)")
                var bass = composer.choices(.bass, seed: seed), comping = composer.choices(.comping, seed: seed)
                let plan = ArrangementPlan.draw(style: composer.style, metre: metre, bass: &bass, comping: &comping)
                #expect(plan == ArrangementPlan(bass: composer.style.bass, bassFigure: 0, comping: composer.style.harmony,
                                                compFigure: 0, voicing: Voicing()), "\(prompt), seed \(seed)")
            }
            let a = try score(prompt, seed: 1, topK: 1), b = try score(prompt, seed: 2, topK: 1)
            for role in [Instrument.Role.drums, .bass, .harmony] { #expect(a.onsets(role) == b.onsets(role), "\(prompt) \(role)") }
        }
    }

    @Test("higher guidance, closer to the preset: its first groove as written and its classic bass and comping figures come up more often")
    func guidance() throws {
        func adherence(_ guidance: Double) throws -> Double {
            var hits = 0.0, total = 0.0
            for prompt in ["rock anthem", "deep house", "hip-hop beat"] {
                let (composer, interpretation) = try composer(for: GenerationRequest(prompt: prompt, guidanceScale: guidance))
                let metre = interpretation.timeSignature.value
                let writer = DrumWriter(style: composer.style, timeSignature: metre, barLength: metre.barLengthInQuarters,
                                        quarterNotesPerMinute: interpretation.bpm.value)
                let first = writer.grooves[0].playable(sixteenthsPerSecond: writer.sixteenthsPerSecond)
                for seed in Int64(0)..<40 {
                    var drums = composer.choices(.drums, seed: seed)
                    let grooves = writer.chooseGrooves(for: [.verse], &drums)
                    var bass = composer.choices(.bass, seed: seed), comping = composer.choices(.comping, seed: seed)
                    let plan = ArrangementPlan.draw(style: composer.style, metre: metre, bass: &bass, comping: &comping)
                    hits += (grooves[.verse] == first ? 1 : 0) + (plan.bassFigure == 0 ? 1 : 0) + (plan.compFigure == 0 ? 1 : 0)
                    total += 3
                }
            }
            return hits / total
        }
        let loose = try adherence(1), firm = try adherence(8)
        #expect(firm > loose + 0.15, "share of the preset's likeliest choices: \(loose) at guidance 1, \(firm) at 8")
    }

    @Test("lower temperature, fewer distinct drum parts between seeds")
    func temperature() throws {
        func distinct(_ temperature: Double) throws -> Int {
            Set(try (0..<8).map { try score("rock anthem", seed: Int64($0), duration: 20, temperature: temperature).onsets(.drums) }).count
        }
        let cold = try distinct(0.05), warm = try distinct(1)
        #expect(cold < warm, "distinct drum parts in 8 takes: \(cold) at 0.05, \(warm) at 1")
        #expect(cold <= 2)
    }
}
