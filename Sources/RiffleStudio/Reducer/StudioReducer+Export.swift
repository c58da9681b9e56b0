import RiffleCore

/// Where Export writes a take, as it is being chosen.
public struct ExportEntry: Equatable, Sendable {
    public var takeID: String
    /// A file name or path (relative to the folder the studio was started in; ~ is the home folder).
    /// Its extension is the format: Tab cycles wav, flac, ogg, mp3.
    public var path: String

    public init(takeID: String, path: String) {
        self.takeID = takeID
        self.path = path
    }
}

extension StudioReducer {
    /// Export from the menu asks where, in the status bar, prefilled with the take's id and format in
    /// the folder the studio was started in: keys type the path (Backspace, Ctrl-U clear), Tab cycles the
    /// format, Enter exports (the take, its MIDI and stems beside it, as `riffle export` does), Esc cancels.
    static func exportEntryKey(_ key: Key, _ state: inout StudioState) -> [StudioEffect]? {
        guard var entry = state.exportEntry else { return nil }
        switch key {
        case .character(let character):
            entry.path.append(character)
        case .backspace:
            entry.path = String(entry.path.dropLast())
        case .control("u"):
            entry.path = ""
        case .tab:
            let formats = AudioFormat.allCases
            let current = AudioFormat(pathExtensionOf: entry.path)
            let next = formats[((current.flatMap { formats.firstIndex(of: $0) } ?? -1) + 1) % formats.count]
            // The extension the name has, known or not, is replaced; a name without one gets one.
            let dot = entry.path.lastIndex(of: ".").flatMap { entry.path[$0...].contains("/") ? nil : $0 }
            entry.path = String(entry.path[..<(dot ?? entry.path.endIndex)]) + "." + next.fileExtension
        case .enter:
            let path = entry.path.trimmingCharacters(in: .whitespaces)
            guard !path.isEmpty, !path.hasSuffix("/") else {
                state.message = .init(text: "Export: name a file (its extension is the format: \(AudioFormat.list))", isError: true)
                return []
            }
            if let dot = path.lastIndex(of: "."), !path[dot...].contains("/"), AudioFormat(pathExtensionOf: path) == nil {
                state.message = .init(text: "Export: \"\(path[path.index(after: dot)...])\" is not a format (Tab cycles \(AudioFormat.list))", isError: true)
                return []
            }
            state.exportEntry = nil
            state.message = .init(text: "Exporting \(entry.takeID)…", isError: false)
            return [.export(takeID: entry.takeID, to: path)]
        case .escape, .ctrlC:
            state.exportEntry = nil
            return []
        default:
            return []
        }
        state.exportEntry = entry
        return []
    }
}
