import RiffleStudio

/// Draws the studio: a pure function of the state into a screen buffer.
///
/// Layout at 80×24 and up (``StudioLayout``): genres and sliders on the left; prompt, jobs and waveform
/// on the right; the status bar at the bottom with the keys that matter in the focused pane.
public enum StudioView {
    /// The smallest terminal the studio lays itself out in.
    public static let minimumWidth = StudioState.minimumWidth
    public static let minimumHeight = StudioState.minimumHeight

    public static func render(_ state: StudioState) -> ScreenBuffer {
        var buffer = ScreenBuffer(width: state.width, height: state.height)
        render(state, into: &buffer)
        return buffer
    }

    /// Draws into `buffer`, which must be the state's size and blank.
    public static func render(_ state: StudioState, into buffer: inout ScreenBuffer) {
        guard !state.isTooSmall else {
            tooSmall(state, &buffer)
            return
        }
        BarsView.drawTitleBar(state, &buffer)
        let layout = StudioLayout(state)
        PanesView.drawPresets(state, layout.presets, &buffer)
        PanesView.drawParameters(state, layout.parameters, &buffer)
        PanesView.drawPrompt(state, layout.prompt, &buffer)
        JobsView.draw(state, layout.jobs, &buffer)
        WaveformView.draw(state, layout.waveform, &buffer)
        BarsView.drawStatus(state, &buffer)
        if let menu = state.menu { OverlayView.drawMenu(menu, state, &buffer) }
        if let picker = state.enginePicker { EnginePickerView.draw(picker, state, &buffer) }
        if state.showHelp { OverlayView.drawHelp(state, &buffer) }
    }

    /// Where the terminal's own cursor goes: in the prompt while it has the focus, else hidden.
    public static func cursor(_ state: StudioState) -> (x: Int, y: Int)? { PanesView.cursor(state) }

    static func frame(_ pane: Pane, _ title: String, _ rect: Rect, _ state: StudioState, _ buffer: inout ScreenBuffer) {
        buffer.box(rect, title: title, style: Style(state.focus == pane ? .focusedBorder : .border, bold: state.focus == pane))
    }

    private static func tooSmall(_ state: StudioState, _ buffer: inout ScreenBuffer) {
        let lines = ["Riffle needs at least \(minimumWidth)×\(minimumHeight).", "This terminal is \(state.width)×\(state.height).", "Enlarge it, or q to quit."]
        for (index, line) in lines.enumerated() {
            let y = state.height / 2 - 1 + index
            buffer.put(line, x: max(0, (state.width - line.count) / 2), y: y, style: Style(index == 0 ? .warning : .text))
        }
        // A question (quit while jobs run?) or a message shows here too: the status bar is not drawn.
        if let message = state.message {
            buffer.put(message.text, x: max(0, (state.width - message.text.count) / 2), y: state.height / 2 + 3,
                       style: Style(message.isError ? .error : .warning, bold: true), maxWidth: state.width)
        }
    }
}
