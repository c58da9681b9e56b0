import CNcursesw
import Foundation
import RiffleStudio

/// The ncurses backend: sets the terminal up, draws the cells that changed since the last frame,
/// reads keys, and always gives the terminal back as it found it.
///
/// Every call must come from the main thread: ncurses is not thread-safe.
public final class Terminal {
    private var previous: ScreenBuffer?
    private var attributes: [Style: (attr: attr_t, pair: Int16)] = [:]
    private let theme: Theme
    private var assembler = InputAssembler()
    /// Colours the terminal shows: 0 (monochrome or NO_COLOR), 8, 16, 256 or more.
    public let colorCount: Int
    private var ended = false

    /// Takes over the terminal: wide characters, raw keys (Ctrl-C arrives as a key), no echo, the
    /// theme's colours. `choose` picks the theme once the terminal's colour count is known.
    public init(theme choose: (_ colorCount: Int) -> Theme) {
        setlocale(LC_ALL, "")
        // Escape alone is a key of its own; 25 ms tells it apart from the start of a sequence.
        setenv("ESCDELAY", "25", 0)
        initscr()
        riffle_restore_terminal_on_fatal_signals()
        raw()
        noecho()
        nonl()
        keypad(riffle_stdscr(), true)
        nodelay(riffle_stdscr(), true)
        // Sequences some terminfo entries lack (tmux's among them): Shift-arrows and Shift-Tab.
        define_key("\u{1b}[1;2D", KEY_SLEFT)
        define_key("\u{1b}[1;2C", KEY_SRIGHT)
        define_key("\u{1b}[Z", KEY_BTAB)
        // A paste arrives whole, as one input, between these two (see riffle_bracketed_paste).
        define_key("\u{1b}[200~", riffle_key_paste_start())
        define_key("\u{1b}[201~", riffle_key_paste_end())
        riffle_bracketed_paste(1)
        // A mouse report's start; terminfo may bind it to KEY_MOUSE (xterm's kmous), which is read the
        // same way (see riffle_mouse_reporting).
        define_key("\u{1b}[<", 0)
        define_key("\u{1b}[<", riffle_key_mouse_start())
        riffle_mouse_reporting(1)
        var colors = 0
        if has_colors() {
            start_color()
            use_default_colors()
            colors = Int(riffle_colors())
        }
        colorCount = colors
        theme = choose(colors)
        curs_set(0)
    }

    deinit { end() }

    /// Why this terminal cannot run the studio (an unknown TERM), or `nil` when it can. Without this
    /// check ncurses would print its own message and end the process.
    public static func problem() -> String? {
        var error: Int32 = 0
        if setupterm(nil, STDOUT_FILENO, &error) == OK { return nil }
        let name = ProcessInfo.processInfo.environment["TERM"] ?? ""
        return name.isEmpty ? "TERM is not set, so the terminal's type is unknown (try TERM=xterm-256color)"
            : "the terminal type \"\(name)\" (TERM) is not in the terminfo database (try TERM=xterm-256color, or install ncurses-term)"
    }

    /// Gives the terminal back: cursor, echo, cooked mode, the normal screen.
    public func end() {
        guard !ended else { return }
        ended = true
        curs_set(1)
        endwin()
        riffle_bracketed_paste(0)
        riffle_mouse_reporting(0)
    }

    /// The terminal's size in cells.
    public var size: (width: Int, height: Int) {
        var rows: Int32 = 0, columns: Int32 = 0
        riffle_getmaxyx(riffle_stdscr(), &rows, &columns)
        return (Int(columns), Int(rows))
    }

