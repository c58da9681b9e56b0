import RiffleStudio

/// Puts the terminal's input back together, one token at a time: keys pass through, and a bracketed
/// paste (everything between ESC [200~ and ESC [201~) comes out as one ``Terminal/Input/paste(_:)``,
/// however many reads it arrives over. Pure, so the rules are tested without a terminal.
struct InputAssembler {
    /// What the backend read: a character, a key it decoded, or a marker of our own.
    enum Token: Equatable {
        case character(Unicode.Scalar)
        case key(Key)
        case pasteStart
        case pasteEnd
        case resize
    }

    /// The paste being read, while one is.
    private var paste: String.UnicodeScalarView?

    /// Whether a paste has started and not ended: its text is held until it does.
    var isPasting: Bool { paste != nil }

    /// The input `token` completes, if any.
    mutating func feed(_ token: Token) -> Terminal.Input? {
        if paste != nil {
            switch token {
            case .character(let scalar):
                paste!.append(scalar)
            case .key(.enter):
                paste!.append("\r")
            case .pasteEnd:
                defer { paste = nil }
                return .paste(String(paste!))
            case .resize:
                return .resize
            case .key, .pasteStart:
                // A pasted escape sequence that looked like a key: not text, dropped.
                break
            }
            return nil
        }
        switch token {
        case .character(let scalar): return KeyDecoder.character(scalar.value).map(Terminal.Input.key)
        case .key(let key): return .key(key)
        case .pasteStart:
            paste = String.UnicodeScalarView()
            return nil
        case .pasteEnd: return nil
        case .resize: return .resize
        }
    }
}
