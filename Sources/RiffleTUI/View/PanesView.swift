import RiffleStudio

/// The genre list, the sliders and the prompt editor.
enum PanesView {
    static func drawPresets(_ state: StudioState, _ rect: Rect, _ buffer: inout ScreenBuffer) {
        StudioView.frame(.presets, "Genres", rect, state, &buffer)
        let inner = rect.inner
        let count = state.presets.count
        let first = StudioLayout(state).firstPreset(state)
        scrollMarks(rect, above: first > 0, below: first + inner.height < count, rows: inner.height, &buffer)
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
        // Elsewhere those rows carry what the chosen engine makes of the sliders ("tempo, key and metre
        // are hints, not exact"), so it stays in sight after the status bar's message has gone.
        let traits = state.engines.engines[state.engine.engine]
        let note = traits.flatMap { traits in traits.note.map { "\(traits.title): \($0)" } }
        let below = state.focus == .parameters ? (state.parameters.range(state.selectedSlider), Style(.muted))
            : note.map { ($0, Style(.warning)) }
        if let (text, style) = below, rangeRows > 0 {
            let lines = TextWrap.lines(text, width: inner.width - 2)
            for (index, line) in lines.prefix(rangeRows).enumerated() {
                let last = index == rangeRows - 1 && lines.count > rangeRows
                buffer.put("  " + line + (last ? " …" : ""), x: inner.x, y: inner.y + sliders.count + index, style: style,
                           maxWidth: inner.width)
            }
        }
        if let entry = state.seedEntry {
            // Typing a seed: the digits so far, with the cursor after them.
            let x = buffer.put("  seed " + entry, x: inner.x, y: inner.y + inner.height - 1, style: Style(.accent, bold: true), maxWidth: inner.width)
            buffer.put("▏Enter sets", x: x, y: inner.y + inner.height - 1, style: Style(.muted), maxWidth: inner.x + inner.width - x)
        } else {
            let seed = "  seed \(state.seed)\(state.seedLocked ? " (locked)" : " (l locks)")"
            buffer.put(seed, x: inner.x, y: inner.y + inner.height - 1, style: Style(state.seedLocked ? .accent : .muted), maxWidth: inner.width)
        }
    }

    static func drawPrompt(_ state: StudioState, _ rect: Rect, _ buffer: inout ScreenBuffer) {
        StudioView.frame(.prompt, "Prompt", rect, state, &buffer)
        // The engine new jobs go to, where the prompt is written; a click on it opens the picker.
        let tag = StudioLayout(state).engineTag(state)
        buffer.put(tag.text, x: tag.rect.x, y: tag.rect.y, style: Style(.accent))
        let inner = rect.inner
        let textRows = inner.height - 1
        let characters = Array(state.prompt)
        // Lines wrap at the pane's width; a prompt longer than the pane scrolls to keep the cursor in view.
        let layout = PromptLayout(characters, cursor: state.cursor, width: inner.width)
        let firstRow = StudioLayout(state).firstPromptRow(layout)
        for (line, range) in layout.rows.dropFirst(firstRow).prefix(textRows).enumerated() {
            buffer.put(String(characters[range]), x: inner.x, y: inner.y + line, maxWidth: inner.width, ellipsis: false)
        }
        scrollMarks(rect, above: firstRow > 0, below: firstRow + textRows < layout.rows.count, rows: textRows, &buffer)
        if state.prompt.isEmpty {
            buffer.put("Describe the music: \"dreamy lo-fi with rhodes, 80 bpm\"", x: inner.x, y: inner.y, style: Style(.muted), maxWidth: inner.width)
        }
        if state.focus == .prompt {
            // The cursor as a reversed cell (both halves of a wide character): the backend also
            // places the terminal's own cursor there.
            let x = inner.x + layout.cursorColumn, y = inner.y + layout.cursorRow - firstRow
            for column in x...(buffer[x + 1, y].isContinuation ? x + 1 : x) {
                var cell = buffer[column, y]
                cell.style.reverse = true
                buffer[column, y] = cell
            }
        }
        // What the engine understood, the words it did not use (to rephrase), then its notes, cut with an ellipsis.
        let row = inner.y + inner.height - 1
        var column = inner.x
        if !state.understood.isEmpty {
            column = buffer.put("understood: \(state.understood)", x: column, y: row, style: Style(.accent), maxWidth: inner.width)
        }
        if !state.unusedWords.isEmpty, column < inner.x + inner.width - 2 {
            column = buffer.put((column > inner.x ? " · " : "") + "not used: " + state.unusedWords.joined(separator: ", "), x: column, y: row,
                                style: Style(.warning), maxWidth: inner.x + inner.width - column)
        }
        if !state.understoodNotes.isEmpty, column < inner.x + inner.width - 2 {
            buffer.put((column > inner.x ? " · " : "") + state.understoodNotes.joined(separator: "; "), x: column, y: row,
                       style: Style(.muted), maxWidth: inner.x + inner.width - column)
        }
        drawCount(state.prompt.count, rect, &buffer)
    }

    /// Arrows on a pane's right edge where it has more rows than it shows: ↑ at the top of the rows
    /// shown when some are above, ↓ at the bottom when some are below.
    static func scrollMarks(_ rect: Rect, above: Bool, below: Bool, rows: Int, _ buffer: inout ScreenBuffer) {
        let x = rect.x + rect.width - 1
        if above { buffer[x, rect.y + 1] = Cell("↑", style: Style(.accent, bold: true)) }
        if below { buffer[x, rect.y + rows] = Cell("↓", style: Style(.accent, bold: true)) }
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
        guard state.focus == .prompt, !state.isTooSmall, !state.hasOverlay else { return nil }
        let inner = StudioLayout(state).prompt.inner
        let layout = PromptLayout(Array(state.prompt), cursor: state.cursor, width: inner.width)
        let firstRow = StudioLayout(state).firstPromptRow(layout)
        return (inner.x + layout.cursorColumn, inner.y + layout.cursorRow - firstRow)
    }
}
