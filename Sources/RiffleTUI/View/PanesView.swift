import RiffleStudio

/// The genre list, the sliders and the prompt editor.
enum PanesView {
    static func drawPresets(_ state: StudioState, _ rect: Rect, _ buffer: inout ScreenBuffer) {
        StudioView.frame(.presets, "Genres", rect, state, &buffer)
        let inner = rect.inner
        let count = state.presets.count
        let first = max(0, min(state.selectedPreset - inner.height / 2, count - inner.height))
        for (row, index) in (first..<min(count, first + inner.height)).enumerated() {
            let preset = state.presets[index]
            let selected = index == state.selectedPreset
            let active = preset.name == state.parameters.genre
            let line = (selected ? "› " : "  ") + preset.title + (active ? " ●" : "")
            buffer.put(line, x: inner.x, y: inner.y + row,
                       style: Style(active ? .accent : selected ? .selection : .text, bold: active,
                                    reverse: selected && state.focus == .presets), maxWidth: inner.width)
        }
    }

    static func drawParameters(_ state: StudioState, _ rect: Rect, _ buffer: inout ScreenBuffer) {
        StudioView.frame(.parameters, "Parameters", rect, state, &buffer)
        let inner = rect.inner
        let sliders = Parameters.Slider.allCases
        for (row, slider) in sliders.enumerated() where row < inner.height - 1 {
            let selected = slider == state.selectedSlider
            let label = slider.rawValue.padding(toLength: 15, withPad: " ", startingAt: 0)
            let line = (selected ? "› " : "  ") + label + state.parameters.display(slider)
            buffer.put(line, x: inner.x, y: inner.y + row,
                       style: Style(selected ? .selection : .text, reverse: selected && state.focus == .parameters), maxWidth: inner.width)
        }
        // What the slider allows, on the rows left between the sliders and the seed (two at 80x24),
        // wrapped rather than cut.
        let rangeRows = inner.height - sliders.count - 1
        if state.focus == .parameters, rangeRows > 0 {
            let lines = TextWrap.lines(state.parameters.range(state.selectedSlider), width: inner.width - 2)
            for (index, line) in lines.prefix(rangeRows).enumerated() {
                let last = index == rangeRows - 1 && lines.count > rangeRows
                buffer.put("  " + line + (last ? " …" : ""), x: inner.x, y: inner.y + sliders.count + index, style: Style(.muted),
                           maxWidth: inner.width)
            }
        }
        let seed = "  seed \(state.seed)\(state.seedLocked ? " (locked)" : " (l locks)")"
        buffer.put(seed, x: inner.x, y: inner.y + inner.height - 1, style: Style(state.seedLocked ? .accent : .muted), maxWidth: inner.width)
    }

    static func drawPrompt(_ state: StudioState, _ rect: Rect, _ buffer: inout ScreenBuffer) {
        StudioView.frame(.prompt, "Prompt", rect, state, &buffer)
        let inner = rect.inner
        let textRows = inner.height - 1
        let characters = Array(state.prompt)
        let before = characters.prefix(state.cursor)
        let cursorRow = before.filter { $0 == "\n" }.count
        let cursorColumn = before.count - (before.lastIndex(of: "\n").map { $0 + 1 } ?? 0)
        // Long lines scroll sideways and long prompts up, so the cursor is always in view.
        let firstRow = max(0, cursorRow - textRows + 1)
        let firstColumn = max(0, cursorColumn - inner.width + 1)
        let lines = state.prompt.split(separator: "\n", omittingEmptySubsequences: false)
        for (row, line) in lines.dropFirst(firstRow).prefix(textRows).enumerated() {
            buffer.put(String(line.dropFirst(firstColumn)), x: inner.x, y: inner.y + row, maxWidth: inner.width)
        }
        if state.prompt.isEmpty {
            buffer.put("Describe the music: \"dreamy lo-fi with rhodes, 80 bpm\"", x: inner.x, y: inner.y, style: Style(.muted), maxWidth: inner.width)
        }
        if state.focus == .prompt {
            // The cursor as a reversed cell: the backend also places the terminal's own cursor there.
            let x = inner.x + cursorColumn - firstColumn, y = inner.y + cursorRow - firstRow
            var cell = buffer[x, y]
            cell.style.reverse = true
            buffer[x, y] = cell
        }
        buffer.put(state.understood.isEmpty ? "" : "understood: \(state.understood)", x: inner.x, y: inner.y + inner.height - 1,
                   style: Style(.accent), maxWidth: inner.width)
        drawCount(state.prompt.count, rect, &buffer)
    }

    /// The prompt's length against its limit, in the frame's bottom edge: a paste or a long prompt shows
    /// how much room is left, and a full prompt says so in the warning style.
    private static func drawCount(_ count: Int, _ rect: Rect, _ buffer: inout ScreenBuffer) {
        guard count > 0 else { return }
        let label = " \(count)/\(StudioReducer.promptLimit) "
        let full = count >= StudioReducer.promptLimit
        buffer.put(label, x: rect.x + rect.width - 2 - label.count, y: rect.y + rect.height - 1,
                   style: full ? Style(.warning, bold: true) : Style(.muted))
    }

    /// Where the terminal's cursor belongs: in the prompt while it has the focus.
    static func cursor(_ state: StudioState) -> (x: Int, y: Int)? {
        guard state.focus == .prompt, state.width >= StudioView.minimumWidth, state.height >= StudioView.minimumHeight,
              !state.showHelp, state.menu == nil else { return nil }
        let inner = StudioView.Layout(width: state.width, height: state.height).prompt.inner
        let before = Array(state.prompt).prefix(state.cursor)
        let row = before.filter { $0 == "\n" }.count
        let column = before.count - (before.lastIndex(of: "\n").map { $0 + 1 } ?? 0)
        return (inner.x + min(column, inner.width - 1), inner.y + min(row, inner.height - 2))
    }
}
