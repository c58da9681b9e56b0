/// How many terminal columns text takes, with wcwidth's rules as terminals apply them (and as
/// ratatui's buffer does through unicode-width): East Asian wide and fullwidth characters and emoji
/// take two columns, combining marks and other zero-width characters none, everything else one.
///
/// Pure and the same on every machine, unlike the C library's wcwidth, which depends on the locale.
extension Unicode.Scalar {
    public var displayWidth: Int {
        let value = self.value
        // Most text the studio draws: printable ASCII and Latin-1, box drawing, braille, blocks.
        if value < 0x300 { return value < 0x20 || (0x7F..<0xA0).contains(value) ? 0 : 1 }
        // Box drawing, blocks and braille: the waveform and every frame.
        if (0x2500...0x259F).contains(value) || (0x2800...0x28FF).contains(value) { return 1 }
        switch properties.generalCategory {
        case .nonspacingMark, .enclosingMark, .format, .control: return 0
        default: break
        }
        if (0x1160...0x11FF).contains(value) || value == 0x200B { return 0 }  // Hangul vowels that join, zero-width space
        if properties.isEmojiPresentation { return 2 }
        return Self.wide.contains { $0.contains(value) } ? 2 : 1
    }

    /// East Asian Wide and Fullwidth ranges (Unicode's EastAsianWidth.txt, W and F) that are not
    /// emoji: CJK, kana, Hangul syllables, fullwidth forms.
    private static let wide: [ClosedRange<UInt32>] = [
        0x1100...0x115F, 0x2329...0x232A, 0x2E80...0x303E, 0x3041...0x33FF, 0x3400...0x4DBF, 0x4E00...0x9FFF,
        0xA000...0xA4CF, 0xA960...0xA97F, 0xAC00...0xD7A3, 0xF900...0xFAFF, 0xFE10...0xFE19, 0xFE30...0xFE6F,
        0xFF00...0xFF60, 0xFFE0...0xFFE6, 0x16FE0...0x16FE4, 0x17000...0x18CFF, 0x1B000...0x1B2FF, 0x1F200...0x1F202,
        0x1F210...0x1F23B, 0x1F240...0x1F248, 0x1F250...0x1F251, 0x20000...0x2FFFD, 0x30000...0x3FFFD,
    ]
}

extension Character {
    /// Columns this character takes: 0, 1 or 2. A character is a whole grapheme, so an accent that
    /// combines with its letter adds nothing, and an emoji sequence (a flag, a skin tone, a family
    /// joined with ZWJ, a symbol with the emoji variation selector) takes two.
    public var displayWidth: Int {
        let scalars = unicodeScalars
        guard let first = scalars.first else { return 0 }
        if scalars.count > 1, first.properties.isEmoji, scalars.contains("\u{FE0F}") || scalars.contains("\u{200D}") { return 2 }
        return first.displayWidth
    }
}

extension StringProtocol {
    /// Columns the text takes on one line.
    public var displayWidth: Int { reduce(0) { $0 + $1.displayWidth } }
}
