import Foundation

/// The reading pass: a prompt's words, each phrase matched longest-first and recorded.
extension PromptInterpreter {
    /// What the prompt alone says, before precedence is applied.
    struct Reading {
        var genre: String?
        /// A genre a feel or style word implies ("one drop": reggae), used when none is named.
        var impliedGenre: String?
        var tempo: Double?
        /// A tempo word's place in the preset's range, 0 to 1.
        var tempoPosition: Double?
        /// Where a style that set the tempo keeps the beat ("ballad": 56 to 80 BPM).
        var tempoLimits: ClosedRange<Double>?
        var key: MusicalKey?
        var timeSignature: TimeSignature?
        var moods: [String] = []
        var instruments: [Instrument] = []
        var sections: [SectionKind] = []
        var unusedWords: [String] = []
        var notes: [String] = []
        var ensemble: Ensemble?
        /// "solo piano", for the summary, when a solo form names one instrument.
        var soloName: String?
        /// Programs a solo form or a featured solo fixes.
        var programs: [Instrument.Role: Int] = [:]
        /// Parts a solo form leaves out ("just piano": the drums and the pads).
        var excluded: [Instrument.Role] = []
        /// Parts a negation refuses ("no drums", "without bass").
        var refused: [Instrument.Role] = []
        var drumKit: Int?
        var drumVoices: [DrumVoice] = []
        var feels: [String] = []
        var styles: [StyleModifier] = []
        var sound = SoundHints()
    }

    func read(_ prompt: String) -> Reading {
        let tokens = Self.tokens(in: prompt)
        let words = tokens.map(\.word)
        var prose = Prose(words: words, lower: words.map { $0.lowercased() }, clauseEnds: tokens.map(\.endsClause))
        // Each passes asks what starts where; the answer is found once.
        prose.matches = prose.lower.indices.map { findMatch(at: $0, prose) }
        var reading = Reading()
        var index = 0
        while index < words.count {
            let used = tempo(at: index, prose.lower, &reading)
                ?? key(at: index, words, prose.lower, &reading)
                ?? negation(at: index, prose, &reading)
                ?? soloForm(at: index, prose, &reading)
                ?? phrase(at: index, prose, &reading)
            if let used {
                index += used
            } else {
                if !Vocabulary.fillers.contains(prose.lower[index]) { reading.unusedWords.append(words[index]) }
                index += 1
            }
        }
        applyStyles(&reading)
        return reading
    }

    /// A prompt's words, lower-cased, and where its clauses end (a comma or a full stop), which
    /// bounds a negation's reach: in "no drums, bass and piano" only the drums are refused.
    struct Prose {
        var words: [String]
        var lower: [String]
        var clauseEnds: [Bool]
        /// The longest phrase at each word and its meanings, once found.
        var matches: [(length: Int, meanings: [Meaning])?]? = nil
        var count: Int { lower.count }
    }

    /// Words as typed, split on spaces and punctuation but keeping "#", "/", "&" and "-" inside words
    /// ("F#m", "6/8", "r&b", "lo-fi").
    static func words(in prompt: String) -> [String] { tokens(in: prompt).map(\.word) }

    private static let separators: Set<Character> = Set(",;:!?()[]{}\"“”.")
    private static let clauseMarks: Set<Character> = Set(",;:!?.()")

    /// Each word and whether a clause ends after it. A full stop ends a sentence, except between
    /// digits ("62.5 bpm").
    static func tokens(in prompt: String) -> [(word: String, endsClause: Bool)] {
        let characters = Array(prompt)
        var tokens: [(word: String, endsClause: Bool)] = []
        var current = ""
        func flush() {
            // Quotes around a word go; inside one ("80's") they stay.
            var word = Substring(current)
            while let first = word.first, first == "'" || first == "’" { word = word.dropFirst() }
            while let last = word.last, last == "'" || last == "’" { word = word.dropLast() }
            if !word.isEmpty { tokens.append((String(word), false)) }
            current = ""
        }
        for (offset, character) in characters.enumerated() {
            if character == ".", offset > 0, offset + 1 < characters.count,
               characters[offset - 1].isNumber, characters[offset + 1].isNumber {
                current.append(character)
            } else if character.isWhitespace || separators.contains(character) {
                flush()
                if clauseMarks.contains(character), !tokens.isEmpty { tokens[tokens.count - 1].endsClause = true }
            } else {
                current.append(character)
            }
        }
        flush()
        return tokens
    }

    // MARK: Phrases: the longest run of words the lexicon or the genre names know.

    /// The longest phrase starting at `index` and what it means, or `nil`.
    func match(at index: Int, _ prose: Prose) -> (length: Int, meanings: [Meaning])? {
        prose.matches?[index] ?? findMatch(at: index, prose)
    }

