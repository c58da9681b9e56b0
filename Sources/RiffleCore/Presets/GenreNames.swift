import Foundation

/// The genre presets a request may name, and the spellings that resolve to each.
///
/// Matching ignores case, spaces and punctuation ("Hip-Hop", "hip hop" and "hiphop" are one name), and
/// each preset may list aliases ("dnb" for drum and bass, "rnb" for R&B).
public struct GenreNames: Sendable, Hashable {
    /// The presets' canonical names, sorted.
    public let names: [String]
    private let lookup: [String: String]

    /// - Parameter presets: each preset's canonical name with its aliases.
    public init(_ presets: [(name: String, aliases: [String])]) {
        var lookup: [String: String] = [:]
        for preset in presets {
            for spelling in [preset.name] + preset.aliases {
                lookup[Self.normalize(spelling)] = preset.name
            }
        }
        self.names = presets.map(\.name).sorted()
        self.lookup = lookup
    }

    /// The canonical name `text` refers to, or `nil` when it names no preset.
    public func resolve(_ text: String) -> String? {
        lookup[Self.normalize(text)]
    }

    /// Lower case, letters and digits only; "&" reads as "and" so "R&B" and "r and b" meet.
    static func normalize(_ text: String) -> String {
        String(text.lowercased().replacingOccurrences(of: "&", with: "and").filter { $0.isLetter || $0.isNumber })
    }
}
