import Foundation

/// Reads a prompt for genre, tempo, key, time signature, moods, instruments and sections.
///
/// Matching is greedy and longest-first over the prompt's words, so "drum and bass" is a genre before
/// "bass" can be an instrument, and "acoustic guitar" an instrument before "acoustic" can be folk.
/// Precedence: explicit request parameters, then the prompt, then the genre preset's defaults.
/// Cheap enough to run on every key press.
public struct PromptInterpreter: Sendable {
    public let catalog: PresetCatalog
    /// The preset used when neither request nor prompt names a genre.
    public let fallbackGenre: String

    private let genreNames: GenreNames
    private let longestGenrePhrase: Int

    public init(catalog: PresetCatalog, fallbackGenre: String = "modern-pop") {
        self.catalog = catalog
        self.fallbackGenre = fallbackGenre
        self.genreNames = catalog.genreNames
        self.longestGenrePhrase = catalog.presets.flatMap { preset -> [String] in [preset.name] + preset.aliases }
            .map { $0.split(whereSeparator: { $0 == " " || $0 == "-" }).count }.max() ?? 1
    }

    /// What `request` asks for, with its prompt read and its explicit parameters taking precedence.
    public func interpret(_ request: GenerationRequest) -> Interpretation {
        let heard = read(request.prompt)
        var notes = heard.notes

        let genre: Interpretation.Sourced<String>
        if let asked = request.genre.flatMap(genreNames.resolve) {
            genre = .init(asked, from: .request)
            if let said = heard.genre, said != asked { notes.append("the prompt says \(said), the genre parameter \(asked): using \(asked)") }
        } else if let said = heard.genre {
            genre = .init(said, from: .prompt)
        } else {
            genre = .init(catalog.preset(named: fallbackGenre)?.name ?? catalog.presets.first?.name ?? fallbackGenre, from: .fallback)
        }
        let preset = catalog.preset(named: genre.value)

        let bpm: Interpretation.Sourced<Double>
        if let tempo = request.tempo {
            bpm = .init(tempo, from: .request)
        } else if let tempo = heard.tempo {
            bpm = .init(tempo, from: .prompt)
        } else if let position = heard.tempoPosition, let range = preset?.tempo {
            bpm = .init((range.min + position * (range.max - range.min)).rounded(), from: .prompt)
        } else {
            bpm = .init(preset?.tempo.default ?? 120, from: preset == nil ? .fallback : .preset)
        }

        let key: Interpretation.Sourced<MusicalKey>? = request.key.map { .init($0, from: .request) }
            ?? heard.key.map { .init($0, from: .prompt) }

        let metre: Interpretation.Sourced<TimeSignature>
        if let asked = request.timeSignature {
            metre = .init(asked, from: .request)
        } else if let said = heard.timeSignature {
            metre = .init(said, from: .prompt)
        } else if let first = preset?.timeSignatures.first {
            metre = .init(first, from: .preset)
        } else {
            metre = .init(.common, from: .fallback)
        }

        return Interpretation(genre: genre, bpm: bpm, key: key, timeSignature: metre, moods: heard.moods,
                              instruments: heard.instruments, sections: heard.sections,
                              unusedWords: heard.unusedWords, notes: notes)
    }

    /// What the prompt alone says, before precedence is applied.
    struct Reading {
        var genre: String?
        var tempo: Double?
        /// A tempo word's place in the preset's range, 0 to 1.
        var tempoPosition: Double?
        var key: MusicalKey?
        var timeSignature: TimeSignature?
        var moods: [String] = []
        var instruments: [Instrument] = []
        var sections: [SectionKind] = []
        var unusedWords: [String] = []
        var notes: [String] = []
    }

    func read(_ prompt: String) -> Reading {
        let words = Self.words(in: prompt)
        let lower = words.map { $0.lowercased() }
        var reading = Reading()
        var index = 0
        while index < words.count {
            let used = tempo(at: index, lower, &reading)
                ?? key(at: index, words, lower, &reading)
                ?? longestPhrase(at: index, lower, &reading)
                ?? singleWord(at: index, lower, &reading)
            if let used {
                index += used
            } else {
                if !Vocabulary.fillers.contains(lower[index]) { reading.unusedWords.append(words[index]) }
                index += 1
            }
        }
        return reading
    }

