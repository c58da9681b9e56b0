/// The whole screen as cells: what render functions draw into and the terminal backend copies out.
///
/// Writing outside the buffer is clipped, never an error, so widgets can draw at any size.
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
        set { if contains(x, y) { cells[y * width + x] = newValue } }
    }

    public func contains(_ x: Int, _ y: Int) -> Bool {
        x >= 0 && y >= 0 && x < width && y < height
    }

    /// Writes `text` from (x, y) on one row, cut at `maxWidth` columns (and at the buffer's edge).
    /// Text cut at `maxWidth` ends in "…" in its last column, so the reader knows there is more;
    /// `ellipsis: false` cuts it bare (a waveform's bars, a label squeezed between marks).
    /// Returns the column after the last character written.
    @discardableResult
    public mutating func put(_ text: String, x: Int, y: Int, style: Style = .plain, maxWidth: Int? = nil, ellipsis: Bool = true) -> Int {
        var column = x
        let limit = maxWidth.map { min(x + $0, width) } ?? width
        let room = limit - x
        for index in text.indices {
            let character = text[index]
            guard character != "\n" else { continue }
            guard column < limit else { break }
            if ellipsis, maxWidth != nil, room >= 2, column == limit - 1, text[text.index(after: index)...].contains(where: { $0 != "\n" }) {
                // One column left and more to come: the ellipsis takes it.
                self[column, y] = Cell("…", style: style)
                return column + 1
            }
            self[column, y] = Cell(character, style: style)
            column += 1
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
        (0..<height).map { row in String((0..<width).map { self[$0, row].character }) }.joined(separator: "\n")
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
                    if run == nil { run = Change(x: column, y: row, cells: []) }
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
