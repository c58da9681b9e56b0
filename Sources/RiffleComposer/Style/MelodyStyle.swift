import RiffleCore

/// How a genre's lead line moves: the `[composer.melody]` table of a preset file.
///
/// Every key is optional; whatever a preset leaves out comes from ``standard``. The rhythm of a
/// melody is built from ``cells`` (a beat or a few beats each), its pitch from the phrase shapes and
/// the interval habits below. Presets/README.md documents the keys.
public struct MelodyStyle: Sendable, Hashable, Decodable {
    /// What a preset without the table gets: plain cells of quarters, eighths and half notes.
    public static let standard = MelodyStyle()

    /// Rhythm cells the genre's tunes are made of, each with how often it is chosen.
    public var cells: [RhythmCell]
    /// Shapes a four-bar phrase takes, likeliest first.
    public var contours: [Contour]
    /// Bar plans of a four-bar phrase, likeliest first (see ``PhrasePlan``).
    public var phrases: [PhrasePlan]
    /// How often the line leaps (three scale steps or more), 0 to 1; a leap is followed by a step back.
    public var leaps: Double
    /// How often a note repeats the one before, 0 to 1.
    public var repeats: Double
    /// The chance that a phrase is led into by a few notes before its first downbeat.
    public var pickups: Double

    public init(cells: [RhythmCell] = [], contours: [Contour] = [.arch, .rise, .fall],
                phrases: [PhrasePlan] = PhrasePlan.standard, leaps: Double = 0.2, repeats: Double = 0.1,
                pickups: Double = 0.3) {
        self.cells = cells
        self.contours = contours
        self.phrases = phrases
        self.leaps = leaps
        self.repeats = repeats
        self.pickups = pickups
    }

    /// The shape of a phrase's line.
    public enum Contour: String, Sendable, Hashable, Codable, CaseIterable {
        /// Up to a peak in the third bar, then home.
        case arch
        /// Climbing to the end of the phrase.
        case rise
        /// Starting high and settling.
        case fall
        /// Up, down, up, down: call and response within the phrase.
        case wave
    }

    enum CodingKeys: String, CodingKey {
        case cells, contours, phrases, leaps, repeats, pickups
    }

    public init(from decoder: any Decoder) throws {
        let standard = MelodyStyle.standard
        let container = try decoder.container(keyedBy: CodingKeys.self)
        func number(_ key: CodingKeys, _ fallback: Double) throws -> Double {
            guard container.contains(key) else { return fallback }
            let value = try container.decodeNumber(forKey: key)
            guard (0...1).contains(value) else {
                throw DecodingError.dataCorruptedError(forKey: key, in: container, debugDescription: "\(value) is outside 0 to 1")
            }
            return value
        }
        self.init(cells: try container.decodeIfPresent([RhythmCell].self, forKey: .cells) ?? standard.cells,
                  contours: try container.decodeIfPresent([Contour].self, forKey: .contours) ?? standard.contours,
                  phrases: try container.decodeIfPresent([PhrasePlan].self, forKey: .phrases) ?? standard.phrases,
                  leaps: try number(.leaps, standard.leaps), repeats: try number(.repeats, standard.repeats),
                  pickups: try number(.pickups, standard.pickups))
        if contours.isEmpty {
            throw DecodingError.dataCorruptedError(forKey: .contours, in: container, debugDescription: "list at least one contour")
        }
        if phrases.isEmpty {
            throw DecodingError.dataCorruptedError(forKey: .phrases, in: container, debugDescription: "list at least one phrase plan")
        }
    }
}

/// A rhythm cell: a beat or a few beats of melody rhythm, one character per sixteenth note.
///
/// "x" (or "X", as in the drum lanes) starts a note, "." lets whatever sounds go on (a note or a silence),
/// "_" silences. A cell that starts with "." ties over from the cell before it: an anticipation.
/// A cell fills whole beats: 4 sixteenths a beat in simple metres, 6 in compound ones (6/8, 12/8),
/// so "x.x." is two eighths, "x..x..x." a 3-3-2 figure over two beats and "x.x.x." a beat of
/// running eighths in 6/8. In TOML either a string or `{ pattern = "x.x.", weight = 2 }`.
public struct RhythmCell: Sendable, Hashable, Decodable {
    public var pattern: String
    /// How often it is chosen relative to the genre's other cells (1 when not given).
    public var weight: Double

    public init(_ pattern: String, weight: Double = 1) {
        self.pattern = pattern
        self.weight = weight
    }

    enum CodingKeys: String, CodingKey { case pattern, weight }

    public init(from decoder: any Decoder) throws {
        if let single = try? decoder.singleValueContainer(), let text = try? single.decode(String.self) {
            self.init(text)
        } else {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            let weight = container.contains(.weight) ? try container.decodeNumber(forKey: .weight) : 1
            guard weight > 0 else {
                throw DecodingError.dataCorruptedError(forKey: .weight, in: container, debugDescription: "a cell's weight must be above 0")
            }
            self.init(try container.decode(String.self, forKey: .pattern), weight: weight)
        }
        guard !pattern.isEmpty, pattern.allSatisfy({ "xX._".contains($0) }) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath,
                debugDescription: "\"\(pattern)\" may only use x or X (note), . (hold) and _ (silence)"))
        }
    }

    /// Sixteenths the cell spans.
    public var steps: Int { pattern.count }
}

/// The bars of a four-bar phrase: "A" the section's motif, "A'" the motif with its ending redrawn,
/// "B" a contrasting bar, "C" the cadence (the motif's first half, then a long note). "A A' B C" is
/// a statement, its echo, a departure and a close.
public struct PhrasePlan: Sendable, Hashable, Decodable {
    public enum Bar: String, Sendable, Hashable, Codable {
        case motif = "A", variation = "A'", contrast = "B", cadence = "C"
    }

    public var bars: [Bar]

    public static let standard: [PhrasePlan] = [
        PhrasePlan(bars: [.motif, .variation, .contrast, .cadence]),
        PhrasePlan(bars: [.motif, .contrast, .variation, .cadence]),
        PhrasePlan(bars: [.motif, .variation, .motif, .cadence]),
    ]

    public init(bars: [Bar]) { self.bars = bars }

    /// Parses "A A' B C": symbols separated by spaces; `nil` for anything else.
    public init?(_ text: String) {
        let bars = text.split(separator: " ").map { Bar(rawValue: String($0)) }
        guard !bars.isEmpty, bars.allSatisfy({ $0 != nil }) else { return nil }
        self.bars = bars.compactMap { $0 }
    }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let plan = PhrasePlan(text) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath,
                debugDescription: "\"\(text)\" is not a phrase plan such as \"A A' B C\" (A, A', B, C separated by spaces)"))
        }
        self = plan
    }
}
