import RiffleAudio
import RiffleStudio

/// The waveform pane: the selected take in braille (or ASCII), one lane per stem when it has stems,
/// section names, a time axis, the playhead and the selected region.
///
/// With stems and too few rows for a lane each beside a tall mix, every lane gets one row and the
/// lanes scroll to keep the stem cursor in view, with a mark where lanes are hidden: ↑↓, s and M never
/// act on a lane the user cannot see.
enum WaveformView {
    /// Columns for a lane's name and its solo/mute mark ("harmony M"), and one of space.
    static let labelWidth = StudioLayout.waveformLabelWidth

    static func draw(_ state: StudioState, _ rect: Rect, _ buffer: inout ScreenBuffer) {
        let inner = rect.inner
        guard let take = state.selectedTake else {
            StudioView.frame(.waveform, "Waveform", rect, state, &buffer)
            buffer.put("The selected take's waveform appears here.", x: inner.x + 1, y: inner.y, style: Style(.muted), maxWidth: inner.width - 1)
            return
        }
        // The take's seed is here (the jobs pane has no room for it at 80 columns), after the region.
        var title = "Waveform · \(take.id)"
        if let region = state.playback.region {
            title += " · region \(StudioReducer.clock(region.lowerBound))–\(StudioReducer.clock(region.upperBound))"
            if state.playback.looping { title += " looping" }
        }
        if let job = state.selection.flatMap({ state.job($0.jobID) }), let parent = job.parentTakeID { title += " · \(job.kind) of \(parent)" }
        title += " · seed \(take.seed)"
        StudioView.frame(.waveform, title, rect, state, &buffer)
        guard let waveform = state.waveform, waveform.takeID == take.id else {
            buffer.put("Loading \(take.id)…", x: inner.x + 1, y: inner.y, style: Style(.muted), maxWidth: inner.width - 1)
            return
        }
        let plotX = inner.x + labelWidth, plotWidth = inner.width - labelWidth
        guard plotWidth > 4, inner.height >= 3 else { return }
        let duration = max(waveform.duration, 0.001)
        func column(_ seconds: Double) -> Int { plotX + min(plotWidth - 1, max(0, Int(seconds / duration * Double(plotWidth)))) }

        let laneBottom = drawLanes(state, waveform, x: inner.x, plotX: plotX, plotWidth: plotWidth, &buffer)
        if let region = state.playback.region {
            // The region keeps each lane's own colour role where it is muted (a muted lane must not
            // look audible inside it) and is underlined, so it shows without colour too.
            for x in column(region.lowerBound)...column(region.upperBound) {
                for row in inner.y..<laneBottom {
                    var cell = buffer[x, row]
                    if cell.style.role != .muted { cell.style.role = .region }
                    cell.style.underline = true
                    buffer[x, row] = cell
                }
            }
        }
        // The playhead: a reversed column through every lane.
        let head = column(state.playback.position)
        for row in inner.y..<laneBottom {
            var cell = buffer[head, row]
            cell.style = Style(.playhead, bold: true, reverse: true)
            buffer[head, row] = cell
        }
        drawSections(waveform.sections, y: laneBottom, column: column, right: plotX + plotWidth, &buffer)
        drawAxis(duration: duration, y: laneBottom + 1, plotX: plotX, plotWidth: plotWidth, head: head, &buffer)
        buffer[head, laneBottom + 1] = Cell("▲", style: Style(.playhead, bold: true))
        buffer.put(StudioReducer.clock(state.playback.position), x: inner.x, y: laneBottom + 1, style: Style(.accent, bold: true),
                   maxWidth: labelWidth - 1)
    }

    /// Draws the mix and the stems' lanes where ``StudioLayout/waveformLanes(stemCount:stemCursor:)``
    /// puts them; returns the row under the last.
    private static func drawLanes(_ state: StudioState, _ waveform: WaveformItem, x: Int, plotX: Int, plotWidth: Int,
                                  _ buffer: inout ScreenBuffer) -> Int {
        let stems = waveform.stems
        let lanes = StudioLayout(state).waveformLanes(stemCount: stems.count, stemCursor: state.playback.stemCursor)
        let levels: WaveformStyle = state.asciiOnly ? .ascii : .blocks
        let silenced = state.playback.silenced(stemCount: stems.count)
        let cursorLane = stems.isEmpty ? 0 : min(state.playback.stemCursor, stems.count - 1) + 1
        for lane in lanes {
            let label: String, role: Style.Role, lines: [String]
            if lane.index == 0 {
                (label, role) = ("mix", .waveform)
                lines = WaveformDrawing.lines(waveform.peaks, width: plotWidth, height: lane.height,
                                              style: lane.height > 1 ? (state.asciiOnly ? .ascii : .braille) : levels)
            } else {
                let index = lane.index - 1, stem = stems[index]
                let mark = state.playback.soloed.contains(index) ? " S" : state.playback.muted.contains(index) ? " M" : ""
                (label, role) = (stem.name + mark, silenced.contains(index) ? .muted : .waveform)
                // A lane of one row shows each stem's level as bars, scaled to the stem's own peak so a
                // quiet part still shows where it plays.
                lines = WaveformDrawing.lines(stem.peaks, width: plotWidth, height: 1, style: levels, gain: 1 / max(stem.peaks.peak, 1.0 / 16))
            }
            let underCursor = !stems.isEmpty && state.focus == .waveform && lane.index == cursorLane
            buffer.put(label, x: x, y: lane.y, style: Style(underCursor ? .selection : .muted, reverse: underCursor), maxWidth: labelWidth - 1)
            // Marks where lanes scrolled out of view are.
            if lane == lanes.first, lane.index > 0 { buffer[x + labelWidth - 1, lane.y] = Cell("↑", style: Style(.accent, bold: true)) }
            if lane == lanes.last, lane.index < stems.count { buffer[x + labelWidth - 1, lane.y] = Cell("↓", style: Style(.accent, bold: true)) }
            for (offset, line) in lines.enumerated() { buffer.put(line, x: plotX, y: lane.y + offset, style: Style(role)) }
        }
        return lanes.last.map { $0.y + $0.height } ?? waveformTop(state)
    }

    private static func waveformTop(_ state: StudioState) -> Int { StudioLayout(state).waveform.inner.y }

    private static func drawSections(_ sections: [WaveformItem.Section], y: Int, column: (Double) -> Int, right: Int,
                                     _ buffer: inout ScreenBuffer) {
        for (index, section) in sections.enumerated() {
            let x = column(section.start)
            let next = index + 1 < sections.count ? column(sections[index + 1].start) : right
            buffer.put("▏" + section.name, x: x, y: y, style: Style(.muted), maxWidth: max(1, next - x))
        }
    }

    /// Time labels at a round interval that leaves room between them; a label the playhead's mark
    /// (at column `head`) would land in is left out rather than drawn broken.
    private static func drawAxis(duration: Double, y: Int, plotX: Int, plotWidth: Int, head: Int, _ buffer: inout ScreenBuffer) {
        let steps: [Double] = [1, 2, 5, 10, 15, 30, 60, 120]
        let step = steps.first { duration / $0 * 7 <= Double(plotWidth) } ?? 300
        var time = 0.0
        while time <= duration {
            let x = plotX + Int(time / duration * Double(plotWidth))
            let label = StudioReducer.clock(time)
            if x + 4 <= plotX + plotWidth, !(x + 1...x + label.count).contains(head) {
                buffer.put("╵" + label, x: x, y: y, style: Style(.muted))
            }
            time += step
        }
    }
}
