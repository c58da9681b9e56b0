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
    /// The right half of a character two columns wide, which the cell to its left draws: the terminal
    /// skips it and the text layer shows nothing for it (its character is a space, so a row read cell
    /// by cell keeps one character per column).
    public private(set) var isContinuation = false

    public init(_ character: Character = " ", style: Style = .plain) {
        self.character = character
        self.style = style
    }

    /// The cell right of a wide character.
    public static func continuation(style: Style) -> Cell {
        var cell = Cell(" ", style: style)
        cell.isContinuation = true
        return cell
    }

    public static let blank = Cell()
}
