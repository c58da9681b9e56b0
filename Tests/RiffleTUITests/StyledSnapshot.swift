import Foundation
import RiffleTUI
import Testing

// Snapshot files record a screen's text and its styles, so a test fails when a highlight, a colour
// role or an attribute changes even though every character stays the same.
//
// The format, for a W×H screen:
//
//     <H rows of text, exactly as `ScreenBuffer.text` draws them>
//     <an empty line>
//     styles WxH, one character per cell:
//       . = text
//       b = border
//       B = border+bold
//       z = selection+reverse
//       ...
//     <H rows of W symbols, each naming the style of the cell above it in the text block>
//
// The legend lists only the styles the screen uses, so any combination of role and attributes can be
// written. A style is named by its role, then `+bold`, `+reverse`, `+dim`, `+underline` in that
// order. A role's four main looks have the same symbol in every file (`StyleLegend.roleSymbols`):
// lowercase plain, uppercase bold, the role's second letter when reversed — `.` text, `m` muted,
// `a` accent, `b` border, `f` focused border, `s` selection, `g` good, `w` warning, `e` error,
// `~` waveform, `r` region; `z` selection+reverse, `F` a focused frame (focusedBorder+bold), `|` the
// playhead's column (playhead+bold+reverse), `^` its mark on the axis (playhead+bold). A dim or
// underlined style takes the next free symbol of a pool (digits first), in the legend's order.

extension Style {
    /// The style as the legend writes it: "text", "selection+reverse", "playhead+bold+reverse".
    var snapshotName: String {
        var parts = [role.rawValue]
        if bold { parts.append("bold") }
        if reverse { parts.append("reverse") }
        if dim { parts.append("dim") }
        if underline { parts.append("underline") }
        return parts.joined(separator: "+")
    }

    /// Reads a name `snapshotName` wrote; nil for anything else.
    init?(snapshotName: String) {
        let parts = snapshotName.split(separator: "+").map(String.init)
        guard let first = parts.first, let role = Role(rawValue: first) else { return nil }
        let modifiers = parts.dropFirst()
        guard Set(modifiers).isSubset(of: ["bold", "reverse", "dim", "underline"]), Set(modifiers).count == modifiers.count else { return nil }
        self.init(role, bold: modifiers.contains("bold"), reverse: modifiers.contains("reverse"), dim: modifiers.contains("dim"),
                  underline: modifiers.contains("underline"))
        guard self.snapshotName == snapshotName else { return nil }
    }

    /// The order of the attributes, for sorting: bold 1, reverse 2, dim 4, underline 8.
    fileprivate var modifierBits: Int { (bold ? 1 : 0) | (reverse ? 2 : 0) | (dim ? 4 : 0) | (underline ? 8 : 0) }
}

/// Which character stands for which style in one screen's style block.
struct StyleLegend {
    /// In the order the file lists them.
    var entries: [(symbol: Character, style: Style)]

    /// Each role's own symbols, for the role plain, bold, reversed and bold and reversed: lowercase
    /// (or a mark) plain, uppercase bold, the role's second letter reversed. No symbol belongs to two roles.
    static let roleSymbols: [Style.Role: [Character]] = [
        .text: [".", "T", "x", "X"],
        .muted: ["m", "M", "n", "N"],
        .accent: ["a", "A", "c", "C"],
        .border: ["b", "B", "o", "O"],
        .focusedBorder: ["f", "F", "j", "J"],
        .selection: ["s", "S", "z", "Z"],
        .good: ["g", "G", "h", "H"],
        .warning: ["w", "W", "y", "Y"],
        .error: ["e", "E", "k", "K"],
        .waveform: ["~", "V", "u", "U"],
        // The playhead is bold: "|" is its reversed column through the lanes, "^" its mark under them.
        .playhead: ["p", "^", "i", "|"],
        .region: ["r", "R", "q", "Q"],
    ]

    /// What a style that is dim or underlined takes: digits, the ASCII letters and marks no role owns,
    /// then Latin letters (single-width, so the block stays aligned): more than the 192 styles there are.
    static let pool: [Character] = {
        let owned = Set(roleSymbols.values.joined())
        let ascii = Array("0123456789") + Array("dlvDILP") + Array("#$%&*+@<>?/()[]{}:;,-_'`\"\\")
        let latin = (0x00C0...0x024F).compactMap(Unicode.Scalar.init).filter(\.properties.isAlphabetic).map(Character.init)
        var seen = Set<Character>()
        return (ascii + latin).filter { !owned.contains($0) && seen.insert($0).inserted }
    }()

