import Foundation
import RiffleCore
import Testing

@Suite("Instrument words: plurals, spellings, kits and drum voices")
struct InstrumentWordTests {
    @Test("a plural names the same instrument as its singular", arguments: [
        ("guitars", "guitar"), ("trumpets", "trumpet"), ("violins", "violin"), ("cellos", "cello"), ("saxes", "sax"),
        ("saxophones", "saxophone"), ("keyboards", "keyboard"), ("flutes", "flute"), ("acoustic guitars", "acoustic guitar"),
        ("electric pianos", "electric piano"), ("organs", "organ"), ("clarinets", "clarinet"), ("synths", "synth"),
        ("basses", "bass"), ("marimbas", "marimba"), ("harps", "harp"), ("celli", "cello"), ("ukuleles", "ukulele"),
    ])
    func plurals(plural: String, singular: String) {
        let many = reading("pop with \(plural)")
        #expect(!many.instruments.isEmpty, "\(plural) is not understood")
        #expect(many.instruments == reading("pop with \(singular)").instruments)
        #expect(many.unusedWords.isEmpty)
    }

    @Test("a word that only looks plural is not stripped into something else")
    func notPlurals() {
        #expect(reading("house with bass").instruments.map(\.name) == ["bass guitar"])
        #expect(reading("rock with glass").instruments.isEmpty)
        #expect(reading("rock with glass").unusedWords == ["glass"])
    }

    @Test("vibes are a mood, not a vibraphone; the vibraphone has its own name")
    func vibes() {
        #expect(reading("lo-fi vibes").instruments.isEmpty)
        #expect(reading("jazz with vibraphone").instruments.map(\.program) == [11])
    }

    @Test("kit words ask for the drums, with the kit they name", arguments: [
        ("ambient with drums", 0, nil as Int?), ("folk with a drum kit", 0, nil), ("ambient with percussion", 0, nil),
        ("jazz ballad with brushes", 40, 40), ("lo-fi with 808 drums", 25, 25), ("house with an 808 kit", 25, 25),
        ("pop with a tr-808", 25, 25), ("electro with a drum machine", 24, 24), ("rock with live drums", 8, 8),
        ("hip hop on a breakbeat", 8, 8), ("a jazz kit swing", 32, 32),
    ])
    func kits(prompt: String, program: Int, kit: Int?) throws {
        let result = reading(prompt)
        let drums = try #require(result.instruments.first { $0.role == .drums }, "\(prompt): no drums asked for")
        #expect(drums.program == program)
        #expect(result.arrangement.drumKit == kit)
        #expect(result.arrangement.allows(.drums))
    }

    @Test("808 alone is still the 808 bass")
    func eightOhEight() {
        let result = reading("trap with 808s")
        #expect(result.instruments.map(\.role) == [.bass])
        #expect(result.arrangement.drumKit == nil)
    }

    @Test("drum voices, in any spelling or number", arguments: [
        ("kick", DrumVoice.kick), ("kicks", .kick), ("bass drum", .kick), ("hi-hat", .hiHat), ("hihat", .hiHat),
        ("hi hats", .hiHat), ("hats", .hiHat), ("open hats", .openHat), ("ride", .ride), ("ride cymbal", .ride),
        ("claps", .clap), ("handclaps", .clap), ("snare", .snare), ("rimshots", .rim), ("shaker", .shaker),
        ("maracas", .shaker), ("tambourine", .tambourine), ("congas", .conga), ("bongos", .bongo), ("cowbell", .cowbell),
        ("toms", .toms), ("taiko drums", .taiko), ("claves", .clave), ("timbales", .timbale), ("crash", .crash),
    ])
    func voices(word: String, voice: DrumVoice) {
        let result = reading("house with \(word)")
        #expect(result.arrangement.drumVoices == [voice])
        #expect(result.unusedWords.isEmpty)
        // A voice is not a pitched instrument: nothing takes the bass or the chords.
        #expect(result.instruments.allSatisfy { $0.role == .drums })
    }

    @Test("several voices keep the prompt's order; a bass drum is a kick, not a bass")
    func severalVoices() {
        let result = reading("reggaeton groove with a bass drum, rimshots, congas and a shaker")
        #expect(result.arrangement.drumVoices == [.kick, .rim, .conga, .shaker])
        #expect(!result.instruments.contains { $0.role == .bass })
    }

    @Test("the more specific kit wins over plain drums, whichever comes first")
    func specificKit() {
        #expect(reading("drums with brushes").instruments.filter { $0.role == .drums }.map(\.program) == [40])
        #expect(reading("brushes on the drums").instruments.filter { $0.role == .drums }.map(\.program) == [40])
    }

    @Test("timpani ask for the orchestral kit, whose tom keys are timpani")
    func timpani() {
        let result = reading("cinematic with timpani")
        #expect(result.arrangement.drumKit == 48)
        #expect(result.arrangement.drumVoices == [.toms])
    }

    @Test("every instrument a word names can carry its own part")
    func playableRoles() {
        for instrument in Set(InstrumentVocabulary.phrases.values) {
            #expect(instrument.playableRoles.contains(instrument.role), "\(instrument.name)")
        }
    }
}
