import Foundation

/// A time signature such as 4/4 or 6/8, limited to those the engines support.
public struct TimeSignature: Sendable, Hashable, Codable, CustomStringConvertible {
    /// Beats in a bar (the upper number).
    public let beatsPerBar: Int
    /// The note value of one beat (the lower number): 4 for a quarter, 8 for an eighth.
    public let beatUnit: Int

    /// Every time signature Riffle can compose in.
    public static let supported: [TimeSignature] = [
        .init(unchecked: 2, 4), .init(unchecked: 3, 4), .init(unchecked: 4, 4), .init(unchecked: 5, 4),
        .init(unchecked: 6, 8), .init(unchecked: 7, 8), .init(unchecked: 12, 8),
    ]

    public static let common = TimeSignature(unchecked: 4, 4)

    /// "2/4, 3/4, 4/4, 5/4, 6/8, 7/8, 12/8", for error messages and help.
    public static var supportedList: String { supported.map(\.description).joined(separator: ", ") }

    private init(unchecked beatsPerBar: Int, _ beatUnit: Int) {
        self.beatsPerBar = beatsPerBar
        self.beatUnit = beatUnit
    }

    /// A supported time signature, or `nil`.
    public init?(beatsPerBar: Int, beatUnit: Int) {
        let candidate = TimeSignature(unchecked: beatsPerBar, beatUnit)
        guard Self.supported.contains(candidate) else { return nil }
        self = candidate
    }

    /// Parses "3/4", " 6 / 8 "; `nil` for anything else or an unsupported signature.
    public init?(_ text: String) {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2,
              let upper = Int(parts[0].trimmingCharacters(in: .whitespaces)),
              let lower = Int(parts[1].trimmingCharacters(in: .whitespaces))
        else { return nil }
        self.init(beatsPerBar: upper, beatUnit: lower)
    }

    /// Compound meters (6/8, 12/8) group eighths in threes: their felt pulse is the dotted quarter.
    public var isCompound: Bool { beatUnit == 8 && beatsPerBar % 3 == 0 }

    public var description: String { "\(beatsPerBar)/\(beatUnit)" }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let value = TimeSignature(text) else {
            throw DecodingError.dataCorrupted(.init(
                codingPath: decoder.codingPath,
                debugDescription: "\"\(text)\" is not a supported time signature (\(Self.supportedList))"))
        }
        self = value
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}
