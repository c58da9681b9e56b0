import Foundation

/// The genre presets a request may name, and the spellings that resolve to each.
///
/// Matching ignores case, spaces and punctuation ("Hip-Hop", "hip hop" and "hiphop" are one name), and
/// each preset may list aliases ("dnb" for drum and bass, "rnb" for R&B).
public struct GenreNames: Sendable, Hashable {
    /// The presets' canonical names, sorted.
    public let names: [String]
    /// Spellings that two presets both claim, described for the user; a name keeps it, else the first preset.
    public let conflicts: [String]
    private let lookup: [String: String]

    /// - Parameter presets: each preset's canonical name with its aliases.
    public init(_ presets: [(name: String, aliases: [String])]) {
        var lookup: [String: String] = [:]
        var conflicts: [String] = []
        // Names first, then aliases: a preset's own name beats another preset's alias, so a user preset
        // called "synthwave" is reached by that name even though a built-in lists it as an alias.
        let spellings = presets.map { ($0.name, $0.name) } + presets.flatMap { preset in preset.aliases.map { ($0, preset.name) } }
        for (spelling, owner) in spellings {
            let key = Self.normalize(spelling)
            // Punctuation alone ("-", "!") names nothing; a prompt's stray dash must not pick a genre.
            guard !key.isEmpty else { continue }
            if let holder = lookup[key] {
                if holder != owner { conflicts.append("\"\(spelling)\" names both \(holder) and \(owner): it stays with \(holder)") }
                continue
            }
            lookup[key] = owner
        }
        self.names = presets.map(\.name).sorted()
        self.conflicts = conflicts
        self.lookup = lookup
    }

    /// The canonical name `text` refers to, or `nil` when it names no preset.
    public func resolve(_ text: String) -> String? {
        lookup[Self.normalize(text)]
    }

    /// The canonical name of a genre given outright (a request's `genre`, `--genre`), or `nil`.
    ///
    /// As ``resolve(_:)``, but the name may hold only letters, digits, spaces and the joiners names use
    /// (`-`, `_`, `&`, `'`): "Hip-Hop" and "R&B" name presets, "Jazz!" names none. Reading a prompt
    /// ignores punctuation around words; a name typed into a field is either a name or a mistake.
    public func resolveName(_ text: String) -> String? {
        guard text.allSatisfy({ $0.isLetter || $0.isNumber || $0.isWhitespace || "-_&'".contains($0) }) else { return nil }
        return resolve(text)
    }

    /// Lower case, letters and digits only; "&" reads as "and" so "R&B" and "r and b" meet.
    static func normalize(_ text: String) -> String {
        String(text.lowercased().replacingOccurrences(of: "&", with: "and").filter { $0.isLetter || $0.isNumber })
    }
}
