extension Interpretation {
    enum CodingKeys: String, CodingKey {
        case genre, bpm, key, timeSignature, moods, instruments, sections, unusedWords, notes, arrangement, styles, sound
    }

    /// Reads an interpretation stored by any version: the arrangement, styles and sound came later,
    /// and a take stored before them reads as one whose prompt said none of it.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        genre = try container.decode(Sourced<String>.self, forKey: .genre)
        bpm = try container.decode(Sourced<Double>.self, forKey: .bpm)
        key = try container.decodeIfPresent(Sourced<MusicalKey>.self, forKey: .key)
        timeSignature = try container.decode(Sourced<TimeSignature>.self, forKey: .timeSignature)
        moods = try container.decode([String].self, forKey: .moods)
        instruments = try container.decode([Instrument].self, forKey: .instruments)
        sections = try container.decode([SectionKind].self, forKey: .sections)
        unusedWords = try container.decode([String].self, forKey: .unusedWords)
        notes = try container.decode([String].self, forKey: .notes)
        arrangement = try container.decodeIfPresent(ArrangementRequest.self, forKey: .arrangement) ?? ArrangementRequest()
        styles = try container.decodeIfPresent([String].self, forKey: .styles) ?? []
        sound = try container.decodeIfPresent(SoundHints.self, forKey: .sound) ?? SoundHints()
    }
}
