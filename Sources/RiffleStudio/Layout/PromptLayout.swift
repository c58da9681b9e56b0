/// The prompt as the pane shows it: its lines wrapped at word boundaries to the pane's width (a long
/// line wraps instead of scrolling sideways), counted in display columns, and where the cursor is.
/// The view draws from it and the reducer moves ↑↓ by its rows, so both agree on what a row is.
public struct PromptLayout: Equatable, Sendable {
    /// A row on screen: the characters it shows, by index into the prompt (a line's "\n" is not in any).
    public var rows: [Range<Int>]
    /// The cursor's row and display column. At the end of a full row it is at the start of a row of
    /// its own, so it always has a cell to stand in.
    public var cursorRow: Int
    public var cursorColumn: Int

    public init(_ characters: [Character], cursor: Int, width: Int) {
        let width = max(2, width)
        var rows: [Range<Int>] = []
        var start = 0, index = 0, column = 0
        /// Where the current row may break: after its last space.
        var lastBreak: Int?
        while index < characters.count {
            let character = characters[index]
            if character == "\n" {
                rows.append(start..<index)
                index += 1
                (start, column, lastBreak) = (index, 0, nil)
                continue
            }
            let columns = character.displayWidth
            if column + columns > width, index > start {
                let end = lastBreak ?? index
                rows.append(start..<end)
                start = end
                column = characters[start..<index].reduce(0) { $0 + $1.displayWidth }
                lastBreak = nil
                continue
            }
            column += columns
            index += 1
            if character == " " { lastBreak = index }
        }
        rows.append(start..<characters.count)
        let cursor = min(max(cursor, 0), characters.count)
        // A soft break's end is the next row's start: the cursor there is shown at the next row's start.
        var row = rows.count - 1
        for (index, range) in rows.enumerated() {
            let softBreak = index < rows.count - 1 && rows[index + 1].lowerBound == range.upperBound
            if cursor >= range.lowerBound, cursor < range.upperBound || (cursor == range.upperBound && !softBreak) {
                row = index
                break
            }
        }
        var cursorColumn = characters[rows[row].lowerBound..<cursor].reduce(0) { $0 + $1.displayWidth }
        if cursorColumn >= width {
            rows.insert(cursor..<cursor, at: row + 1)
            row += 1
            cursorColumn = 0
        }
        self.rows = rows
        cursorRow = row
        self.cursorColumn = cursorColumn
    }

    /// The index in the prompt at display column `column` of row `row` (the last character's end when
    /// the row is shorter): where ↑↓ and a click put the cursor.
    public func index(row: Int, column: Int, in characters: [Character]) -> Int {
        let range = rows[min(max(row, 0), rows.count - 1)]
        var at = range.lowerBound, used = 0
        while at < range.upperBound {
            let columns = characters[at].displayWidth
            if used + columns > column { break }
            used += columns
            at += 1
        }
        // A soft-wrapped row's last position is the next row's first: stay before the row's last character.
        if at == range.upperBound, range.upperBound < characters.count, characters[range.upperBound] != "\n", at > range.lowerBound {
            at -= 1
        }
        return at
    }
}
