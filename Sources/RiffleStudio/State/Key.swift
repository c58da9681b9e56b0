/// A key press as the studio understands it, whatever the terminal sent.
public enum Key: Hashable, Sendable {
    case character(Character)
    case enter, altEnter, backspace, delete, escape, tab, backTab
    case left, right, up, down, shiftLeft, shiftRight, home, end, pageUp, pageDown
    case function(Int)
    case ctrlC
    /// Ctrl with a letter (Ctrl-A is `control("a")`), for the editing keys readline users expect.
    case control(Character)
    /// Ctrl-L: draw the whole screen again.
    case redraw
}

/// The panes of the studio, in Tab order.
public enum Pane: String, Hashable, Sendable, CaseIterable {
    case prompt, presets, parameters, jobs, waveform
}
