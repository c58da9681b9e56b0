import Foundation
import RiffleCore
import Testing

private let interpreter = PromptInterpreter(catalog: PresetCatalog(directories: [PresetCatalog.builtInDirectory(environment: [:])!]))

private func interpret(_ prompt: String, _ change: (inout GenerationRequest) -> Void = { _ in }) -> Interpretation {
    var request = GenerationRequest(prompt: prompt)
    change(&request)
    return interpreter.interpret(request)
}

@Suite("Prompt interpretation")
struct PromptInterpreterTests {
    @Test("tempo as people write it", arguments: [
        ("melodic techno 126 BPM", 126.0), ("trap beat at 140bpm", 140), ("house, 124-bpm, warm pads", 124),
        ("a waltz at 90 beats per minute", 90), ("jazz ballad 62.5 bpm", 62.5),
    ])
    func explicitTempo(prompt: String, bpm: Double) {
        let result = interpret(prompt)
        #expect(result.bpm == .init(bpm, from: .prompt))
    }

    @Test("tempo words place the beat within the genre's range")
    func tempoWords() {
        // House runs 115 to 130 BPM.
        #expect(interpret("slow deep house").bpm.value == 117)
        #expect(interpret("laid-back house").bpm.value == 120)
        #expect(interpret("fast house").bpm.value == 128)
        #expect(interpret("house").bpm == .init(124, from: .preset))
        #expect(interpret("uptempo drum and bass").bpm.value == 181)
    }

    @Test("a tempo out of range is ignored with a note")
    func tempoOutOfRange() {
        let result = interpret("techno at 500 bpm")
        #expect(result.bpm == .init(130, from: .preset))
        #expect(result.notes.contains { $0.contains("500 BPM") })
    }

    @Test("keys as people write them", arguments: [
        ("cinematic strings in A minor", "A minor"), ("lo-fi in F# major", "F# major"), ("folk tune in D dorian", "D dorian"),
        ("dark trap Am 140 bpm", "A minor"), ("house C#m", "C# minor"), ("ballad in Bb", "Bb major"),
        ("blues in E", "E major"), ("key of G minor", "G minor"), ("pop song, Eb major", "Eb major"),
        ("ambient in f sharp minor", "F# minor"), ("r&b groove in a minor key", "A minor"),
    ])
    func keys(prompt: String, key: String) {
        #expect(interpret(prompt).key == .init(MusicalKey(key)!, from: .prompt))
    }

    @Test("ordinary words are not keys", arguments: ["house in a dreamy mood", "I am in love, pop", "a big epic build", "bass in deep space"])
    func notKeys(prompt: String) {
        #expect(interpret(prompt).key == nil)
    }

    @Test("time signatures from numbers and words")
    func metres() {
        #expect(interpret("folk song in 3/4").timeSignature == .init(TimeSignature("3/4")!, from: .prompt))
        #expect(interpret("jazz waltz").timeSignature == .init(TimeSignature("3/4")!, from: .prompt))
        #expect(interpret("irish jig on flute").timeSignature.value == TimeSignature("6/8")!)
        #expect(interpret("prog metal 7/8").timeSignature.value == TimeSignature("7/8")!)
        #expect(interpret("blues").timeSignature == .init(TimeSignature("12/8")!, from: .preset))
        let odd = interpret("math rock in 11/8")
        #expect(odd.timeSignature.value == .common)
        #expect(odd.notes.contains { $0.contains("11/8 is not a supported time signature") })
    }

    @Test("genres under any spelling; the longest phrase wins", arguments: [
        ("liquid drum and bass with rhodes", "drum-and-bass"), ("Drum & Bass", "drum-and-bass"), ("dnb roller", "drum-and-bass"),
        ("lo-fi hip hop study beat", "lo-fi"), ("lofi", "lo-fi"), ("boom bap", "hip-hop"), ("Hip-Hop", "hip-hop"),
        ("90s R&B slow jam", "rnb"), ("neo soul keys", "rnb"), ("heavy metal riffs", "metal"), ("epic film score", "cinematic"),
        ("deep house", "house"), ("minimal techno", "techno"), ("bossa nova", "bossa-nova"), ("salsa dura", "salsa"),
        ("perreo reggaeton", "reggaeton"), ("punk rock anthem", "punk"), ("motown stomper", "soul"), ("afro-cuban jazz", "latin"),
    ])
    func genres(prompt: String, genre: String) {
        #expect(interpret(prompt).genre == .init(genre, from: .prompt))
    }

