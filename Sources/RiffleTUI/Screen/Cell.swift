/// What a cell looks like, in terms a theme maps to colours: the studio never names a colour itself,
/// so dark, light, high-contrast, 16-colour and monochrome terminals all work from the same render.
public struct Style: Hashable, Sendable {
    /// The role of the text: a theme gives each one a colour.
    public enum Role: String, Hashable, Sendable, CaseIterable {
        case text, muted, accent, border, focusedBorder, selection, good, warning, error, waveform, playhead, region
    }

    public var role: Role
    public var bold: Bool
    public var reverse: Bool
    public var dim: Bool
    public var underline: Bool

    public init(_ role: Role = .text, bold: Bool = false, reverse: Bool = false, dim: Bool = false, underline: Bool = false) {
        self.role = role
        self.bold = bold
        self.reverse = reverse
        self.dim = dim
        self.underline = underline
    }

    public static let plain = Style()
}

/// One character cell of the screen.
public struct Cell: Hashable, Sendable {
    public var character: Character
    public var style: Style

    public init(_ character: Character = " ", style: Style = .plain) {
        self.character = character
        self.style = style
    }

    public static let blank = Cell()
}

/// A rectangle of cells, in columns and rows from the top left.
public struct Rect: Hashable, Sendable {
    public var x: Int
    public var y: Int
    public var width: Int
    public var height: Int

    public init(x: Int, y: Int, width: Int, height: Int) {
        self.x = x
        self.y = y
        self.width = max(0, width)
        self.height = max(0, height)
    }

    /// The rectangle inside a one-cell border.
    public var inner: Rect { Rect(x: x + 1, y: y + 1, width: width - 2, height: height - 2) }

    public var isEmpty: Bool { width <= 0 || height <= 0 }
}
