import Foundation

/// Reads a prompt for genre, tempo, key, time signature, moods, instruments, sections, and what it
/// asks of the arrangement (parts refused, ensembles, drums, feels) and of the sound (style words).
///
/// Matching is greedy and longest-first over the prompt's words, so "drum and bass" is a genre before
/// "bass" can be an instrument, and "acoustic guitar" an instrument before "acoustic" can be folk.
/// Negations ("no drums", "without bass") and solo forms ("solo piano", "cello solo") are read before
/// plain phrases (see Negation.swift). Precedence: explicit request parameters, then the prompt, then
/// what an ensemble or style word implies, then the genre preset's defaults.
/// Cheap enough to run on every key press: tables are built once, nothing is compiled per call.
public struct PromptInterpreter: Sendable {
    public let catalog: PresetCatalog
    /// The preset used when neither request nor prompt names a genre.
    public let fallbackGenre: String

    let genreNames: GenreNames
    let longestGenrePhrase: Int
    /// Every genre spelling under ``genreKey(_:)``, and its preset: ``GenreNames/resolve(_:)`` without
    /// its Foundation string work, for the many phrases a prompt is tried with.
    let genreSpellings: [String: String]

    public init(catalog: PresetCatalog, fallbackGenre: String = "modern-pop") {
        self.catalog = catalog
        self.fallbackGenre = fallbackGenre
        self.genreNames = catalog.genreNames
        self.longestGenrePhrase = catalog.presets.flatMap { preset -> [String] in [preset.name] + preset.aliases }
            .map { $0.split(whereSeparator: { $0 == " " || $0 == "-" }).count }.max() ?? 1
        var spellings: [String: String] = [:]
        for spelling in catalog.presets.flatMap({ [$0.name] + $0.aliases }) {
            if let preset = catalog.genreNames.resolve(spelling) { spellings[Self.genreKey(spelling.lowercased())] = preset }
        }
        self.genreSpellings = spellings
    }

    /// Lower-case text as ``GenreNames`` compares it: letters and digits only, "&" read as "and".
    static func genreKey(_ lower: String) -> String {
        var key = String.UnicodeScalarView()
        for scalar in lower.unicodeScalars {
            switch scalar {
            case "a"..."z", "0"..."9": key.append(scalar)
            case "&": key.append(contentsOf: "and".unicodeScalars)
            case _ where scalar.isASCII: continue
            default:
                // Beyond ASCII, what a letter or digit is takes Unicode's tables.
                if Character(scalar).isLetter || Character(scalar).isNumber { key.append(scalar) }
            }
        }
        return String(key)
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
        } else if let implied = (heard.ensemble?.genre ?? heard.impliedGenre).flatMap(genreNames.resolve) {
            // "string quartet" alone is classical, "one drop" reggae.
            genre = .init(implied, from: .prompt)
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
            let placed = (range.min + position * (range.max - range.min)).rounded()
            // A ballad stays slow even in a fast genre.
            bpm = .init(heard.tempoLimits.map { min(max(placed, $0.lowerBound), $0.upperBound) } ?? placed, from: .prompt)
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

        let arrangement = Self.arrangement(heard, genre: genre.value, notes: &notes)
        var result = Interpretation(genre: genre, bpm: bpm, key: key, timeSignature: metre, moods: heard.moods,
                                    instruments: heard.instruments, sections: heard.sections,
                                    unusedWords: heard.unusedWords, notes: notes)
        result.arrangement = arrangement
        result.styles = heard.styles.map(\.name)
        result.sound = heard.sound
        return result
    }

    /// The arrangement the prompt asks for. An ensemble is the base; an instrument the prompt names
    /// takes its part from the ensemble and is never silenced (a named instrument is wanted, so "no
    /// piano, just organ" keeps the chords, on the organ); solo forms and negations silence the rest.
    static func arrangement(_ heard: Reading, genre: String, notes: inout [String]) -> ArrangementRequest {
        var result = heard.ensemble?.arrangement(genre: genre) ?? ArrangementRequest()
        let named = Set(heard.instruments.map(\.role))
        for role in named where role != .drums { result.programs[role] = nil }
        result.programs.merge(heard.programs) { $1 }
        let silenced = Set(result.excluded + heard.excluded + heard.refused)
        result.excluded = Instrument.Role.allCases.filter { silenced.contains($0) && !named.contains($0) }
        for role in result.excluded { result.programs[role] = nil }
        if let kit = heard.drumKit { result.drumKit = kit }
        result.drumVoices = heard.drumVoices
        result.feels = heard.feels
        if !result.allows(.drums) {
            if !heard.drumVoices.isEmpty {
                notes.append("no drums: \(heard.drumVoices.map(\.rawValue).joined(separator: ", ")) left out too")
            }
            result.drumKit = nil
            result.drumVoices = []
        }
        if result.ensemble == nil { result.ensemble = heard.soloName }
        return result
    }
}
