import Foundation
import RiffleCore
import Testing

@Suite("Negations and solo forms")
struct NegationTests {
    @Test("every way of refusing the drums silences them, and the words are understood", arguments: [
        "ambient pad with no drums", "ambient pad without drums", "drumless ambient", "ambient, no percussion",
        "classical waltz without any drums", "ambient with no beat", "drum-free ambient", "beatless ambient",
    ])
    func noDrums(prompt: String) {
        let result = reading(prompt)
        #expect(result.arrangement.excluded == [.drums])
        #expect(!result.instruments.contains { $0.role == .drums }, "a refused kit is not asked for")
        #expect(result.unusedWords.isEmpty, "\(result.unusedWords)")
    }

    @Test("refusing the bass silences it", arguments: ["house without bass", "house with no bass", "bassless house"])
    func noBass(prompt: String) {
        let result = reading(prompt)
        #expect(result.arrangement.excluded == [.bass])
        #expect(result.instruments.isEmpty)
    }

    @Test("a refused instrument is not asked for, and its part is silenced")
    func refusedInstrument() {
        let piano = reading("pop song, no piano")
        #expect(piano.instruments.isEmpty)
        #expect(piano.arrangement.excluded == [.harmony])
        let synths = reading("rock with no synths")
        #expect(synths.instruments.isEmpty)
        #expect(synths.arrangement.excluded == [.texture])
    }

    @Test("a negation does not leak past its phrase")
    func scope() {
        let but = reading("no drums but a big bass")
        #expect(but.arrangement.excluded == [.drums])
        #expect(but.instruments.map(\.name) == ["bass guitar"])
        let clause = reading("no drums, bass and piano")
        #expect(clause.arrangement.excluded == [.drums])
        #expect(clause.instruments.map(\.name) == ["bass guitar", "piano"])
        // Joined by "or" or "and" right after, the next instrument is refused too.
        #expect(reading("house with no drums or bass").arrangement.excluded == [.drums, .bass])
        #expect(reading("house without drums and bass").arrangement.excluded == [.drums, .bass])
    }

    @Test("an instrument named for the same part keeps it playing: no piano, just organ")
    func namedWins() {
        let result = reading("soul with no piano, just organ")
        #expect(result.instruments.map(\.name) == ["organ"])
        #expect(!result.arrangement.excluded.contains(.harmony))
        #expect(result.arrangement.programs[.harmony] == 16)
    }

    @Test("no drums, just piano and strings: the piano covers bass and tune, the strings the pads")
    func noDrumsJustPianoAndStrings() {
        let result = reading("no drums, just piano and strings")
        #expect(result.arrangement.excluded == [.drums])
        #expect(result.arrangement.programs == [.bass: 0, .harmony: 0, .melody: 0, .texture: 48])
        #expect(result.instruments.map(\.name) == ["piano", "strings"])
    }

    @Test("solo piano in every spelling: piano on bass, chords and tune; no drums or pads", arguments: [
        "solo piano", "piano solo", "just piano", "piano only", "only piano", "a sad solo piano piece",
    ])
    func soloPiano(prompt: String) {
        let result = reading(prompt)
        #expect(result.arrangement.programs == [.bass: 0, .harmony: 0, .melody: 0])
        #expect(result.arrangement.excluded == [.drums, .texture])
        #expect(result.sections.isEmpty, "a solo piano is not a solo section")
        #expect(result.arrangement.ensemble == "solo piano")
        #expect(result.unusedWords.isEmpty)
    }

    @Test("an unaccompanied cello plays the tune and the bass, and nothing else plays")
    func unaccompaniedCello() {
        let result = reading("unaccompanied cello")
        #expect(result.arrangement.programs == [.bass: 42, .melody: 42])
        #expect(result.arrangement.excluded == [.drums, .harmony, .texture])
    }

    @Test("a cappella: voices on the tune and the chords, no instruments", arguments: ["a cappella", "acapella", "A Cappella hymn"])
    func aCappella(prompt: String) {
        let result = reading(prompt)
        #expect(result.arrangement.programs[.harmony] == 52)
        #expect([52, 53].contains(result.arrangement.programs[.melody] ?? -1))
        #expect(Set(result.arrangement.excluded) == [.drums, .bass, .texture])
    }

    @Test("an instrument's solo features it on the tune; it is not a solo section", arguments: [
        ("cello solo", 42), ("a sax solo", 65), ("jazz with a trumpet solo", 56), ("violin solos", 40),
    ])
    func featuredSolo(prompt: String, program: Int) {
        let result = reading(prompt)
        #expect(result.sections.isEmpty)
        #expect(result.arrangement.programs[.melody] == program)
        #expect(result.instruments.first?.role == .melody)
        #expect(result.arrangement.excluded.isEmpty, "a featured solo silences nothing")
    }

    @Test("a guitar solo is played on a lead tone")
    func guitarSolo() {
        let result = reading("rock with a guitar solo")
        #expect(result.sections.isEmpty)
        #expect(result.arrangement.programs[.melody] == 29)
    }

    @Test("solo alone, or a solo section, still asks for the section")
    func soloSection() {
        #expect(reading("jazz with a solo").sections == [.solo])
        #expect(reading("rock with a solo section").sections == [.solo])
        #expect(reading("a drum solo").sections == [.solo])
    }

    @Test("no and without before an unknown word: the word is reported, nothing is refused")
    func unknownRefusal() {
        let result = reading("a cheerful tune with no kazoo")
        #expect(result.unusedWords == ["kazoo"])
        #expect(result.arrangement.excluded.isEmpty)
    }

    @Test("refusing a word that is not an instrument understands it without applying it")
    func refusedOther() {
        let noDrop = reading("house with no drop")
        #expect(noDrop.sections.isEmpty)
        let noReverb = reading("pop with no reverb")
        #expect(noReverb.styles == ["dry"])
        #expect(noReverb.sound.reverb == 0)
        // Nothing sings, so refusing vocals silences nothing.
        #expect(reading("lo-fi, no vocals").arrangement.excluded.isEmpty)
    }

    @Test("the drums refused beat drum voices named; a note says so")
    func refusedDrumsAndVoices() {
        let result = reading("no drums, with claps")
        #expect(result.arrangement.excluded == [.drums])
        #expect(result.arrangement.drumVoices.isEmpty)
        #expect(result.notes.contains { $0.contains("clap") })
    }
}
