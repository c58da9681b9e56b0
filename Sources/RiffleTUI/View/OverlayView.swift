import RiffleStudio

/// What opens over the panes: the help and the action menu (the engine picker has its own file).
enum OverlayView {
    /// Every binding.
    static let helpLines = [
        "In the prompt letters type: there Ctrl-P plays, F1 helps, Ctrl-C quits.",
        "Tab / Shift-Tab   move between panes",
        "Enter             generate (prompt) · use genre · fold job / play take",
        "Alt-Enter         new line in the prompt",
        "Ctrl-A/E/U/K/W    line start / end, cut to start / end, cut word",
        "↑ ↓               prompt history; choose in lists; stem lane",
        "← →  Shift ← →    slider fine / coarse · seek / select region",
        "l  s              lock the seed, type one (sliders) · l loops the region",
        "Esc               clear the region; close the menu",
        "Space  Ctrl-P     play / pause the selected take (in the prompt: Ctrl-P)",
        "[ ]               previous / next take, same position (A/B)",
        "1-5  p            rate the take, pick it",
        "m                 actions: repaint the region, extend, restyle,",
        "                  stems, export, delete",
        "s  M              solo / mute the stem under the cursor",
        "c  r              cancel the selected job · resume a stopped batch",
        "e  F2             engine and model for new jobs (in the prompt: F2)",
        "q  Ctrl-C         quit (asks while jobs run)",
        "mouse             click: focus, choose, seek · drag: region (waveform)",
        "? F1              this help; any key or click closes it",
    ]

    static func drawHelp(_ state: StudioState, _ buffer: inout ScreenBuffer) {
        let width = min(state.width - 4, 76), height = min(state.height - 2, helpLines.count + 2)
        let rect = Rect(x: (state.width - width) / 2, y: (state.height - height) / 2, width: width, height: height)
        buffer.fill(rect)
        buffer.box(rect, title: "Keys", style: Style(.accent, bold: true))
        for (row, line) in helpLines.prefix(height - 2).enumerated() {
            buffer.put(line, x: rect.x + 2, y: rect.y + 1 + row, maxWidth: width - 4)
        }
    }

    static func drawMenu(_ menu: TakeMenu, _ state: StudioState, _ buffer: inout ScreenBuffer) {
        let rect = StudioLayout.menuRect(items: menu.items.count, width: state.width, height: state.height)
        let (width, height) = (rect.width, rect.height)
        buffer.fill(rect)
        buffer.box(rect, title: "Actions · \(menu.takeID)", style: Style(.accent, bold: true))
        for (row, item) in menu.items.enumerated() {
            let selected = row == menu.selected
            let name = item.action.rawValue.padding(toLength: 16, withPad: " ", startingAt: 0)
            let line = (selected ? "› " : "  ") + name + (item.unavailable.map { "(\($0))" } ?? item.detail)
            let style = item.unavailable == nil ? Style(selected ? .selection : .text, reverse: selected)
                : Style(.muted, reverse: selected, dim: true)
            buffer.put(line, x: rect.x + 2, y: rect.y + 1 + row, style: style, maxWidth: width - 4)
        }
        buffer.put("↑↓ choose · Enter do it · Esc close", x: rect.x + 2, y: rect.y + height - 2, style: Style(.muted), maxWidth: width - 4)
    }
}
