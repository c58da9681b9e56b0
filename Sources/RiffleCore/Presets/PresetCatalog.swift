import Foundation
import TOMLKit

/// Every genre preset: the built-in ones from Presets/ and the user's own from the config directory.
///
/// A user preset with the name of a built-in one replaces it. A file that does not parse or does not
/// make sense is skipped and reported in ``problems`` (file, line, reason); the rest still load.
public struct PresetCatalog: Sendable {
    /// The presets by canonical name, sorted.
    public let presets: [GenrePreset]
    /// One line per file that was skipped, or alias two presets both claim, naming file or alias and the reason.
    public let problems: [String]
    /// The names requests may use, with aliases.
    public let genreNames: GenreNames

    /// The preset `name` refers to (any spelling or alias), or `nil`.
    public func preset(named name: String) -> GenrePreset? {
        guard let canonical = genreNames.resolve(name) else { return nil }
        return presets.first { $0.name == canonical }
    }

    /// Loads the presets from the given directories; later directories override earlier ones.
    public init(directories: [URL]) {
        var byName: [String: GenrePreset] = [:]
        var problems: [String] = []
        for file in DataDirectory.tomlFiles(in: directories) {
            switch Self.load(file) {
            case .success(let preset): byName[preset.name] = preset
            case .failure(let problem): problems.append(problem.message)
            }
        }
        self.presets = byName.values.sorted { $0.name < $1.name }
        self.genreNames = GenreNames(presets.map { ($0.name, $0.aliases) })
        self.problems = problems + genreNames.conflicts
    }

    /// The built-in presets plus the user's, from the standard places.
    public static func standard(environment: [String: String] = ProcessInfo.processInfo.environment) -> PresetCatalog {
        PresetCatalog(directories: [builtInDirectory(environment: environment), userDirectory(environment: environment)].compactMap { $0 })
    }

    /// The presets shipped with Riffle: RIFFLE_PRESETS_DIR, else `share/riffle/Presets` beside the
    /// executable's `bin`, else the checkout's Presets/ (see ``DataDirectory``).
    public static func builtInDirectory(environment: [String: String] = ProcessInfo.processInfo.environment) -> URL? {
        DataDirectory.builtIn("Presets", override: "RIFFLE_PRESETS_DIR", environment: environment)
    }

    /// `$XDG_CONFIG_HOME/riffle/presets`, else `~/.config/riffle/presets`.
    public static func userDirectory(environment: [String: String] = ProcessInfo.processInfo.environment) -> URL {
        ConfigDirectory.url(environment: environment).appendingPathComponent("presets")
    }

    struct LoadProblem: Error { let message: String }

    static func load(_ file: URL) -> Result<GenrePreset, LoadProblem> {
        let text: String
        do {
            text = try String(contentsOf: file, encoding: .utf8)
        } catch {
            return .failure(LoadProblem(message: "\(file.path): cannot read: \(error.localizedDescription)"))
        }
        var preset: GenrePreset
        do {
            preset = try TOMLDecoder().decode(GenrePreset.self, from: text)
            preset.sourceFile = file
        } catch {
            return .failure(LoadProblem(message: "\(file.path): \(readableDecodingError(error))"))
        }
        let problems = preset.problems()
        guard problems.isEmpty else {
            return .failure(LoadProblem(message: "\(file.path): " + problems.joined(separator: "; ")))
        }
        return .success(preset)
    }
}

/// Where Riffle keeps the user's presets and themes.
public enum ConfigDirectory {
    /// `$XDG_CONFIG_HOME/riffle`, else `~/.config/riffle`.
    public static func url(environment: [String: String] = ProcessInfo.processInfo.environment) -> URL {
        if let base = environment["XDG_CONFIG_HOME"], !base.isEmpty {
            return URL(fileURLWithPath: base).appendingPathComponent("riffle")
        }
        let home = environment["HOME"] ?? NSHomeDirectory()
        return URL(fileURLWithPath: home).appendingPathComponent(".config/riffle")
    }
}

/// A decoding error in a user's words: which field, what was wrong.
public func readableDecodingError(_ error: any Error) -> String {
    guard let decoding = error as? DecodingError else { return String(describing: error) }
    func path(_ context: DecodingError.Context) -> String {
        let path = context.codingPath.map(\.stringValue).joined(separator: ".")
        return path.isEmpty ? "" : "\(path): "
    }
    switch decoding {
    case .keyNotFound(let key, let context):
        return "\(path(context))missing field \"\(key.stringValue)\""
    case .typeMismatch(_, let context), .valueNotFound(_, let context), .dataCorrupted(let context):
        return "\(path(context))\(context.debugDescription)"
    @unknown default:
        return String(describing: error)
    }
}
