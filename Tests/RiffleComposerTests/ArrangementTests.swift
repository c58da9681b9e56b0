import Foundation
@testable import RiffleComposer
import RiffleCore
import Testing

/// The interpretation of `prompt`, changed by `edit` (as the prompt reader would fill it), and the score.
func arrangedScore(_ prompt: String, seed: Int64 = 1, duration: Double = 30, tempo: Double? = nil,
                   timeSignature: TimeSignature? = nil, _ edit: (inout Interpretation) -> Void = { _ in }) throws -> Score {
    let request = GenerationRequest(prompt: prompt, duration: duration, tempo: tempo, timeSignature: timeSignature)
    var (composer, interpretation) = try composer(for: request)
    edit(&interpretation)
    return composer.compose(interpretation, duration: duration, seed: seed)
}

/// An instrument as the prompt reader would name it (the type has no public memberwise initialiser).
func instrument(_ name: String, program: Int, role: Instrument.Role) throws -> Instrument {
    let json = #"{"name":"\#(name)","program":\#(program),"role":"\#(role.rawValue)"}"#
    return try JSONDecoder().decode(Instrument.self, from: Data(json.utf8))
}

extension Score {
    /// The steps within their bar (0 to stepsPerBar-1) where `pitch` sounds in bars that carry the
    /// groove alone: not the first or last bar of a section (crashes, fills), not the final bar.
    func grooveSteps(_ pitch: Int) -> [Int] {
        let bars = Set(sections.flatMap { section in (section.startBar + 1)..<max(section.startBar + 1, section.endBar - 1) })
        let steps = timeSignature.stepsPerBar
        return (part(.drums)?.notes ?? []).filter { $0.pitch == pitch }.compactMap { note in
            let step = Int((note.start * 4).rounded())
            return bars.contains(step / steps) ? step % steps : nil
        }
    }
}

@Suite("Arrangement: the parts, programs and drums the prompt asks for")
struct ArrangementTests {
    @Test("\"no drums\": the drum part is silent, the other parts play, and there are still five parts",
          arguments: ["rock anthem", "ambient soundscape with drums", "house track", "cinematic orchestral"])
    func noDrums(prompt: String) throws {
        let score = try arrangedScore(prompt) { $0.arrangement.excluded = [.drums] }
        #expect(score.parts.count == 5)
        #expect(score.part(.drums)?.notes.isEmpty == true)
        #expect(score.part(.harmony)?.notes.isEmpty == false)
        let withDrums = try arrangedScore("rock anthem")
        #expect(withDrums.part(.drums)?.notes.isEmpty == false, "a rock take has drums unless refused")
    }

    @Test("\"without bass\" silences the bass and nothing else")
    func withoutBass() throws {
        let score = try arrangedScore("funky hip-hop beat") { $0.arrangement.excluded = [.bass] }
        #expect(score.part(.bass)?.notes.isEmpty == true)
        #expect(score.part(.drums)?.notes.isEmpty == false)
        #expect(score.part(.melody)?.notes.isEmpty == false)
    }

    @Test("a string quartet plays strings only: no piano, no drums")
    func stringQuartet() throws {
        for prompt in ["string quartet", "classical string quartet in D major", "cinematic string quartet"] {
            let score = try arrangedScore(prompt) {
                $0.arrangement.ensemble = "string quartet"
                $0.arrangement.programs = [.bass: 42, .harmony: 41, .melody: 40, .texture: 40]
            }
            for part in score.parts where !part.notes.isEmpty {
                #expect(part.role != .drums, "\(prompt): a quartet has no drummer")
                #expect((40...47).contains(part.program), "\(prompt): \(part.role) plays program \(part.program)")
            }
        }
    }

