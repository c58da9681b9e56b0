/// A mouse event as the studio understands it, whatever the terminal sent; in cells from the
/// top left of the screen, from 0.
public struct MouseEvent: Hashable, Sendable {
    public enum Kind: Hashable, Sendable {
        case press, drag, release, scrollUp, scrollDown
    }

    public var kind: Kind
    public var x: Int
    public var y: Int
    /// 0 the left button, 1 the middle, 2 the right.
    public var button: Int
    public var shift: Bool

    public init(_ kind: Kind, x: Int, y: Int, button: Int = 0, shift: Bool = false) {
        self.kind = kind
        self.x = x
        self.y = y
        self.button = button
        self.shift = shift
    }
}
