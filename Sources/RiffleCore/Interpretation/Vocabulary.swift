/// The words prompt interpretation understands besides genres and instruments.
enum Vocabulary {
    /// Mood words, each mapped to the canonical mood it expresses.
    static let moods: [String: String] = {
        var table: [String: String] = [:]
        let groups: [String: [String]] = [
            "dark": ["dark", "moody", "ominous", "gloomy", "brooding", "sinister"],
            "bright": ["bright", "sunny", "shiny", "sparkling"],
            "happy": ["happy", "joyful", "cheerful", "playful", "fun"],
            "sad": ["sad", "melancholic", "melancholy", "somber", "sombre", "mournful", "bittersweet"],
            "dreamy": ["dreamy", "ethereal", "floating", "hazy", "spacey", "spacious"],
            "aggressive": ["aggressive", "angry", "heavy", "hard", "gritty", "intense"],
            "calm": ["calm", "peaceful", "relaxing", "relaxed", "chill", "mellow", "soft", "gentle", "serene"],
            "energetic": ["energetic", "driving", "powerful", "punchy", "bouncy"],
            "epic": ["epic", "heroic", "triumphant", "majestic", "grand"],
            "warm": ["warm", "romantic", "tender", "intimate", "lush", "smooth"],
            "mysterious": ["mysterious", "eerie", "haunting", "spooky", "suspenseful"],
            "nostalgic": ["nostalgic", "retro", "vintage", "dusty", "old-school"],
            "groovy": ["groovy", "funky", "swinging", "swung"],
            "uplifting": ["uplifting", "euphoric", "hopeful", "inspiring", "anthemic"],
            "hypnotic": ["hypnotic", "repetitive", "trance-like", "minimal"],
        ]
        for (mood, words) in groups { for word in words { table[word] = mood } }
        return table
    }()

    /// Tempo words and where in the preset's tempo range each puts the beat (0 = its slowest, 1 = its fastest).
    static let tempoWords: [String: Double] = [
        "slow": 0.15, "slower": 0.15, "slowly": 0.15, "downtempo": 0.15, "crawling": 0, "glacial": 0,
        "laid-back": 0.3, "laidback": 0.3, "relaxed": 0.3, "chill": 0.3, "lazy": 0.25, "easy": 0.35,
        "moderate": 0.5, "mid-tempo": 0.5, "midtempo": 0.5, "medium": 0.5,
        "upbeat": 0.7, "driving": 0.7, "energetic": 0.75,
        "fast": 0.85, "faster": 0.85, "uptempo": 0.85, "up-tempo": 0.85, "quick": 0.85, "frantic": 1, "breakneck": 1,
    ]

    /// Words that push the tempo word after them toward its end of the range ("very slow" is the
    /// slowest the genre goes).
    static let intensifiers: Set<String> = ["very", "really", "super", "extremely", "ultra", "so", "too", "incredibly", "insanely"]

    /// How far an intensifier moves a tempo word's place, toward the nearer end.
    static let intensifierPush = 0.15

    /// Feel phrases (a dash reads as a space), the feel each names and the genre it implies when the
    /// prompt names none.
    static let feels: [String: (feel: String, genre: String?)] = [
        "one drop": ("one-drop", "reggae"), "onedrop": ("one-drop", "reggae"), "one drop rhythm": ("one-drop", "reggae"),
        "half time": ("half-time", nil), "halftime": ("half-time", nil),
        "double time": ("double-time", nil), "doubletime": ("double-time", nil),
        "four on the floor": ("four-on-the-floor", nil), "4 on the floor": ("four-on-the-floor", nil),
        "four to the floor": ("four-on-the-floor", nil), "4x4": ("four-on-the-floor", nil),
        "shuffle": ("shuffle", nil), "shuffled": ("shuffle", nil), "shuffling": ("shuffle", nil),
    ]

    /// Section words and the section each asks for.
    static let sections: [String: SectionKind] = [
        "intro": .intro, "verse": .verse, "verses": .verse, "chorus": .chorus, "hook": .chorus, "refrain": .chorus,
        "bridge": .bridge, "drop": .drop, "breakdown": .breakdown, "build": .build, "buildup": .build,
        "build-up": .build, "riser": .build, "outro": .outro, "ending": .outro, "solo": .solo,
    ]

    /// Time-signature words.
    static let metreWords: [String: TimeSignature] = [
        "waltz": TimeSignature("3/4")!, "jig": TimeSignature("6/8")!, "shuffle": TimeSignature("12/8")!,
        "shuffled": TimeSignature("12/8")!,
    ]

    /// Words that carry no musical meaning of their own, so they are neither used nor reported unused.
    static let fillers: Set<String> = [
        "a", "an", "the", "with", "and", "of", "in", "at", "on", "for", "to", "some", "very", "lots", "lot", "plus",
        "by", "like", "over", "under", "into", "from", "that", "this", "is", "it", "its", "my", "your", "feat",
        "featuring", "track", "song", "tune", "beat", "beats", "music", "piece", "style", "vibe", "vibes", "sound",
        "sounds", "feel", "feeling", "full", "layered", "tempo", "key", "bpm", "per", "minute", "but", "no", "&",
        "-", "+", "really", "more", "less", "than", "kind", "sort", "type", "just", "bit", "little", "big", "time",
        "signature", "instrumental", "made", "use", "using", "background", "loop", "loops", "any", "or", "nor", "without",
        "only", "alone", "section", "part", "parts", "groove", "grooves", "riddim", "jam", "rhythm", "rhythms", "composition", "super", "extremely", "ultra", "so", "too", "please", "make", "me", "i", "want", "need",
    ]
}

/// A part of a song's form.
public enum SectionKind: String, Sendable, Hashable, Codable, CaseIterable {
    case intro, verse, build, chorus, drop, breakdown, bridge, solo, outro
}
