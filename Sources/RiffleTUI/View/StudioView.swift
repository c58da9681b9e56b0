/// Draws the studio: a pure function of the state into a screen buffer.
///
/// Layout at 80×24 and up: presets and sliders on the left, prompt, jobs and waveform on the right,
/// the status bar at the bottom with the keys that matter in the focused pane.
public enum StudioView {
    /// The smallest terminal the studio lays itself out in.
    public static let minimumWidth = 80
    public static let minimumHeight = 24

    public static func render(_ state: StudioState) -> ScreenBuffer {
        var buffer = ScreenBuffer(width: state.width, height: state.height)
        guard state.width >= minimumWidth, state.height >= minimumHeight else {
            tooSmall(state, &buffer)
            return buffer
        }
        buffer.put(" Riffle ", x: 1, y: 0, style: Style(.accent, bold: true))
        let hint = "? help  q quit"
        buffer.put(hint, x: state.width - hint.count - 1, y: 0, style: Style(.muted))

        let leftWidth = 30
        let bodyTop = 1, bodyHeight = state.height - 2
        let presetsHeight = max(6, bodyHeight - 13)
        let presets = Rect(x: 0, y: bodyTop, width: leftWidth, height: presetsHeight)
        let parameters = Rect(x: 0, y: bodyTop + presetsHeight, width: leftWidth, height: bodyHeight - presetsHeight)
        let right = state.width - leftWidth
        let prompt = Rect(x: leftWidth, y: bodyTop, width: right, height: 7)
        let waveformHeight = max(5, bodyHeight / 4)
        let jobs = Rect(x: leftWidth, y: bodyTop + 7, width: right, height: bodyHeight - 7 - waveformHeight)
        let waveform = Rect(x: leftWidth, y: bodyTop + bodyHeight - waveformHeight, width: right, height: waveformHeight)

        drawPresets(state, presets, &buffer)
        drawParameters(state, parameters, &buffer)
        drawPrompt(state, prompt, &buffer)
        frame(.jobs, "Jobs", jobs, state, &buffer)
        buffer.put("No jobs yet: write a prompt and press Enter.", x: jobs.x + 2, y: jobs.y + 1, style: Style(.muted), maxWidth: jobs.width - 4)
        frame(.waveform, "Waveform", waveform, state, &buffer)
        buffer.put("The selected take's waveform appears here.", x: waveform.x + 2, y: waveform.y + 1, style: Style(.muted),
                   maxWidth: waveform.width - 4)
        drawStatus(state, &buffer)
        if state.showHelp { drawHelp(state, &buffer) }
        return buffer
    }

    private static func frame(_ pane: Pane, _ title: String, _ rect: Rect, _ state: StudioState, _ buffer: inout ScreenBuffer) {
        buffer.box(rect, title: title, style: Style(state.focus == pane ? .focusedBorder : .border, bold: state.focus == pane))
    }

    private static func drawPresets(_ state: StudioState, _ rect: Rect, _ buffer: inout ScreenBuffer) {
        frame(.presets, "Genres", rect, state, &buffer)
        let inner = rect.inner
        let first = max(0, min(state.selectedPreset - inner.height / 2, state.presets.count - inner.height))
        for (row, index) in (first..<min(state.presets.count, first + inner.height)).enumerated() {
            let selected = index == state.selectedPreset
            buffer.put((selected ? "› " : "  ") + state.presets[index], x: inner.x, y: inner.y + row,
                       style: Style(selected ? .selection : .text, reverse: selected && state.focus == .presets), maxWidth: inner.width)
        }
    }

    private static func drawParameters(_ state: StudioState, _ rect: Rect, _ buffer: inout ScreenBuffer) {
        frame(.parameters, "Parameters", rect, state, &buffer)
        let inner = rect.inner
        for (row, slider) in Parameters.Slider.allCases.enumerated() where row < inner.height - 1 {
            let selected = slider == state.selectedSlider
            let value = state.parameters.display(slider)
            let label = slider.rawValue.padding(toLength: 15, withPad: " ", startingAt: 0)
            buffer.put((selected ? "› " : "  ") + label + value, x: inner.x, y: inner.y + row,
                       style: Style(selected ? .selection : .text, reverse: selected && state.focus == .parameters), maxWidth: inner.width)
        }
        let seed = "  seed \(state.seed)\(state.seedLocked ? " (locked)" : "")"
        buffer.put(seed, x: inner.x, y: inner.y + inner.height - 1, style: Style(.muted), maxWidth: inner.width)
    }

