extension String {
    /// This text with every character that could steer a terminal written out as a visible escape.
    ///
    /// Text from requests, options, ids, file names and stored prompts reaches the screen in messages
    /// and listings; printed raw, an OSC sequence in a genre retitles the terminal, a carriage return
    /// overwrites what came before, and a bidirectional override reorders the rest of the line. C0
    /// controls (U+0000–U+001F), DEL, C1 controls (U+0080–U+009F, which include the one-byte CSI) and
    /// the bidirectional embeddings, overrides and isolates become `\n`, `\t`, `\r` or `\u{1B}`-style
    /// escapes; everything else, backslashes included, is left as it is, so text without such
    /// characters comes back unchanged.
    ///
    /// - Parameter keepingLineBreaks: leave `\n` as a line break, for messages that span lines by
    ///   design (the values inside them should be escaped on their own first).
    public func escapingControlCharacters(keepingLineBreaks: Bool = false) -> String {
        guard unicodeScalars.contains(where: { $0.needsEscaping && !(keepingLineBreaks && $0 == "\n") }) else { return self }
        var escaped = String.UnicodeScalarView()
        for scalar in unicodeScalars {
            guard scalar.needsEscaping, !(keepingLineBreaks && scalar == "\n") else {
                escaped.append(scalar)
                continue
            }
            let text = switch scalar {
            case "\n": "\\n"
            case "\t": "\\t"
            case "\r": "\\r"
            default: "\\u{" + String(scalar.value, radix: 16, uppercase: true) + "}"
            }
            escaped.append(contentsOf: text.unicodeScalars)
        }
        return String(escaped)
    }
}

extension Unicode.Scalar {
    /// A control character, or a bidirectional formatting character that reorders what follows it.
    fileprivate var needsEscaping: Bool {
        switch value {
        case 0x00...0x1F, 0x7F...0x9F: true
        case 0x202A...0x202E, 0x2066...0x2069: true
        default: false
        }
    }
}
