import Foundation
import RiffleCore
import Testing

@Suite("Ensembles")
struct EnsembleTests {
    @Test("a string quartet is strings alone: violin tune, viola chords, cello bass, no drums; classical unless a genre is named")
    func stringQuartet() {
        let result = reading("a melancholic string quartet")
        #expect(result.genre == .init("classical", from: .prompt))
        #expect(result.arrangement.ensemble == "string quartet")
        #expect(result.arrangement.programs[.melody] == 40)
        #expect(result.arrangement.programs[.harmony] == 41)
        #expect(result.arrangement.programs[.bass] == 42)
        #expect(result.arrangement.excluded == [.drums])
        #expect(result.arrangement.programs.values.allSatisfy { (40...42).contains($0) }, "no piano in a string quartet")
        #expect(result.unusedWords.isEmpty)
        #expect(reading("pop string quartet").genre.value == "modern-pop")
    }

    @Test("a jazz trio is piano, upright bass and a jazz kit")
    func jazzTrio() {
        let result = reading("late night jazz trio")
        #expect(result.genre.value == "jazz")
        #expect(result.arrangement.programs == [.melody: 0, .harmony: 0, .bass: 32])
        #expect(result.arrangement.drumKit == 32)
        #expect(result.arrangement.excluded == [.texture])
        // Brushes, named, replace the ensemble's kit.
        #expect(reading("jazz trio with brushes").arrangement.drumKit == 40)
    }

    @Test("a piano trio is the jazz one, or in a classical genre piano, violin and cello without drums")
    func pianoTrio() {
        let jazz = reading("piano trio")
        #expect(jazz.genre.value == "jazz")
        #expect(jazz.arrangement.programs[.bass] == 32)
        let chamber = reading("classical piano trio")
        #expect(chamber.arrangement.programs == [.melody: 40, .harmony: 0, .bass: 42])
        #expect(chamber.arrangement.excluded == [.drums, .texture])
        #expect(reading("piano trio") { $0.genre = "classical" }.arrangement.excluded.contains(.drums))
    }

    @Test("a big band: saxes lead, brass chords, upright bass, jazz kit")
    func bigBand() {
        let result = reading("swinging big band")
        #expect(result.genre.value == "jazz")
        #expect([56, 65, 66].contains(result.arrangement.programs[.melody] ?? -1))
        #expect(result.arrangement.programs[.harmony] == 61)
        #expect(result.arrangement.programs[.bass] == 32)
        #expect(result.arrangement.drumKit == 32)
    }

    @Test("an orchestra in every spelling: strings, horns, low strings and the orchestral kit", arguments: [
        "orchestra", "symphony orchestra", "full orchestra", "an epic piece for orchestra",
    ])
    func orchestra(prompt: String) {
        let result = reading(prompt)
        #expect(result.genre.value == "cinematic")
        #expect(result.arrangement.programs[.harmony] == 48)
        #expect(result.arrangement.programs[.texture] == 60)
        #expect([42, 43].contains(result.arrangement.programs[.bass] ?? -1))
        #expect(result.arrangement.drumKit == 48)
        #expect(result.arrangement.excluded.isEmpty)
    }

    @Test("orchestral asks for the orchestra too: an orchestral waltz is strings in 3/4, with the orchestral kit")
    func orchestral() {
        let waltz = reading("orchestral waltz")
        #expect(waltz.arrangement.ensemble == "orchestra")
        #expect(waltz.timeSignature.value == TimeSignature("3/4")!)
        #expect(waltz.arrangement.drumKit == 48)
        #expect(reading("orchestral pop").genre.value == "cinematic", "the first genre named wins, as before")
    }

    @Test("a string orchestra has no drums")
    func stringOrchestra() {
        let result = reading("string orchestra")
        #expect(result.arrangement.excluded == [.drums])
        #expect(result.arrangement.drumKit == nil)
        #expect(result.arrangement.programs[.harmony] == 48)
    }

    @Test("rock line-ups: distorted guitar, bass guitar, a rock kit")
    func rockBands() {
        let trio = reading("power trio")
        #expect(trio.genre.value == "rock")
        #expect(trio.arrangement.programs[.harmony] == 30)
        #expect(trio.arrangement.programs[.bass] == 33)
        #expect(trio.arrangement.drumKit == 16)
        #expect(reading("rock band").arrangement.programs[.harmony] == 30)
    }

    @Test("brass band, choir-less wind quintet: every part a GM wind or brass program")
    func windsAndBrass() {
        let brass = reading("brass band")
        #expect(brass.arrangement.programs.values.allSatisfy { (56...63).contains($0) })
        let winds = reading("wind quintet")
        #expect(winds.arrangement.programs.values.allSatisfy { (60...79).contains($0) })
        #expect(winds.arrangement.excluded == [.drums])
    }

    @Test("a named instrument takes its part from the ensemble and is never silenced")
    func namedBeatsEnsemble() {
        let piano = reading("string quartet with piano")
        #expect(piano.arrangement.programs[.harmony] == nil, "the piano named plays the chords")
        #expect(piano.instruments.map(\.name) == ["piano"])
        let drums = reading("string quartet with drums")
        #expect(drums.arrangement.allows(.drums))
        let refused = reading("big band without drums")
        #expect(refused.arrangement.excluded == [.drums])
        #expect(refused.arrangement.drumKit == nil)
    }

    @Test("the summary names the ensemble, the parts left out and the style words")
    func summary() {
        #expect(reading("string quartet, 80 bpm in D minor").summary == "classical · 80 BPM · D minor · 4/4 · string quartet · no drums")
        #expect(reading("solo piano ballad in C major").summary.contains("solo piano · no drums, pads"))
        #expect(reading("80s pop, no drums").summary.hasSuffix("no drums · nostalgic · 80s"))
    }

    @Test("every ensemble program is a valid GM program")
    func validPrograms() {
        for prompt in ["string quartet", "string trio", "piano trio", "jazz trio", "jazz quartet", "big band", "orchestra",
                       "string orchestra", "brass band", "brass quintet", "wind quintet", "a cappella", "power trio", "rock band"] {
            let arrangement = reading(prompt).arrangement
            #expect(arrangement.ensemble != nil, "\(prompt)")
            #expect(arrangement.programs.values.allSatisfy { (0...127).contains($0) })
            #expect(Set(arrangement.programs.keys).isDisjoint(with: arrangement.excluded), "\(prompt): a part both fixed and silenced")
        }
    }
}
