import RiffleStudio

/// Puts the terminal's input back together, one token at a time: keys pass through, and a bracketed
/// paste (everything between ESC [200~ and ESC [201~) comes out as one ``Terminal/Input/paste(_:)``,
/// however many reads it arrives over, and a mouse report in xterm's SGR encoding (ESC [ < b ; x ; y
/// M or m) comes out as one ``Terminal/Input/mouse(_:)``. Pure, so the rules are tested without a terminal.
struct InputAssembler {
    /// What the backend read: a character, a key it decoded, or a marker of our own.
    enum Token: Equatable {
        case character(Unicode.Scalar)
        case key(Key)
        case pasteStart
        case pasteEnd
        /// ESC [ <: the start of a mouse report, whose parameters follow as characters.
        case mouseStart
        case resize
    }

    /// The paste being read, while one is.
    private var paste: String.UnicodeScalarView?

    /// A mouse report's parameters read so far, while one is being read.
    private var mouse: String?

    /// Whether a paste has started and not ended: its text is held until it does.
    var isPasting: Bool { paste != nil }

    /// Whether a mouse report has started and not ended.
    var isReadingMouse: Bool { mouse != nil }

    /// The input `token` completes, if any.
    mutating func feed(_ token: Token) -> Terminal.Input? {
        if mouse != nil, paste == nil {
            guard case .character(let scalar) = token else {
                // Not a mouse report after all: what it was is dropped, and this token read as usual.
                mouse = nil
                return feed(token)
            }
            if scalar == "M" || scalar == "m" {
                defer { mouse = nil }
                return Self.mouseEvent(mouse!, released: scalar == "m").map(Terminal.Input.mouse)
            }
            mouse!.unicodeScalars.append(scalar)
            // A report is a few digits and two semicolons: anything longer is not one.
            if mouse!.count > 16 { mouse = nil }
            return nil
        }
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
            case .key, .pasteStart, .mouseStart:
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
        case .mouseStart:
            mouse = ""
            return nil
        case .resize: return .resize
        }
    }

    /// The event an SGR report's parameters "b;x;y" describe (`released` when it ended in m). The
    /// button code's low bits are the button, 4 is Shift, 32 a motion with the button held, 64 the
    /// wheel (64 up, 65 down); x and y count from 1.
    static func mouseEvent(_ parameters: String, released: Bool) -> MouseEvent? {
        let numbers = parameters.split(separator: ";").compactMap { Int($0) }
        guard numbers.count == 3, numbers[1] >= 1, numbers[2] >= 1 else { return nil }
        let code = numbers[0], x = numbers[1] - 1, y = numbers[2] - 1
        let shift = code & 4 != 0
        if code & 64 != 0 {
            guard !released else { return nil }
            switch code & 3 {
            case 0: return MouseEvent(.scrollUp, x: x, y: y, shift: shift)
            case 1: return MouseEvent(.scrollDown, x: x, y: y, shift: shift)
            default: return nil  // sideways scrolling
            }
        }
        let button = code & 3
        let kind: MouseEvent.Kind = released ? .release : code & 32 != 0 ? .drag : .press
        // A motion with no button held (mode 1003) is not asked for; ignore it if it comes.
        if kind == .drag, button == 3 { return nil }
        return MouseEvent(kind, x: x, y: y, button: button, shift: shift)
    }
}