    private func findMatch(at index: Int, _ prose: Prose) -> (length: Int, meanings: [Meaning])? {
        let longest = max(longestGenrePhrase, Lexicon.longest)
        for length in stride(from: min(longest, prose.count - index), through: 1, by: -1) {
            let phrase = prose.lower[index..<(index + length)].joined(separator: " ")
            var meanings = length <= Lexicon.longest ? Lexicon.meanings(of: phrase) : []
            if length <= longestGenrePhrase, let genre = genreSpellings[Self.genreKey(phrase)] { meanings.append(.genre(genre)) }
            if length == 1, let metre = TimeSignature(phrase) { meanings.append(.metre(metre)) }
            if !meanings.isEmpty { return (length, meanings) }
        }
        return nil
    }

    private func phrase(at index: Int, _ prose: Prose, _ reading: inout Reading) -> Int? {
        guard let (length, meanings) = match(at: index, prose) else {
            let word = prose.lower[index]
            if word.utf8.contains(UInt8(ascii: "/")), word.split(separator: "/").count == 2, word.split(separator: "/").allSatisfy({ $0.allSatisfy(\.isNumber) }) {
                reading.notes.append("\(word) is not a supported time signature (\(TimeSignature.supportedList))")
                return 1
            }
            return nil
        }
        // "very slow": the slowest the genre goes.
        let intensified = index > 0 && Vocabulary.intensifiers.contains(prose.lower[index - 1])
        for meaning in meanings { record(meaning, intensified: intensified, &reading) }
        return length
    }

    func record(_ meaning: Meaning, intensified: Bool = false, _ reading: inout Reading) {
        switch meaning {
        case .genre(let genre):
            if reading.genre == nil { reading.genre = genre } else if reading.genre != genre {
                reading.notes.append("the prompt names more than one genre: using \(reading.genre!), not \(genre)")
            }
        case .instrument(let instrument): recordInstrument(instrument, &reading)
        case .kit(let kit):
            // One drums entry: a specific kit replaces the plain "drums", never the other way round.
            if let index = reading.instruments.firstIndex(where: { $0.role == .drums }) {
                if kit.kit != nil { reading.instruments[index] = kit.instrument }
            } else {
                reading.instruments.append(kit.instrument)
            }
            if let program = kit.kit { reading.drumKit = program }
            for voice in kit.voices where !reading.drumVoices.contains(voice) { reading.drumVoices.append(voice) }
            if reading.impliedGenre == nil { reading.impliedGenre = kit.genre }
        case .voice(let voice): if !reading.drumVoices.contains(voice) { reading.drumVoices.append(voice) }
        case .ensemble(let ensemble):
            if reading.ensemble == nil { reading.ensemble = ensemble } else if reading.ensemble != ensemble {
                reading.notes.append("the prompt names more than one ensemble: using \(reading.ensemble!.name), not \(ensemble.name)")
            }
        case .style(let style): if !reading.styles.contains(style) { reading.styles.append(style) }
        case .feel(let feel, let genre):
            if !reading.feels.contains(feel) { reading.feels.append(feel) }
            if reading.impliedGenre == nil { reading.impliedGenre = genre }
        case .mood(let mood): if !reading.moods.contains(mood) { reading.moods.append(mood) }
        case .tempo(var position):
            if intensified { position = position < 0.5 ? max(0, position - Vocabulary.intensifierPush) : min(1, position + Vocabulary.intensifierPush) }
            if reading.tempoPosition == nil { reading.tempoPosition = position }
        case .section(let section): if !reading.sections.contains(section) { reading.sections.append(section) }
        case .metre(let metre): if reading.timeSignature == nil { reading.timeSignature = metre }
        }
    }

    func recordInstrument(_ instrument: Instrument, _ reading: inout Reading) {
        if !reading.instruments.contains(instrument) { reading.instruments.append(instrument) }
    }

    // MARK: Styles: their moods, tempo and instruments are defaults, applied once the prompt is read.

    private func applyStyles(_ reading: inout Reading) {
        guard !reading.styles.isEmpty else { return }
        let moodsNamed = !reading.moods.isEmpty
        var sound = SoundHints()
        for style in reading.styles {
            sound.brightness += style.sound.brightness
            sound.reverb += style.sound.reverb
            sound.width += style.sound.width
            sound.vintage += style.sound.vintage
            sound.gatedReverb = sound.gatedReverb || style.sound.gatedReverb
            if !moodsNamed { for mood in style.moods where !reading.moods.contains(mood) { reading.moods.append(mood) } }
            if reading.tempoPosition == nil, let tempo = style.tempo {
                reading.tempoPosition = tempo
                reading.tempoLimits = style.tempoLimits
            }
            let taken = Set(reading.instruments.map(\.role) + reading.refused + reading.excluded)
            for instrument in style.instruments where !taken.contains(instrument.role) { reading.instruments.append(instrument) }
            if reading.drumKit == nil, !reading.refused.contains(.drums), !reading.excluded.contains(.drums) { reading.drumKit = style.drumKit }
            for feel in style.feels where !reading.feels.contains(feel) { reading.feels.append(feel) }
            if reading.impliedGenre == nil { reading.impliedGenre = style.genre }
        }
        sound.brightness = min(1, max(-1, sound.brightness))
        sound.reverb = min(1, max(0, sound.reverb))
        sound.width = min(1, max(-1, sound.width))
        sound.vintage = min(1, max(0, sound.vintage))
        reading.sound = sound
    }
}
