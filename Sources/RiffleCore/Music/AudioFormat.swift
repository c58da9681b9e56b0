/// The audio file formats Riffle writes (and reads).
public enum AudioFormat: String, Sendable, Hashable, Codable, CaseIterable, CustomStringConvertible {
    case wav, flac, ogg, mp3

    /// "wav, flac, ogg, mp3", for error messages and help.
    public static var list: String { allCases.map(\.rawValue).joined(separator: ", ") }

    /// Parses a format name, ignoring case and a leading dot (".FLAC" is flac).
    public init?(name: String) {
        var name = name.lowercased()
        if name.hasPrefix(".") { name.removeFirst() }
        self.init(rawValue: name)
    }

    /// The format a path's extension names, if any.
    public init?(pathExtensionOf path: String) {
        guard let dot = path.lastIndex(of: "."), !path[dot...].contains("/") else { return nil }
        self.init(name: String(path[path.index(after: dot)...]))
    }

    /// The file name extension, without the dot.
    public var fileExtension: String { rawValue }

    /// Whether decoding gives back exactly the samples that were encoded.
    public var isLossless: Bool { self == .wav || self == .flac }

    public var description: String { rawValue }
}
