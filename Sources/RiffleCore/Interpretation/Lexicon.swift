/// What a phrase of a prompt can mean. A phrase may mean several things at once ("chill" is a mood
/// and a tempo, "jazz trio" a genre and an ensemble); the interpreter records them all.
enum Meaning: Sendable {
    case genre(String)
    case instrument(Instrument)
    case kit(DrumWords.Kit)
    case voice(DrumVoice)
    case ensemble(Ensemble)
    case style(StyleModifier)
    case feel(String, genre: String?)
    case mood(String)
    case tempo(Double)
    case section(SectionKind)
    case metre(TimeSignature)

    /// Whether the phrase names something that plays: an instrument, a kit or a drum voice.
    var plays: Bool {
        switch self {
        case .instrument, .kit, .voice: true
        default: false
        }
    }
}

/// Every fixed phrase the interpreter knows (genres come from the preset catalog), in one table
/// built once, keyed so that a dash reads as a space: "hi-hat", "hi hat", "four-on-the-floor" and
/// "four on the floor" meet.
enum Lexicon {
    /// The table key for lower-case text: dashes as spaces, one space between words.
    static func key(_ text: String) -> String {
        guard text.utf8.contains(UInt8(ascii: "-")) else { return text }
        return text.split(whereSeparator: { $0 == "-" || $0 == " " }).joined(separator: " ")
    }

    static let table: [String: [Meaning]] = {
        var table: [String: [Meaning]] = [:]
        func add(_ phrase: String, _ meaning: Meaning) { table[key(phrase), default: []].append(meaning) }
        for (phrase, ensemble) in Ensemble.phrases { add(phrase, .ensemble(ensemble)) }
        for (phrase, feel) in Vocabulary.feels { add(phrase, .feel(feel.feel, genre: feel.genre)) }
        for (phrase, style) in StyleModifier.phrases { add(phrase, .style(style)) }
        for (phrase, kit) in DrumWords.kits { add(phrase, .kit(kit)) }
        for (phrase, voice) in DrumWords.voices { add(phrase, .voice(voice)) }
        for (phrase, instrument) in InstrumentVocabulary.phrases { add(phrase, .instrument(instrument)) }
        for (word, mood) in Vocabulary.moods { add(word, .mood(mood)) }
        for (word, position) in Vocabulary.tempoWords { add(word, .tempo(position)) }
        for (word, section) in Vocabulary.sections { add(word, .section(section)) }
        for (word, metre) in Vocabulary.metreWords { add(word, .metre(metre)) }
        // Where a phrase names two things that play, the more specific comes first: a negation
        // ("no percussion") acts on the first.
        return table.mapValues { meanings in meanings.sorted { rank($0) < rank($1) } }
    }()

    private static func rank(_ meaning: Meaning) -> Int {
        switch meaning {
        case .ensemble: 0
        case .kit, .voice: 1
        case .instrument: 2
        default: 3
        }
    }

    /// The most words a table phrase spans.
    static let longest = table.keys.map { $0.split(separator: " ").count }.max() ?? 1

    /// What `phrase` (lower case) means as written, else as the plural of something that plays or
    /// a section ("guitars", "congas", "hi-hats", "drops").
    static func meanings(of phrase: String) -> [Meaning] {
        let key = key(phrase)
        if let found = table[key] { return found }
        if let base = InstrumentVocabulary.irregular[key], let found = table[base] { return found }
        for singular in Plural.singulars(of: key) {
            let found = (table[singular] ?? []).filter { meaning in
                if case .section = meaning { return true }
                return meaning.plays
            }
            if !found.isEmpty { return found }
        }
        return []
    }
}