    /// The symbol a style has in every screen, if it is one of its role's four main looks.
    static func fixedSymbol(_ style: Style) -> Character? {
        guard !style.dim, !style.underline, let symbols = roleSymbols[style.role] else { return nil }
        return symbols[(style.bold ? 1 : 0) + (style.reverse ? 2 : 0)]
    }

    /// The legend for the styles in `buffer`, role by role in the order `Style.Role` lists them.
    init(_ buffer: ScreenBuffer) {
        let roles = Style.Role.allCases
        let styles = Set(buffer.cells.map(\.style)).sorted { a, b in
            let ra = roles.firstIndex(of: a.role)!, rb = roles.firstIndex(of: b.role)!
            return ra != rb ? ra < rb : a.modifierBits < b.modifierBits
        }
        var pool = Self.pool[...]
        entries = styles.map { style in (Self.fixedSymbol(style) ?? pool.popFirst()!, style) }
    }

    init(entries: [(symbol: Character, style: Style)]) { self.entries = entries }

    func symbol(for style: Style) -> Character? { entries.first { $0.style == style }?.symbol }
    func style(for symbol: Character) -> Style? { entries.first { $0.symbol == symbol }?.style }

    /// One line per entry, as the file writes them.
    var lines: [String] { entries.map { "  \($0.symbol) = \($0.style.snapshotName)" } }

    /// On one line, for messages.
    var summary: String { entries.map { "\($0.symbol) = \($0.style.snapshotName)" }.joined(separator: "; ") }
}

extension ScreenBuffer {
    /// The rows of the style block: one symbol of `legend` per cell.
    func styleRows(_ legend: StyleLegend) -> [String] {
        (0..<height).map { row in String((0..<width).map { legend.symbol(for: self[$0, row].style)! }) }
    }

    /// The screen as a snapshot file: its text, then its styles with their legend.
    var styledSnapshot: String {
        let legend = StyleLegend(self)
        let text = height == 0 ? [] : text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let lines = text + ["", "styles \(width)x\(height), one character per cell:"] + legend.lines + styleRows(legend)
        return lines.joined(separator: "\n") + "\n"
    }

    /// The cells of one row from `x` on, for assertions on a stretch of a row.
    func cells(row y: Int, from x: Int = 0, to end: Int? = nil) -> [Cell] {
        (x..<(end ?? width)).map { self[$0, y] }
    }

    /// The row as text.
    func line(_ y: Int) -> String { String(cells(row: y).map(\.character)) }
}

/// A snapshot file read back: the text rows, the legend and the styles per cell.
struct StyledSnapshot {
    var width: Int
    var height: Int
    var text: [String]
    var legend: StyleLegend
    var styleRows: [String]

    /// The style of every cell, row by row.
    var styles: [[Style]]

    init(_ buffer: ScreenBuffer) {
        width = buffer.width
        height = buffer.height
        text = (0..<buffer.height).map { buffer.line($0) }
        legend = StyleLegend(buffer)
        styleRows = buffer.styleRows(legend)
        styles = (0..<buffer.height).map { y in buffer.cells(row: y).map(\.style) }
    }

    enum ParseError: Error, CustomStringConvertible {
        case noStyleBlock, badLegend(String), badStyleRow(Int, String), sizes(String)

        var description: String {
            switch self {
            case .noStyleBlock: "no \"styles WxH\" block after the text (a text-only snapshot: re-record it)"
            case .badLegend(let line): "a legend line that does not read as \"  X = role+modifiers\": \(line)"
            case .badStyleRow(let row, let why): "style row \(row): \(why)"
            case .sizes(let why): why
            }
        }
    }

    /// Reads a file `ScreenBuffer.styledSnapshot` wrote.
    init(parsing file: String) throws {
        var lines = file.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        while lines.last == "" { lines.removeLast() }
        // The header is the first line after H text rows and an empty line that names H.
        guard let header = lines.indices.first(where: { index in
            guard let (_, h) = Self.size(lines[index]) else { return false }
            return index == h + 1 && lines[h] == ""
        }), let (width, height) = Self.size(lines[header]) else { throw ParseError.noStyleBlock }
        self.width = width
        self.height = height
        text = Array(lines[0..<height])
        guard lines.count - header - 1 >= height else { throw ParseError.sizes("the style block has fewer than \(height) rows") }
        styleRows = Array(lines.suffix(height))
        var entries: [(symbol: Character, style: Style)] = []
        for line in lines[(header + 1)..<(lines.count - height)] {
            let characters = Array(line)
            guard characters.count > 6, line.hasPrefix("  "), String(characters[3...5]) == " = ",
                  let style = Style(snapshotName: String(characters[6...])) else { throw ParseError.badLegend(line) }
            entries.append((characters[2], style))
        }
        legend = StyleLegend(entries: entries)
        styles = []
        for (index, row) in styleRows.enumerated() {
            guard row.count == width else { throw ParseError.badStyleRow(index, "\(row.count) symbols, not \(width)") }
            styles.append(try row.map { symbol in
                guard let style = legend.style(for: symbol) else { throw ParseError.badStyleRow(index, "\"\(symbol)\" is not in the legend") }
                return style
            })
        }
    }