    @Test("every preset's name and alias, written in a prompt, reads as that preset")
    func everySpelling() {
        let names = interpreter.catalog.genreNames
        for spelling in interpreter.catalog.presets.flatMap({ [$0.name] + $0.aliases }) {
            #expect(interpret(spelling).genre.value == names.resolve(spelling), "\(spelling)")
        }
    }

    @Test("no genre in the prompt falls back to modern pop; an explicit one wins")
    func genrePrecedence() {
        #expect(interpret("something nice with piano").genre == .init("modern-pop", from: .fallback))
        let both = interpret("jazz trio with brushes") { $0.genre = "Lo-Fi" }
        #expect(both.genre == .init("lo-fi", from: .request))
        #expect(both.notes.contains { $0.contains("jazz") })
    }

    @Test("explicit parameters beat the prompt, the prompt beats the preset")
    func precedence() {
        let result = interpret("house 128 bpm in A minor, 3/4") {
            $0.tempo = 122
            $0.key = MusicalKey("D minor")
            $0.timeSignature = TimeSignature("4/4")
        }
        #expect(result.bpm == .init(122, from: .request))
        #expect(result.key == .init(MusicalKey("D minor")!, from: .request))
        #expect(result.timeSignature == .init(TimeSignature("4/4")!, from: .request))
    }

    @Test("instruments map to General MIDI programs and roles")
    func instruments() {
        let result = interpret("lo-fi with rhodes, upright bass, soft pads, vinyl crackle and a muted trumpet")
        #expect(result.instruments.map(\.name) == ["rhodes", "upright bass", "pad", "muted trumpet"])
        #expect(result.instruments.map(\.program) == [4, 32, 89, 59])
        #expect(result.instruments.map(\.role) == [.harmony, .bass, .texture, .melody])
    }

    @Test("at least 25 instrument words, each a valid GM program")
    func instrumentVocabulary() {
        let words = ["piano", "rhodes", "organ", "strings", "violin", "cello", "brass", "trumpet", "sax", "flute", "choir",
                     "acoustic guitar", "electric guitar", "nylon guitar", "banjo", "pedal steel", "synth lead", "pad",
                     "pluck", "808", "sub bass", "reese bass", "bells", "harp", "marimba", "clarinet", "upright bass"]
        for word in words {
            let instrument = InstrumentVocabulary.phrases[word]
            #expect(instrument != nil, "\(word) is not understood")
            #expect((0...127).contains(instrument?.program ?? -1))
        }
        #expect(Set(InstrumentVocabulary.phrases.values.map(\.name)).count >= 25)
    }

    @Test("multi-word instruments win over their parts", arguments: [
        ("country with pedal steel", ["pedal steel"]), ("acoustic guitar and banjo", ["acoustic guitar", "banjo"]),
        ("reese bass and sub bass", ["reese bass", "sub bass"]), ("808s and hi hats", ["808"]),
    ])
    func multiWordInstruments(prompt: String, names: [String]) {
        #expect(interpret(prompt).instruments.map(\.name) == names)
    }

    @Test("moods, sections and the words left over")
    func moodsSectionsAndLeftovers() {
        let result = interpret("dark, hypnotic techno with a long breakdown and a massive drop, warehouse at 4am")
        #expect(result.moods == ["dark", "hypnotic"])
        #expect(result.sections == [.breakdown, .drop])
        #expect(result.unusedWords == ["long", "massive", "warehouse", "4am"])
    }

    @Test("a word can mean two things: chill is a mood and a tempo")
    func chill() {
        let result = interpret("chill house")
        #expect(result.moods == ["calm"])
        #expect(result.bpm.value == 120)
    }

    @Test("the summary line shows what was understood")
    func summary() {
        #expect(interpret("dreamy deep house 122 bpm in F# minor with rhodes and pads").summary
            == "house · 122 BPM · F# minor · 4/4 · rhodes, pad · dreamy")
        #expect(interpret("cinematic").summary == "cinematic · 90 BPM · key auto · 4/4")
    }
}
