import Foundation

/// A genre preset: the defaults a genre brings to a request, loaded from a TOML file in Presets/
/// or the user's config directory.
///
/// This is the part every engine shares (tempo, metre, mode, guidance); the Composer reads more
/// from the same files (instruments, grooves, progressions).
public struct GenrePreset: Sendable, Hashable, Codable {
    /// The canonical name, used in requests and on screen ("drum-and-bass").
    public var name: String
    /// How people write it ("Drum and Bass").
    public var title: String
    /// Other spellings that resolve to this preset ("dnb", "d&b").
    public var aliases: [String]
    /// One line for the preset list.
    public var description: String
    public var tempo: TempoRange
    /// Time signatures the genre uses, likeliest first.
    public var timeSignatures: [TimeSignature]
    /// Modes the genre uses, likeliest first.
    public var modes: [MusicalKey.Mode]
    /// The guidance scale the genre sounds best at.
    public var guidanceScale: Double
    /// The file the preset came from, so an engine can read its own section of it; `nil` when the
    /// preset was built in code.
    public var sourceFile: URL?

    public struct TempoRange: Sendable, Hashable, Codable {
        public var min: Double
        public var max: Double
        public var `default`: Double

        enum CodingKeys: String, CodingKey { case min, max, `default` }

        public init(min: Double, max: Double, default: Double) {
            self.min = min
            self.max = max
            self.default = `default`
        }

        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            min = try container.decodeNumber(forKey: .min)
            max = try container.decodeNumber(forKey: .max)
            self.default = try container.decodeNumber(forKey: .default)
        }
    }

    enum CodingKeys: String, CodingKey {
        case name, title, aliases, description, tempo, modes
        case timeSignatures = "time_signatures"
        case guidanceScale = "guidance_scale"
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        name = try container.decode(String.self, forKey: .name)
        title = try container.decodeIfPresent(String.self, forKey: .title) ?? name
        aliases = try container.decodeIfPresent([String].self, forKey: .aliases) ?? []
        description = try container.decodeIfPresent(String.self, forKey: .description) ?? ""
        tempo = try container.decode(TempoRange.self, forKey: .tempo)
        timeSignatures = try container.decode([TimeSignature].self, forKey: .timeSignatures)
        modes = try container.decode([MusicalKey.Mode].self, forKey: .modes)
        guidanceScale = container.contains(.guidanceScale)
            ? try container.decodeNumber(forKey: .guidanceScale) : GenerationRequest.Defaults.guidanceScale
    }

    /// Problems that make the preset unusable, each naming the field.
    public func problems() -> [String] {
        var problems: [String] = []
        if GenreNames.normalize(name).isEmpty { problems.append("name: must contain letters or digits") }
        let limits = GenerationRequest.Limits.tempo
        if !(limits.contains(tempo.min) && limits.contains(tempo.max) && tempo.min <= tempo.default && tempo.default <= tempo.max) {
            problems.append("tempo: need \(formatted(limits.lowerBound)) <= min <= default <= max <= \(formatted(limits.upperBound)), got min \(formatted(tempo.min)), default \(formatted(tempo.default)), max \(formatted(tempo.max))")
        }
        if timeSignatures.isEmpty { problems.append("time_signatures: list at least one of \(TimeSignature.supportedList)") }
        if modes.isEmpty { problems.append("modes: list at least one mode") }
        if !GenerationRequest.Limits.guidanceScale.contains(guidanceScale) {
            problems.append("guidance_scale: \(formatted(guidanceScale)) is out of range (allowed: 1 to 15)")
        }
        return problems
    }
}

extension KeyedDecodingContainer {
    /// A number written either way: TOML keeps `120` (an integer) and `120.0` (a float) apart, and
    /// people writing presets by hand should not have to care.
    public func decodeNumber(forKey key: Key) throws -> Double {
        if let whole = try? decode(Int.self, forKey: key) { return Double(whole) }
        return try decode(Double.self, forKey: key)
    }
}
