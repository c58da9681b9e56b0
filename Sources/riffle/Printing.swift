import Foundation
import RiffleCore

// Everything the command line prints for people goes through `printLine` or `printError`, which
// escape control characters: ids, options, file names, stored prompts and presets all reach the
// terminal, and printed raw an escape sequence in any of them could retitle or repaint it. Line
// breaks are kept, as messages span lines by design; a value that must stay on one line (a prompt
// in a listing) is escaped whole where it is interpolated. JSON output is exact and printed apart.

/// A line (or lines) on standard output, control characters escaped.
func printLine(_ text: String) {
    Swift.print(text.escapingControlCharacters(keepingLineBreaks: true))
}

/// A line on standard error, control characters escaped.
func printError(_ message: String) {
    FileHandle.standardError.write(Data((message.escapingControlCharacters(keepingLineBreaks: true) + "\n").utf8))
}

/// Pretty, key-sorted JSON on standard output, the form every `--json` prints; exactly as encoded
/// (JSON escapes control characters in strings itself).
func printJSON<Value: Encodable>(_ value: Value) throws {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
    Swift.print(String(decoding: try encoder.encode(value), as: UTF8.self))
}

/// Not available in this module: print through ``printLine(_:)``, which escapes control characters.
@available(*, unavailable, message: "use printLine(_:), which escapes control characters, or printJSON(_:)")
func print(_ items: Any..., separator: String = " ", terminator: String = "\n") {}