    /// Draws what differs from the last frame, puts the terminal's cursor at `cursor` (hidden when
    /// `nil`) and shows it.
    public func draw(_ buffer: ScreenBuffer, cursor: (x: Int, y: Int)?) {
        let changes = buffer.changes(since: previous)
        var text: [wchar_t] = []
        text.reserveCapacity(buffer.width + 1)
        for change in changes {
            wmove(riffle_stdscr(), Int32(change.y), Int32(change.x))
            var index = 0
            while index < change.cells.count {
                // One call per run of cells in the same style.
                let style = change.cells[index].style
                text.removeAll(keepingCapacity: true)
                while index < change.cells.count, change.cells[index].style == style {
                    // A wide character's right half is drawn by the character itself; a combining
                    // accent goes with the letter it belongs to, in the same cell.
                    let cell = change.cells[index]
                    if !cell.isContinuation {
                        for scalar in cell.character.unicodeScalars { text.append(wchar_t(bitPattern: scalar.value)) }
                    }
                    index += 1
                }
                let (attr, pair) = look(style)
                wattr_set(riffle_stdscr(), attr, pair, nil)
                _ = text.withUnsafeBufferPointer { waddnwstr(riffle_stdscr(), $0.baseAddress, Int32($0.count)) }
            }
        }
        wattr_set(riffle_stdscr(), 0, 0, nil)
        if let cursor {
            wmove(riffle_stdscr(), Int32(cursor.y), Int32(cursor.x))
            curs_set(1)
        } else {
            curs_set(0)
        }
        wnoutrefresh(riffle_stdscr())
        doupdate()
        previous = buffer
    }

    /// Forgets what is on screen, so the next frame is drawn whole (after a resize, or ^L).
    public func invalidate() {
        previous = nil
        clearok(riffle_stdscr(), true)
    }

    /// What the terminal reports.
    public enum Input: Equatable {
        case key(Key)
        /// The window changed size; ``size`` has the new one.
        case resize
        /// Text pasted (bracketed by the terminal), whole, as it came: newlines as carriage returns.
        case paste(String)
        /// A click, a drag or the wheel.
        case mouse(MouseEvent)
    }

    /// The input waiting, decoded; empty when there is none. Keys the studio does not use are dropped;
    /// a paste not yet ended is kept for the next read.
    public func read() -> [Input] {
        var inputs: [Input] = []
        while let token = nextToken() {
            if let token, let input = assembler.feed(token) { inputs.append(input) }
        }
        return inputs
    }

    /// The next token; `nil` when there is none, `.some(nil)` for a key the studio does not use.
    private func nextToken() -> InputAssembler.Token?? {
        var value: wint_t = 0
        let kind = wget_wch(riffle_stdscr(), &value)
        if kind == ERR { return nil }
        if kind == KEY_CODE_YES {
            switch Int32(value) {
            case KEY_RESIZE: return .some(.resize)
            case riffle_key_paste_start(): return .some(.pasteStart)
            case riffle_key_paste_end(): return .some(.pasteEnd)
            case riffle_key_mouse_start(), riffle_key_mouse(): return .some(.mouseStart)
            case let code: return .some(KeyDecoder.function(code).map(InputAssembler.Token.key))
            }
        }
        if value == 27, !assembler.isPasting, !assembler.isReadingMouse {
            // Escape, or Alt with the next key: Alt-Enter arrives as Escape then Return.
            var next: wint_t = 0
            let following = wget_wch(riffle_stdscr(), &next)
            if following == OK, next == 13 || next == 10 { return .some(.key(.altEnter)) }
            // Anything else is given back for the next read: a function key as a key code.
            if following == KEY_CODE_YES { ungetch(Int32(next)) } else if following == OK { unget_wch(wchar_t(bitPattern: UInt32(next))) }
            return .some(.key(.escape))
        }
        return .some(Unicode.Scalar(UInt32(value)).map(InputAssembler.Token.character))
    }

    /// The ncurses attribute and colour pair for a style, made once per style.
    private func look(_ style: Style) -> (attr_t, Int16) {
        if let known = attributes[style] { return known }
        let colors = theme.colors(for: style.role, terminalColors: colorCount)
        var attr: attr_t = 0
        if style.bold || colors.bold { attr |= riffle_a_bold() }
        if style.reverse { attr |= riffle_a_reverse() }
        if style.dim { attr |= riffle_a_dim() }
        if style.underline { attr |= riffle_a_underline() }
        var pair: Int16 = 0
        if colorCount > 0, colors.foreground != .terminalDefault || colors.background != .terminalDefault {
            pair = Int16(Style.Role.allCases.firstIndex(of: style.role)! + 1)
            init_pair(pair, Self.index(colors.foreground), Self.index(colors.background))
        }
        attributes[style] = (attr, pair)
        return (attr, pair)
    }

    private static func index(_ color: Theme.Color) -> Int16 {
        switch color {
        case .terminalDefault: -1
        case .indexed(let index): Int16(index)
        }
    }
}
