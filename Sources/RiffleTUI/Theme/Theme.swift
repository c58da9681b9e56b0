import Foundation

/// The colours of the studio: one per style role, for 256-colour terminals, with a 16-colour
/// fallback; monochrome terminals and NO_COLOR use ``monochrome``, which draws with attributes only.
public struct Theme: Sendable, Hashable {
    /// The canonical name ("dark", "light", "high-contrast").
    public var name: String
    public var description: String
    /// Colours per role; a role the theme leaves out uses the terminal's own colours.
    public var roles: [Style.Role: RoleColors]

    public init(name: String, description: String, roles: [Style.Role: RoleColors]) {
        self.name = name
        self.description = description
        self.roles = roles
    }

    /// A terminal colour: the terminal's default, or an index (0-15 the basic colours, 16-255 the
    /// 256-colour cube and greys).
    public enum Color: Hashable, Sendable {
        case terminalDefault
        case indexed(Int)

        /// The basic colours by name, as the theme files write them.
        public static let names: [String: Int] = [
            "black": 0, "red": 1, "green": 2, "yellow": 3, "blue": 4, "magenta": 5, "cyan": 6, "white": 7,
            "bright-black": 8, "bright-red": 9, "bright-green": 10, "bright-yellow": 11, "bright-blue": 12,
            "bright-magenta": 13, "bright-cyan": 14, "bright-white": 15,
        ]

        /// The colour on a terminal with `count` colours: an index it cannot show becomes its
        /// `fallback`, else the terminal's default.
        func on(terminalColors count: Int, fallback: Color?) -> Color {
            guard case .indexed(let index) = self, index >= count else { return self }
            if let fallback, case .indexed(let basic) = fallback, basic < count { return fallback }
            return .terminalDefault
        }
    }

    /// What one role looks like.
    public struct RoleColors: Hashable, Sendable {
        public var foreground: Color
        public var background: Color
        /// Used instead of `foreground` where the terminal has only 16 colours.
        public var foreground16: Color?
        public var bold: Bool

        public init(foreground: Color, background: Color = .terminalDefault, foreground16: Color? = nil, bold: Bool = false) {
            self.foreground = foreground
            self.background = background
            self.foreground16 = foreground16
            self.bold = bold
        }
    }

    /// The colours `role` is drawn with on a terminal of `terminalColors` colours (0 for monochrome).
    public func colors(for role: Style.Role, terminalColors: Int) -> RoleColors {
        guard terminalColors > 0, let colors = roles[role] else { return RoleColors(foreground: .terminalDefault) }
        return RoleColors(foreground: colors.foreground.on(terminalColors: terminalColors, fallback: colors.foreground16),
                          background: colors.background.on(terminalColors: terminalColors, fallback: nil),
                          foreground16: nil, bold: colors.bold)
    }

    /// No colour at all: what NO_COLOR and monochrome terminals get. Focus and selection still show,
    /// through the styles' bold and reverse attributes.
    public static let monochrome = Theme(name: "monochrome", description: "No colour: attributes only.", roles: [:])
}
