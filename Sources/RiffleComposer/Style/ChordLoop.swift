import RiffleCore

/// A chord in Roman numerals over the key's scale: a degree, and a seventh if the numeral says so.
///
/// Without a suffix the chord takes its quality from the scale (in C major "ii" is D minor, "V" is
/// G major; case is only a reminder). "7" adds a seventh: on an upper-case numeral a dominant
/// seventh (the blues' "I7"), on a lower-case one a minor seventh; "maj7" adds a major seventh.
public struct ChordSymbol: Sendable, Hashable, Codable {
    /// Scale degree, 0 for the tonic to 6.
    public var degree: Int
    public var seventh: Seventh?

    public enum Seventh: String, Sendable, Hashable, Codable {
        /// Whatever seventh the scale gives.
        case diatonic
        /// A major triad with a flat seventh, whatever the scale says.
        case dominant
        /// Minor triad, minor seventh.
        case minor
        /// Major triad, major seventh.
        case major
    }

    public init(degree: Int, seventh: Seventh? = nil) {
        self.degree = degree
        self.seventh = seventh
    }

    private static let numerals = ["i", "ii", "iii", "iv", "v", "vi", "vii"]

    /// Parses "V", "vi", "I7", "ii7", "IVmaj7"; `nil` for anything else.
    public init?(_ text: String) {
        var body = Substring(text)
        var seventh: Seventh?
        if body.lowercased().hasSuffix("maj7") {
            seventh = .major
            body = body.dropLast(4)
        } else if body.hasSuffix("7") {
            body = body.dropLast()
            seventh = body.first?.isUppercase == true ? .dominant : .minor
        }
        // "°" and "o" mark a diminished chord, which the scale already gives on its own degree.
        body = Substring(body.trimmingCharacters(in: ["°", "o"]))
        guard let degree = Self.numerals.firstIndex(of: body.lowercased()) else { return nil }
        self.init(degree: degree, seventh: seventh)
    }

    /// Pitch classes relative to the tonic, root first.
    public func intervals(in mode: MusicalKey.Mode, addSeventh: Bool) -> [Int] {
        let scale = mode.intervals
        func step(_ offset: Int) -> Int {
            let index = degree + offset
            return scale[index % 7] + 12 * (index / 7)
        }
        let root = step(0)
        switch seventh {
        case .dominant: return [root, root + 4, root + 7, root + 10]
        case .minor: return [root, root + 3, root + 7, root + 10]
        case .major: return [root, root + 4, root + 7, root + 11]
        case .diatonic: return [root, step(2), step(4), step(6)]
        case nil: return addSeventh ? [root, step(2), step(4), step(6)] : [root, step(2), step(4)]
        }
    }
}

/// A row of chords the genre cycles through ("I V vi IV").
public struct ChordLoop: Sendable, Hashable {
    public var chords: [ChordSymbol]

    /// Parses numerals separated by spaces or dashes; `nil` if any is not a numeral.
    public init?(_ text: String) {
        let parts = text.split(whereSeparator: { $0 == " " || $0 == "-" })
        let chords = parts.compactMap { ChordSymbol(String($0)) }
        guard !chords.isEmpty, chords.count == parts.count else { return nil }
        self.chords = chords
    }
}