    @Test("a piano nocturne: the piano plays the tune and no violin appears; a sad piano ballad has no synth lead")
    func pianoPieces() throws {
        let piano = try instrument("piano", program: 0, role: .harmony)
        for seed in Int64(0)..<6 {
            let nocturne = try arrangedScore("classical nocturne", seed: seed) { $0.instruments = [piano] }
            #expect(nocturne.part(.melody)?.program == 0)
            #expect(!nocturne.parts.contains { $0.program == 40 && !$0.notes.isEmpty }, "no violin in a piano nocturne")
            let ballad = try arrangedScore("sad pop ballad", seed: seed) { $0.instruments = [piano] }
            #expect(ballad.part(.melody)?.program == 0, "the piano sings the ballad's tune")
            #expect(!ballad.parts.contains { (80...87).contains($0.program) && !$0.notes.isEmpty }, "no synth lead")
        }
    }

    @Test("a program the request fixes beats the instruments named in passing and the preset")
    func fixedPrograms() throws {
        let score = try arrangedScore("jazz with trumpet") { $0.arrangement.programs = [.melody: 65, .harmony: 11] }
        #expect(score.part(.melody)?.program == 65)
        #expect(score.part(.harmony)?.program == 11)
    }

    @Test("the kit asked for replaces the genre's; voices asked for play, with a lane of their own if the groove has none")
    func kitAndVoices() throws {
        let score = try arrangedScore("jazz trio") {
            $0.arrangement.drumKit = 40
            $0.arrangement.drumVoices = [.clap, .cowbell, .shaker]
        }
        #expect(score.part(.drums)?.program == 40)
        for voice in [GMDrum.clap, GMDrum.cowbell, GMDrum.shaker] {
            #expect(score.grooveSteps(voice).count > 8, "drum note \(voice) plays through the take")
        }
        let plain = try arrangedScore("jazz trio")
        #expect(plain.part(.drums)?.program == 32)
        #expect(plain.grooveSteps(GMDrum.cowbell).isEmpty)
    }

    @Test("feels: a one-drop puts kick and snare together on beat three only; half-time moves the backbeat to three; four on the floor kicks every beat")
    func feels() throws {
        for seed in Int64(0)..<4 {
            let oneDrop = try arrangedScore("rock anthem", seed: seed) { $0.arrangement.feels = ["one-drop"] }
            let kicks = oneDrop.grooveSteps(GMDrum.kick), backbeat = oneDrop.grooveSteps(GMDrum.snare) + oneDrop.grooveSteps(GMDrum.rim)
            #expect(!kicks.isEmpty && Set(kicks) == [8], "one-drop kicks at \(Set(kicks))")
            #expect(!backbeat.isEmpty && Set(backbeat) == [8], "one-drop snare or rim at \(Set(backbeat))")

            let half = try arrangedScore("rock anthem", seed: seed) { $0.arrangement.feels = ["half-time"] }
            let snares = Set(half.grooveSteps(GMDrum.snare).filter { $0 % 4 == 0 })
            #expect(snares == [8], "half-time backbeat at \(snares)")

            let floor = try arrangedScore("hip-hop beat", seed: seed) { $0.arrangement.feels = ["four-on-the-floor"] }
            #expect(Set(floor.grooveSteps(GMDrum.kick)) == [0, 4, 8, 12])
        }
    }

    @Test("genres without drums keep none unless asked; asking for drums brings a groove in the music's metre")
    func drumsOnRequest() throws {
        for prompt in ["classical piece", "ambient soundscape"] {
            let quiet = try arrangedScore(prompt)
            #expect(quiet.part(.drums)?.notes.isEmpty == true, "\(prompt) has no drums by default")
            let drums = try instrument("drums", program: 0, role: .drums)
            let asked = try arrangedScore(prompt, timeSignature: TimeSignature("3/4")) { $0.instruments.append(drums) }
            let hits = [GMDrum.kick, GMDrum.snare, GMDrum.ride, GMDrum.shaker, GMDrum.closedHat].flatMap(asked.grooveSteps)
            #expect(hits.count > 8, "\(prompt) with drums plays a groove")
            #expect(hits.allSatisfy { $0 % 4 == 0 }, "\(prompt) in 3/4: drum hits on the quarter beats, not 6/8's dotted ones: \(Set(hits))")
        }
    }
}
