import CNcursesw
import RiffleStudio

/// What ncurses reports as keys, in the studio's terms.
enum KeyDecoder {
    /// A function key code (KEY_UP, KEY_F(1), …); `nil` for keys the studio does not use.
    static func function(_ code: Int32) -> Key? {
        switch code {
        case KEY_UP: .up
        case KEY_DOWN: .down
        case KEY_LEFT: .left
        case KEY_RIGHT: .right
        case KEY_SLEFT: .shiftLeft
        case KEY_SRIGHT: .shiftRight
        case KEY_HOME: .home
        case KEY_END: .end
        case KEY_PPAGE: .pageUp
        case KEY_NPAGE: .pageDown
        case KEY_BTAB: .backTab
        case KEY_DC: .delete
        case KEY_BACKSPACE: .backspace
        case KEY_ENTER: .enter
        case riffle_key_f(1)...riffle_key_f(12): .function(Int(code - riffle_key_f(0)))
        default: nil
        }
    }

    /// A character code: control characters become the keys they stand for.
    static func character(_ code: UInt32) -> Key? {
        switch code {
        case 3: return .ctrlC
        case 9: return .tab
        case 10, 13: return .enter
        case 8, 127: return .backspace
        case 12: return .redraw
        case 1...26: return .control(Character(Unicode.Scalar(code + 96)!))
        case 0..<32: return nil
        default: return Unicode.Scalar(code).map { .character(Character($0)) }
        }
    }
}
