import Foundation

/// A key: a spelled tonic and a mode, such as F# minor, Bb major or D dorian.
///
/// Parses the ways people write keys: "C major", "F# minor", "Bb", "Am", "C#m", "Eb min",
/// "F sharp minor", "D dorian". A tonic alone means major; a trailing "m" means minor.
public struct MusicalKey: Sendable, Hashable, Codable, CustomStringConvertible {
    /// The seven church modes, with major and minor named as musicians name them.
    public enum Mode: String, Sendable, Hashable, CaseIterable, Codable {
        case major, minor, dorian, phrygian, lydian, mixolydian, locrian

        /// Semitones above the tonic of each scale degree.
        public var intervals: [Int] {
            switch self {
            case .major: [0, 2, 4, 5, 7, 9, 11]
            case .dorian: [0, 2, 3, 5, 7, 9, 10]
            case .phrygian: [0, 1, 3, 5, 7, 8, 10]
            case .lydian: [0, 2, 4, 6, 7, 9, 11]
            case .mixolydian: [0, 2, 4, 5, 7, 9, 10]
            case .minor: [0, 2, 3, 5, 7, 8, 10]
            case .locrian: [0, 1, 3, 5, 6, 8, 10]
            }
        }
    }

    /// The tonic's letter, A to G, in upper case.
    public let letter: Character
    /// -1 for flat, 0 for natural, +1 for sharp.
    public let accidental: Int
    public let mode: Mode

    /// Examples of accepted spellings, for error messages and help.
    public static let examples = "\"C major\", \"F# minor\", \"Bb\", \"Am\", \"C#m\", \"D dorian\""

    private static let naturalPitchClasses: [Character: Int] = ["C": 0, "D": 2, "E": 4, "F": 5, "G": 7, "A": 9, "B": 11]

    /// Spellings of each mode after the tonic; matched case-insensitively except "M" and "m".
    private static let modeWords: [String: Mode] = [
        "": .major, "major": .major, "maj": .major, "ionian": .major,
        "minor": .minor, "min": .minor, "aeolian": .minor,
        "dorian": .dorian, "phrygian": .phrygian, "lydian": .lydian,
        "mixolydian": .mixolydian, "locrian": .locrian,
    ]

    public init(letter: Character, accidental: Int = 0, mode: Mode) {
        precondition(Self.naturalPitchClasses[letter] != nil && (-1...1).contains(accidental))
        self.letter = letter
        self.accidental = accidental
        self.mode = mode
    }

    /// Parses a key name; `nil` when the text is not one.
    public init?(_ text: String) {
        var rest = Substring(text.trimmingCharacters(in: .whitespaces))
        guard let first = rest.first, let letter = first.uppercased().first,
              Self.naturalPitchClasses[letter] != nil
        else { return nil }
        rest = rest.dropFirst()

        var accidental = 0
        let lowered = rest.lowercased()
        if let mark = rest.first, "#♯".contains(mark) {
            accidental = 1
            rest = rest.dropFirst()
        } else if let mark = rest.first, "b♭".contains(mark) {
            // No mode word starts with "b", so a "b" right after the letter is always a flat.
            accidental = -1
            rest = rest.dropFirst()
        } else if lowered.hasPrefix(" sharp") || lowered.hasPrefix("-sharp") {
            accidental = 1
            rest = rest.dropFirst(6)
        } else if lowered.hasPrefix(" flat") || lowered.hasPrefix("-flat") {
            accidental = -1
            rest = rest.dropFirst(5)
        }

        let modeText = rest.trimmingCharacters(in: .whitespaces)
        let mode: Mode
        switch modeText {
        case "m", "-": mode = .minor
        case "M": mode = .major
        default:
            guard let word = Self.modeWords[modeText.lowercased()] else { return nil }
            mode = word
        }
        self.init(letter: letter, accidental: accidental, mode: mode)
    }

    /// The tonic's pitch class, 0 (C) to 11 (B).
    public var tonicPitchClass: Int {
        (Self.naturalPitchClasses[letter]! + accidental + 12) % 12
    }

    /// "F#", "Bb", "C".
    public var tonicName: String {
        String(letter) + (accidental == 1 ? "#" : accidental == -1 ? "b" : "")
    }

    /// The pitch classes of the scale, tonic first.
    public var scalePitchClasses: [Int] {
        mode.intervals.map { ($0 + tonicPitchClass) % 12 }
    }

    /// "F# minor", "Bb major", "D dorian".
    public var description: String { "\(tonicName) \(mode.rawValue)" }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let key = MusicalKey(text) else {
            throw DecodingError.dataCorrupted(.init(
                codingPath: decoder.codingPath,
                debugDescription: "\"\(text)\" is not a key (for example \(Self.examples))"))
        }
        self = key
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}
