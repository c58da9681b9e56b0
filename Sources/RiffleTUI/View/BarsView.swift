import RiffleStudio

/// The title bar (what plays, what runs, how to get help and quit) and the status bar (a message, else
/// the keys of the focused pane). Every key they name does what they say in the pane that has the
/// focus: in the prompt letters type, so there help is F1 and quitting Ctrl-C.
enum BarsView {
    static func drawTitleBar(_ state: StudioState, _ buffer: inout ScreenBuffer) {
        buffer.put(" Riffle ", x: 1, y: 0, style: Style(.accent, bold: true))
        let hint = state.focus == .prompt ? "F1 help  Ctrl-C quit" : "? help  q quit"
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

    /// The keys that matter in the focused pane, most useful first; help always comes last.
    static func hints(_ state: StudioState) -> [String] {
        switch state.focus {
        case .prompt:
            return ["Enter generate", "Ctrl-P play", "Alt-Enter new line", "↑↓ history", "Tab next pane", "F1 help"]
        case .presets:
            return ["↑↓ choose", "Enter use genre", "Space play", "Tab next pane", "? help"]
        case .parameters:
            if state.seedEntry != nil { return ["0-9 seed", "Backspace", "Enter set and lock", "Esc cancel"] }
            return ["↑↓ choose", "←→ fine", "Shift ←→ coarse", "l lock seed", "s type seed", "Tab next pane", "? help"]
        case .jobs:
            return ["↑↓ choose", "Space play", "[ ] A/B", "1-5 rate", "p pick", "m menu", "c cancel", "r resume", "? help"]
        case .waveform:
            let stems = !(state.waveform?.stems.isEmpty ?? true)
            return ["←→ seek", "Shift ←→ region"] + (stems ? ["↑↓ stem", "s solo", "M mute"] : ["m menu"])
                + ["l loop", "Space play", "[ ] A/B", "? help"]
        }
    }

    /// As many of `hints` as fit in `width` columns, in order, always with the last (help): the ones
    /// dropped are the least useful, so no hint is ever cut in the middle.
    static func fitted(_ hints: [String], width: Int) -> String {
        var shown = hints
        while shown.count > 1, shown.joined(separator: " · ").count > width { shown.remove(at: shown.count - 2) }
        return shown.joined(separator: " · ")
    }

    static func drawStatus(_ state: StudioState, _ buffer: inout ScreenBuffer) {
        let row = state.height - 1
        if let entry = state.exportEntry {
            // Choosing where Export writes: the path being typed, then its keys (or what is wrong with it).
            let x = buffer.put(" Export \(entry.takeID) to: ", x: 0, y: row, style: Style(.accent, bold: true), maxWidth: state.width)
            let end = buffer.put(entry.path + "▏", x: x, y: row, style: Style(.text, bold: true), maxWidth: state.width - x)
            let after = state.message.map { "  " + $0.text } ?? "  Tab format · Enter export · Esc cancel"
            buffer.put(after, x: end, y: row, style: Style(state.message?.isError == true ? .error : .muted), maxWidth: state.width - end)
        } else if let message = state.message {
            buffer.put(" " + message.text, x: 0, y: row, style: Style(message.isError ? .error : .warning, bold: true), maxWidth: state.width)
        } else {
            buffer.put(" " + fitted(hints(state), width: state.width - 2), x: 0, y: row, style: Style(.muted), maxWidth: state.width)
        }
    }
}