    private static func size(_ line: String) -> (Int, Int)? {
        guard line.hasPrefix("styles "), line.hasSuffix(", one character per cell:") else { return nil }
        let size = line.dropFirst("styles ".count).dropLast(", one character per cell:".count).split(separator: "x")
        guard size.count == 2, let width = Int(size[0]), let height = Int(size[1]) else { return nil }
        return (width, height)
    }
}

/// Why `actual` does not match the snapshot file `expected`, naming the first cell whose text or style
/// differs and showing its row in both; nil when the file is exactly what `actual` records.
///
/// The message leaves the whole rendering out (a long issue message can go missing from `swift test`'s
/// console); `renderingPath` says where the caller wrote it instead.
func snapshotMismatch(expected file: String, actual buffer: ScreenBuffer, name: String, renderingPath: String? = nil) -> String? {
    let rendering = buffer.styledSnapshot
    guard rendering != file else { return nil }
    let whole = renderingPath.map { "The whole rendering is in \($0): diff it with the snapshot." } ?? ""
    let actual = StyledSnapshot(buffer)
    let expected: StyledSnapshot
    do {
        expected = try StyledSnapshot(parsing: file)
    } catch {
        return "screen \(name) cannot be compared with Snapshots/\(name).txt: \(error)\n\(whole)"
    }
    guard expected.width == actual.width, expected.height == actual.height else {
        return "screen \(name) is \(actual.width)x\(actual.height), Snapshots/\(name).txt is \(expected.width)x\(expected.height)\n\(whole)"
    }
    for y in 0..<actual.height {
        let expectedText = Array(expected.text[y]), actualText = Array(actual.text[y])
        func character(_ row: [Character], _ x: Int) -> String { x < row.count ? String(row[x]) : "(none)" }
        let firstColumn = (0..<max(expectedText.count, actualText.count)).first { x in
            character(expectedText, x) != character(actualText, x) || (x < actual.width && expected.styles[y][x] != actual.styles[y][x])
        }
        guard let x = firstColumn else { continue }
        let styleNames = x < actual.width ? (expected.styles[y][x].snapshotName, actual.styles[y][x].snapshotName) : ("", "")
        let pointer = String(repeating: " ", count: x) + "^"
        return """
            screen \(name) differs from Snapshots/\(name).txt first at row \(y), column \(x): \
            expected "\(character(expectedText, x))" \(styleNames.0), got "\(character(actualText, x))" \(styleNames.1)
              expected text  \(expected.text[y])
              actual text    \(actual.text[y])
              expected style \(expected.styleRows[y])
              actual style   \(actual.styleRows[y])
                             \(pointer)
            legend of the snapshot:  \(expected.legend.summary)
            legend of the rendering: \(actual.legend.summary)
            Re-record with RECORD_SNAPSHOTS=1 if the change is meant. \(whole)
            """
    }
    // Every cell matches, so only the way the file is written differs (its legend's letters or order).
    return "screen \(name) matches Snapshots/\(name).txt cell by cell, but the file is not written as the snapshot format "
        + "writes it now (legend: \(expected.legend.summary); now: \(actual.legend.summary)); re-record with RECORD_SNAPSHOTS=1. \(whole)"
}

/// Compares a rendered screen, text and styles, with the snapshot kept beside the tests;
/// `RECORD_SNAPSHOTS=1` rewrites the snapshots instead (then read the diff before committing them).
func assertSnapshot(_ buffer: ScreenBuffer, named name: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
    let file = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Snapshots/\(name).txt")
    if ProcessInfo.processInfo.environment["RECORD_SNAPSHOTS"] == "1" {
        try buffer.styledSnapshot.write(to: file, atomically: true, encoding: .utf8)
        return
    }
    let expected = try String(contentsOf: file, encoding: .utf8)
    guard expected != buffer.styledSnapshot else { return }
    // The whole rendering goes to $TMPDIR/riffle-snapshots/<name>.txt, to diff with the snapshot.
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("riffle-snapshots")
    let rendering = folder.appendingPathComponent("\(name).txt")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    try buffer.styledSnapshot.write(to: rendering, atomically: true, encoding: .utf8)
    if let mismatch = snapshotMismatch(expected: expected, actual: buffer, name: name, renderingPath: rendering.path) {
        Issue.record(Comment(rawValue: mismatch), sourceLocation: sourceLocation)
    }
}
