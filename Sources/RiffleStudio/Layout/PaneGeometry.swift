/// What is where inside the panes, for the view that draws it and the reducer that maps a click to
/// it: which list rows are scrolled into view, the waveform's plot, the action menu's box. One
/// definition, so a click always lands on what the screen shows there.
extension StudioLayout {
    /// Columns left of the waveform's plot for a lane's name and its mark ("harmony M"), and a space.
    public static let waveformLabelWidth = 10

    /// The first genre shown: the selected one kept in the middle of the pane where it can be.
    public func firstPreset(_ state: StudioState) -> Int {
        let rows = presets.inner.height
        return max(0, min(state.selectedPreset - rows / 2, state.presets.count - rows))
    }

    /// The first row of the jobs pane shown: the highlight kept in view, a little above the bottom edge.
    public func firstJobRow(_ state: StudioState) -> Int {
        let rows = state.jobRows, shown = jobs.inner.height
        let selected = state.selection.flatMap { rows.firstIndex(of: $0) } ?? 0
        return max(0, min(selected - shown + 2, rows.count - shown))
    }

    /// The waveform's plot: its first column and width (the time axis runs across it).
    public var waveformPlot: (x: Int, width: Int) {
        (waveform.inner.x + Self.waveformLabelWidth, waveform.inner.width - Self.waveformLabelWidth)
    }

    /// The time at column `x` of the waveform's plot, for a take `duration` seconds long.
    public func waveformTime(atX x: Int, duration: Double) -> Double {
        let plot = waveformPlot
        guard plot.width > 0 else { return 0 }
        return min(max(Double(x - plot.x) / Double(plot.width) * duration, 0), duration)
    }

    /// The action menu's box for `items` items, centred on the screen.
    public static func menuRect(items: Int, width: Int, height: Int) -> Rect {
        let boxWidth = min(width - 8, 72), boxHeight = items + 4
        return Rect(x: (width - boxWidth) / 2, y: max(1, (height - boxHeight) / 2), width: boxWidth, height: boxHeight)
    }
}

extension StudioLayout {
    /// A lane of the waveform pane as drawn: 0 is the mix, 1 and on the stems in order.
    public struct Lane: Equatable, Sendable {
        public var index: Int
        public var y: Int
        public var height: Int
    }

    /// The lanes the waveform pane shows, top to bottom. With room, the mix gets every row the stems
    /// leave (at least two); without, every lane gets one row and they scroll to keep the stem
    /// cursor's lane in view.
    public func waveformLanes(stemCount: Int, stemCursor: Int) -> [Lane] {
        let inner = waveform.inner
        let rows = inner.height - 2
        guard rows > 0 else { return [] }
        if stemCount == 0 || rows >= stemCount + 2 {
            let mix = Lane(index: 0, y: inner.y, height: rows - stemCount)
            return [mix] + (0..<stemCount).map { Lane(index: $0 + 1, y: inner.y + mix.height + $0, height: 1) }
        }
        let cursorLane = min(max(stemCursor, 0), stemCount - 1) + 1
        let first = min(max(0, cursorLane - rows + 1), stemCount + 1 - rows)
        return (0..<rows).map { Lane(index: first + $0, y: inner.y + $0, height: 1) }
    }
}

extension StudioLayout {
    /// The first of the prompt's rows shown: the cursor's row kept in view.
    public func firstPromptRow(_ layout: PromptLayout) -> Int {
        max(0, layout.cursorRow - (prompt.inner.height - 1) + 1)
    }
}
