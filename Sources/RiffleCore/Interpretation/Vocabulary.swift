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
        "slow": 0.15, "slower": 0.15, "downtempo": 0.15, "ballad": 0.1, "crawling": 0,
        "laid-back": 0.3, "laidback": 0.3, "relaxed": 0.3, "chill": 0.3, "lazy": 0.25, "easy": 0.35,
        "moderate": 0.5, "mid-tempo": 0.5, "midtempo": 0.5, "medium": 0.5,
        "upbeat": 0.7, "driving": 0.7, "energetic": 0.75,
        "fast": 0.85, "uptempo": 0.85, "up-tempo": 0.85, "quick": 0.85, "frantic": 1, "breakneck": 1,
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
    ]

    /// Words that carry no musical meaning of their own, so they are neither used nor reported unused.
    static let fillers: Set<String> = [
        "a", "an", "the", "with", "and", "of", "in", "at", "on", "for", "to", "some", "very", "lots", "lot", "plus",
        "by", "like", "over", "under", "into", "from", "that", "this", "is", "it", "its", "my", "your", "feat",
        "featuring", "track", "song", "tune", "beat", "beats", "music", "piece", "style", "vibe", "vibes", "sound",
        "sounds", "feel", "feeling", "full", "layered", "tempo", "key", "bpm", "per", "minute", "but", "no", "&",
        "-", "+", "really", "more", "less", "than", "kind", "sort", "type", "just", "bit", "little", "big", "time",
        "signature", "instrumental", "made", "use", "using", "background", "loop", "loops",
    ]
}

/// A part of a song's form.
public enum SectionKind: String, Sendable, Hashable, Codable, CaseIterable {
    case intro, verse, build, chorus, drop, breakdown, bridge, solo, outro
}