    private static func drawPrompt(_ state: StudioState, _ rect: Rect, _ buffer: inout ScreenBuffer) {
        frame(.prompt, "Prompt", rect, state, &buffer)
        let inner = rect.inner
        let lines = state.prompt.split(separator: "\n", omittingEmptySubsequences: false)
        for (row, line) in lines.prefix(inner.height - 1).enumerated() {
            buffer.put(String(line), x: inner.x, y: inner.y + row, maxWidth: inner.width)
        }
        if state.prompt.isEmpty {
            buffer.put("Describe the music: \"dreamy lo-fi with rhodes, 80 bpm\"", x: inner.x, y: inner.y, style: Style(.muted), maxWidth: inner.width)
        }
        if state.focus == .prompt {
            // The cursor as a reversed cell: the backend also places the terminal's own cursor there.
            let before = Array(state.prompt.prefix(state.cursor))
            let row = before.filter { $0 == "\n" }.count
            let column = before.count - (before.lastIndex(of: "\n").map { $0 + 1 } ?? 0)
            if row < inner.height - 1, column < inner.width {
                var cell = buffer[inner.x + column, inner.y + row]
                cell.style.reverse = true
                buffer[inner.x + column, inner.y + row] = cell
            }
        }
        buffer.put(state.understood.isEmpty ? "" : "understood: \(state.understood)", x: inner.x, y: inner.y + inner.height - 1,
                   style: Style(.accent), maxWidth: inner.width)
    }

    /// The keys that matter in the focused pane, or the message when there is one.
    static func keys(for pane: Pane) -> String {
        switch pane {
        case .prompt: "Enter generate · Alt-Enter new line · ↑↓ history · Tab next pane · F1 help"
        case .presets: "↑↓ choose · Enter use · Tab next pane · ? help"
        case .parameters: "↑↓ choose · ←→ fine · Shift ←→ coarse · l lock seed · ? help"
        case .jobs: "↑↓ choose · Space play · 1-5 rate · p pick · m menu · c cancel · ? help"
        case .waveform: "←→ seek · Shift ←→ select · l loop · [ ] other take · s solo · M mute · ? help"
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

    /// Every binding, in a box over the middle of the screen.
    static let helpLines = [
        "Tab / Shift-Tab   move between panes",
        "Enter             generate (in the prompt)",
        "Alt-Enter         new line in the prompt",
        "↑ ↓               prompt history; choose in lists",
        "← →  Shift ← →    change a slider, fine / coarse",
        "l                 lock the seed (parameters)",
        "Space             play or pause the selected take",
        "[ ]               previous / next take, same position",
        "1-5  p            rate, pick",
        "m                 actions: repaint, extend, restyle…",
        "s  M              solo, mute the stem under the cursor",
        "c                 cancel the selected job",
        "q  Ctrl-C         quit (asks while jobs run)",
        "? F1              this help; any key closes it",
    ]

    private static func drawHelp(_ state: StudioState, _ buffer: inout ScreenBuffer) {
        let width = min(state.width - 4, 60), height = min(state.height - 2, helpLines.count + 2)
        let rect = Rect(x: (state.width - width) / 2, y: (state.height - height) / 2, width: width, height: height)
        buffer.fill(rect)
        buffer.box(rect, title: "Keys", style: Style(.accent, bold: true))
        for (row, line) in helpLines.prefix(height - 2).enumerated() {
            buffer.put(line, x: rect.x + 2, y: rect.y + 1 + row, maxWidth: width - 4)
        }
    }

    private static func tooSmall(_ state: StudioState, _ buffer: inout ScreenBuffer) {
        let lines = ["Riffle needs at least \(minimumWidth)×\(minimumHeight).", "This terminal is \(state.width)×\(state.height).", "Enlarge it, or q to quit."]
        for (index, line) in lines.enumerated() {
            let y = state.height / 2 - 1 + index
            buffer.put(line, x: max(0, (state.width - line.count) / 2), y: y, style: Style(index == 0 ? .warning : .text))
        }
    }
}
