import RiffleStudio

/// The engine picker over the panes: each engine and installed model on a line (the one in use marked
/// ●, the unusable dimmed with why), how to get a model when none is installed, and the keys.
enum EnginePickerView {
    static func draw(_ picker: EnginePicker, _ state: StudioState, _ buffer: inout ScreenBuffer) {
        let layout = EnginePickerLayout(state)
        let box = layout.box, textWidth = box.width - 4
        let choices = state.engines.choices
        buffer.fill(box)
        buffer.box(box, title: "Engine for new jobs", style: Style(.accent, bold: true))
        if choices.isEmpty {
            buffer.put("Looking for engines and models…", x: box.x + 2, y: layout.listY, style: Style(.muted), maxWidth: textWidth)
        }
        for row in 0..<layout.listRows where layout.first + row < choices.count {
            let index = layout.first + row
            let choice = choices[index]
            let selected = index == picker.selected
            let inUse = choice.selection == state.engine
            let line = (selected ? "› " : "  ") + choice.label + (inUse ? " ●" : "") + (choice.unavailable.map { "  (\($0))" } ?? "")
            let style = choice.unavailable == nil ? Style(selected ? .selection : inUse ? .accent : .text, reverse: selected)
                : Style(.muted, reverse: selected, dim: true)
            buffer.put(line, x: box.x + 2, y: layout.listY + row, style: style, maxWidth: textWidth)
        }
        PanesView.scrollMarks(box, above: layout.first > 0, below: layout.first + layout.listRows < choices.count, rows: layout.listRows, &buffer)
        if layout.showsHint {
            for (offset, line) in EnginePicker.noModelsHint.enumerated() {
                buffer.put(line, x: box.x + 2, y: layout.listY + layout.listRows + 1 + offset, style: Style(offset == 1 ? .accent : .text),
                           maxWidth: textWidth)
            }
        }
        buffer.put("↑↓ choose · Enter use · Esc close", x: box.x + 2, y: box.y + box.height - 2, style: Style(.muted), maxWidth: textWidth)
    }
}
