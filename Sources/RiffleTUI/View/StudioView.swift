import RiffleStudio

/// Draws the studio: a pure function of the state into a screen buffer.
///
/// Layout at 80×24 and up: genres and sliders on the left; prompt, jobs and waveform on the right;
/// the status bar at the bottom with the keys that matter in the focused pane.
public enum StudioView {
    /// The smallest terminal the studio lays itself out in.
    public static let minimumWidth = StudioState.minimumWidth
    public static let minimumHeight = StudioState.minimumHeight

    /// Where each pane goes at a size.
    struct Layout {
        var presets, parameters, prompt, jobs, waveform: Rect

        init(width: Int, height: Int) {
            let leftWidth = width >= 160 ? 36 : 30
            let bodyTop = 1, bodyHeight = height - 2
            let parametersHeight = 13
            presets = Rect(x: 0, y: bodyTop, width: leftWidth, height: bodyHeight - parametersHeight)
            parameters = Rect(x: 0, y: bodyTop + bodyHeight - parametersHeight, width: leftWidth, height: parametersHeight)
            let right = width - leftWidth
            let promptHeight = height >= 40 ? 8 : 7
            prompt = Rect(x: leftWidth, y: bodyTop, width: right, height: promptHeight)
            let waveformHeight = max(8, bodyHeight * 2 / 5)
            jobs = Rect(x: leftWidth, y: bodyTop + promptHeight, width: right, height: bodyHeight - promptHeight - waveformHeight)
            waveform = Rect(x: leftWidth, y: bodyTop + bodyHeight - waveformHeight, width: right, height: waveformHeight)
        }
    }

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
        drawTitleBar(state, &buffer)
        let layout = Layout(width: state.width, height: state.height)
        PanesView.drawPresets(state, layout.presets, &buffer)
        PanesView.drawParameters(state, layout.parameters, &buffer)
        PanesView.drawPrompt(state, layout.prompt, &buffer)
        JobsView.draw(state, layout.jobs, &buffer)
        WaveformView.draw(state, layout.waveform, &buffer)
        drawStatus(state, &buffer)
        if let menu = state.menu { OverlayView.drawMenu(menu, state, &buffer) }
        if state.showHelp { OverlayView.drawHelp(state, &buffer) }
    }

    /// Where the terminal's own cursor goes: in the prompt while it has the focus, else hidden.
    public static func cursor(_ state: StudioState) -> (x: Int, y: Int)? { PanesView.cursor(state) }

    static func frame(_ pane: Pane, _ title: String, _ rect: Rect, _ state: StudioState, _ buffer: inout ScreenBuffer) {
        buffer.box(rect, title: title, style: Style(state.focus == pane ? .focusedBorder : .border, bold: state.focus == pane))
    }

    private static func drawTitleBar(_ state: StudioState, _ buffer: inout ScreenBuffer) {
        buffer.put(" Riffle ", x: 1, y: 0, style: Style(.accent, bold: true))
        let hint = "? help  q quit"
        buffer.put(hint, x: state.width - hint.count - 1, y: 0, style: Style(.muted))
        var status: [String] = []
        let running = state.runningJobs
        if running > 0 { status.append("\(running) job\(running == 1 ? "" : "s") running") }
        if let id = state.playback.takeID {
            let duration = state.jobs.lazy.flatMap(\.takes).first { $0.id == id }?.duration ?? 0
            status.append("\(state.playback.isPlaying ? "▶" : "‖") \(id)  \(StudioReducer.clock(state.playback.position)) / \(StudioReducer.clock(duration))")
        }
        if state.audioProblem != nil { status.append("no sound") }
        let text = status.joined(separator: "   ")
        let right = state.width - hint.count - 4
        buffer.put(text, x: max(10, right - text.count), y: 0, style: Style(.accent), maxWidth: right - 10)
    }

    /// The keys that matter in the focused pane.
    static func keys(for pane: Pane) -> String {
        switch pane {
        case .prompt: "Enter generate · Alt-Enter new line · ↑↓ history · Tab next pane · F1 help"
        case .presets: "↑↓ choose · Enter use genre · Space play · Tab next pane · ? help"
        case .parameters: "↑↓ choose · ←→ fine · Shift ←→ coarse · l lock seed · ? help"
        case .jobs: "↑↓ choose · Space play · [ ] A/B · 1-5 rate · p pick · m menu · c cancel · ? help"
        case .waveform: "←→ seek · Shift ←→ region · l loop · ↑↓ stem · s solo · M mute · [ ] A/B"
        }
    }

    private static func drawStatus(_ state: StudioState, _ buffer: inout ScreenBuffer) {
        let row = state.height - 1
        if let message = state.message {
            buffer.put(" " + message.text, x: 0, y: row, style: Style(message.isError ? .error : .warning, bold: true))
        } else {
            buffer.put(" " + keys(for: state.focus), x: 0, y: row, style: Style(.muted))
        }
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