    /// Words as typed, split on spaces and punctuation but keeping "#", "/", "&" and "-" inside words
    /// ("F#m", "6/8", "r&b", "lo-fi").
    static func words(in prompt: String) -> [String] {
        // A full stop ends a sentence, except between digits ("62.5 bpm").
        let sentences = prompt.replacingOccurrences(of: #"(?<!\d)\.|\.(?!\d)"#, with: " ", options: .regularExpression)
        return sentences.split { character in
            character.isWhitespace || ",;:!?()[]{}\"“”".contains(character)
        }.map { String($0).trimmingCharacters(in: CharacterSet(charactersIn: "'’")) }.filter { !$0.isEmpty }
    }

    // MARK: Tempo: "126 BPM", "126bpm", "126-bpm", "at 90 beats per minute".

    private func tempo(at index: Int, _ lower: [String], _ reading: inout Reading) -> Int? {
        let word = lower[index]
        var number: Double?
        var used = 0
        if word.hasSuffix("bpm"), let value = Double(word.dropLast(3).trimmingCharacters(in: CharacterSet(charactersIn: "-"))) {
            number = value
            used = 1
        } else if let value = Double(word) {
            if index + 1 < lower.count, lower[index + 1] == "bpm" {
                number = value
                used = 2
            } else if index + 3 < lower.count, lower[(index + 1)...(index + 3)] == ["beats", "per", "minute"] {
                number = value
                used = 4
            }
        }
        guard let number else { return nil }
        if GenerationRequest.Limits.tempo.contains(number) {
            if reading.tempo == nil { reading.tempo = number }
        } else {
            reading.notes.append("\(formatted(number)) BPM is outside 30 to 300 BPM: ignored")
        }
        return used
    }

    // MARK: Key: "in A minor", "key of F#", "D dorian", "Am", "C#m", "Bb".

    private static let modeWords: Set<String> = ["major", "minor", "maj", "min", "dorian", "phrygian", "lydian",
                                                 "mixolydian", "locrian", "aeolian", "ionian"]

    private func key(at index: Int, _ words: [String], _ lower: [String], _ reading: inout Reading) -> Int? {
        // "in <key>" and "key of <key>": the key phrase may be a bare letter ("in A", "key of E").
        var lead = 0
        if lower[index] == "in" { lead = 1 }
        if lower[index] == "key", index + 1 < lower.count, lower[index + 1] == "of" { lead = 2 }
        if lead > 0 {
            for length in stride(from: 3, through: 1, by: -1) where index + lead + length <= words.count {
                let phrase = words[(index + lead)..<(index + lead + length)].joined(separator: " ")
                // One word alone must look like a key name: "in a dreamy mood" is not A major.
                let tonic = words[index + lead]
                if length == 1, !(tonic.first!.isUppercase || tonic.count == 2) { continue }
                if let found = MusicalKey(phrase), Self.looksLikeTonic(tonic) {
                    record(found, &reading)
                    return lead + length
                }
            }
            return nil
        }
        // "<tonic> <mode>" or "<tonic> sharp|flat <mode>" anywhere.
        if Self.looksLikeTonic(words[index]) {
            for length in [3, 2] where index + length <= words.count {
                let last = lower[index + length - 1]
                guard Self.modeWords.contains(last) || (length == 2 && ["sharp", "flat"].contains(last)) else { continue }
                if let found = MusicalKey(words[index..<(index + length)].joined(separator: " ")) {
                    record(found, &reading)
                    return length
                }
            }
        }
        // A bare chord-style name, capitalised so that "am" in a sentence is not A minor.
        let word = words[index]
        if word.count >= 2, let first = word.first, "ABCDEFG".contains(first),
           word.dropFirst().allSatisfy({ "#♯b♭mMinaj".contains($0) }), let found = MusicalKey(word) {
            record(found, &reading)
            return 1
        }
        return nil
    }

    /// A tonic letter, with or without an accidental: "A", "f#", "Bb".
    private static func looksLikeTonic(_ word: String) -> Bool {
        guard let first = word.first, "ABCDEFGabcdefg".contains(first), word.count <= 2 else { return false }
        return word.count == 1 || "#♯b♭".contains(word.last!)
    }

    private func record(_ key: MusicalKey, _ reading: inout Reading) {
        if reading.key == nil { reading.key = key } else if reading.key != key {
            reading.notes.append("the prompt names more than one key: using \(reading.key!)")
        }
    }

    // MARK: Phrases of several words: genres and instruments.

    private func longestPhrase(at index: Int, _ lower: [String], _ reading: inout Reading) -> Int? {
        let longest = max(longestGenrePhrase, InstrumentVocabulary.longestPhrase)
        for length in stride(from: min(longest, lower.count - index), through: 2, by: -1) {
            let phrase = lower[index..<(index + length)].joined(separator: " ")
            if let genre = genreNames.resolve(phrase) {
                recordGenre(genre, &reading)
                return length
            }
            if let instrument = InstrumentVocabulary.phrases[phrase] {
                recordInstrument(instrument, &reading)
                return length
            }
        }
        return nil
    }

    // MARK: Single words: a word may mean several things ("chill" is a mood and a tempo).

    private func singleWord(at index: Int, _ lower: [String], _ reading: inout Reading) -> Int? {
        let word = lower[index]
        var understood = false
        if let genre = genreNames.resolve(word) {
            recordGenre(genre, &reading)
            understood = true
        }
        if let instrument = InstrumentVocabulary.phrases[word] {
            recordInstrument(instrument, &reading)
            understood = true
        }
        if let mood = Vocabulary.moods[word] {
            if !reading.moods.contains(mood) { reading.moods.append(mood) }
            understood = true
        }
        if let position = Vocabulary.tempoWords[word] {
            if reading.tempoPosition == nil { reading.tempoPosition = position }
            understood = true
        }
        if let section = Vocabulary.sections[word] {
            if !reading.sections.contains(section) { reading.sections.append(section) }
            understood = true
        }
        if let metre = Vocabulary.metreWords[word] ?? TimeSignature(word) {
            if reading.timeSignature == nil { reading.timeSignature = metre }
            understood = true
        } else if word.wholeMatch(of: /\d+\/\d+/) != nil {
            reading.notes.append("\(word) is not a supported time signature (\(TimeSignature.supportedList))")
            understood = true
        }
        return understood ? 1 : nil
    }

    private func recordGenre(_ genre: String, _ reading: inout Reading) {
        if reading.genre == nil { reading.genre = genre } else if reading.genre != genre {
            reading.notes.append("the prompt names more than one genre: using \(reading.genre!), not \(genre)")
        }
    }

    private func recordInstrument(_ instrument: Instrument, _ reading: inout Reading) {
        if !reading.instruments.contains(instrument) { reading.instruments.append(instrument) }
    }
}
