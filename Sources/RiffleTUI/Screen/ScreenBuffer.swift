import RiffleStudio

/// The whole screen as cells: what render functions draw into and the terminal backend copies out.
///
/// Writing outside the buffer is clipped, never an error, so widgets can draw at any size. It knows
/// display width (as ratatui's buffer does): a character two columns wide (CJK, emoji) fills its cell
/// and the next, a continuation cell; writing over either half of one blanks the other, so the screen
/// never holds half a character.
public struct ScreenBuffer: Hashable, Sendable {
    public let width: Int
    public let height: Int
    public private(set) var cells: [Cell]

    public init(width: Int, height: Int) {
        self.width = max(0, width)
        self.height = max(0, height)
        cells = Array(repeating: .blank, count: self.width * self.height)
    }

    public subscript(x: Int, y: Int) -> Cell {
        get { contains(x, y) ? cells[y * width + x] : .blank }
        set {
            guard contains(x, y) else { return }
            let index = y * width + x
            let old = cells[index]
            // Half of a wide character overwritten: the other half becomes a blank of its style.
            if old.isContinuation, !newValue.isContinuation, x > 0, !cells[index - 1].isContinuation {
                cells[index - 1] = Cell(" ", style: cells[index - 1].style)
            }
            if x + 1 < width, cells[index + 1].isContinuation, newValue.isContinuation || newValue.character.displayWidth != 2 {
                cells[index + 1] = Cell(" ", style: cells[index + 1].style)
            }
            cells[index] = newValue
        }
    }

    public func contains(_ x: Int, _ y: Int) -> Bool {
        x >= 0 && y >= 0 && x < width && y < height
    }

    /// Writes `text` from (x, y) on one row, cut at `maxWidth` columns (and at the buffer's edge), each
    /// character in as many columns as it takes (zero-width ones are left out). Text cut at
    /// `maxWidth` ends in "…" in its last column, so the reader knows there is more; `ellipsis: false`
    /// cuts it bare (a waveform's bars). Returns the column after the last character written.
    @discardableResult
    public mutating func put(_ text: String, x: Int, y: Int, style: Style = .plain, maxWidth: Int? = nil, ellipsis: Bool = true) -> Int {
        var column = x
        let limit = maxWidth.map { min(x + $0, width) } ?? width
        let marked = ellipsis && maxWidth != nil && limit - x >= 2
        for index in text.indices {
            let character = text[index]
            let columns = character.displayWidth
            guard character != "\n", columns > 0 else { continue }
            // Room for this character, and for an ellipsis after it if more text follows.
            let fits = column + columns <= limit
            let more = fits && marked && column + columns >= limit && text[text.index(after: index)...].contains { $0 != "\n" && $0.displayWidth > 0 }
            if !fits || more {
                guard marked else { break }
                // The ellipsis goes in the last column; a wide character that would not fit leaves a blank before it.
                while column < limit - 1 {
                    self[column, y] = Cell(" ", style: style)
                    column += 1
                }
                self[column, y] = Cell("…", style: style)
                return column + 1
            }
            self[column, y] = Cell(character, style: style)
            if columns == 2 { self[column + 1, y] = .continuation(style: style) }
            column += columns
        }
        return column
    }

    /// Fills `rect` with `cell`.
    public mutating func fill(_ rect: Rect, with cell: Cell = .blank) {
        for row in rect.y..<(rect.y + rect.height) {
            for column in rect.x..<(rect.x + rect.width) { self[column, row] = cell }
        }
    }

    /// A box with light lines around `rect` and a title in its top edge.
    public mutating func box(_ rect: Rect, title: String = "", style: Style = Style(.border)) {
        guard rect.width >= 2, rect.height >= 2 else { return }
        let right = rect.x + rect.width - 1, bottom = rect.y + rect.height - 1
        for column in (rect.x + 1)..<right {
            self[column, rect.y] = Cell("─", style: style)
            self[column, bottom] = Cell("─", style: style)
        }
        for row in (rect.y + 1)..<bottom {
            self[rect.x, row] = Cell("│", style: style)
            self[right, row] = Cell("│", style: style)
        }
        self[rect.x, rect.y] = Cell("╭", style: style)
        self[right, rect.y] = Cell("╮", style: style)
        self[rect.x, bottom] = Cell("╰", style: style)
        self[right, bottom] = Cell("╯", style: style)
        if !title.isEmpty, rect.width > 4 {
            put(" \(title) ", x: rect.x + 2, y: rect.y, style: Style(style.role, bold: true), maxWidth: rect.width - 4)
        }
    }

    /// The screen as plain text, one line per row (trailing spaces kept): what snapshot tests compare.
    public var text: String {
        (0..<height).map { row in String((0..<width).compactMap { self[$0, row].isContinuation ? nil : self[$0, row].character }) }
            .joined(separator: "\n")
    }

    /// A run of changed cells on one row, for a backend to draw.
    public struct Change: Hashable, Sendable {
        public var x: Int
        public var y: Int
        public var cells: [Cell]
    }

    /// What differs from `previous`, as runs of consecutive changed cells; everything when the
    /// sizes differ. A backend draws only these, which keeps a frame cheap however large the screen.
    public func changes(since previous: ScreenBuffer?) -> [Change] {
        let sameSize = previous.map { $0.width == width && $0.height == height } ?? false
        var changes: [Change] = []
        for row in 0..<height {
            var run: Change?
            for column in 0..<width {
                let cell = self[column, row]
                let changed = !sameSize || previous![column, row] != cell
                if changed {
                    if run == nil {
                        // A run never starts on a wide character's right half: the backend draws it
                        // with its left half, so the run starts there.
                        if cell.isContinuation, column > 0 {
                            run = Change(x: column - 1, y: row, cells: [self[column - 1, row]])
                        } else {
                            run = Change(x: column, y: row, cells: [])
                        }
                    }
                    run!.cells.append(cell)
                } else if let finished = run {
                    changes.append(finished)
                    run = nil
                }
            }
            if let finished = run { changes.append(finished) }
        }
        return changes
    }
}
