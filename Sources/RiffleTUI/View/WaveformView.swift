import RiffleAudio
import RiffleStudio

/// The waveform pane: the selected take in braille (or ASCII), one lane per stem when it has stems
/// and there is room, section names, a time axis, the playhead and the selected region.
enum WaveformView {
    /// Columns for a lane's name ("melody S").
    static let labelWidth = 9

    static func draw(_ state: StudioState, _ rect: Rect, _ buffer: inout ScreenBuffer) {
        let inner = rect.inner
        guard let take = state.selectedTake else {
            StudioView.frame(.waveform, "Waveform", rect, state, &buffer)
            buffer.put("The selected take's waveform appears here.", x: inner.x + 1, y: inner.y, style: Style(.muted), maxWidth: inner.width - 1)
            return
        }
        var title = "Waveform · \(take.id)"
        if let region = state.playback.region {
            title += " · region \(StudioReducer.clock(region.lowerBound))–\(StudioReducer.clock(region.upperBound))"
            if state.playback.looping { title += " looping" }
        }
        StudioView.frame(.waveform, title, rect, state, &buffer)
        guard let waveform = state.waveform, waveform.takeID == take.id else {
            buffer.put("Loading \(take.id)…", x: inner.x + 1, y: inner.y, style: Style(.muted), maxWidth: inner.width - 1)
            return
        }
        let style: WaveformStyle = state.asciiOnly ? .ascii : .braille
        let plotX = inner.x + labelWidth, plotWidth = inner.width - labelWidth
        guard plotWidth > 4, inner.height >= 3 else { return }
        let laneRows = inner.height - 2
        // Stems get a row each when there is room for them and at least two rows of the mix.
        let showStems = !waveform.stems.isEmpty && laneRows >= waveform.stems.count + 2
        let mixRows = showStems ? laneRows - waveform.stems.count : laneRows
        let duration = max(waveform.duration, 0.001)
        func column(_ seconds: Double) -> Int { plotX + min(plotWidth - 1, max(0, Int(seconds / duration * Double(plotWidth)))) }

        var lanes: [(label: String, role: Style.Role, lines: [String])] = [
            ("mix", .waveform, WaveformDrawing.lines(waveform.peaks, width: plotWidth, height: mixRows, style: style)),
        ]
        if showStems {
            let silenced = state.playback.silenced(stemCount: waveform.stems.count)
            for (index, stem) in waveform.stems.enumerated() {
                let mark = state.playback.soloed.contains(index) ? " S" : state.playback.muted.contains(index) ? " M" : ""
                // A lane of one row shows each stem's level as bars, scaled to the stem's own peak so
                // a quiet part still shows where it plays.
                let gain = 1 / max(stem.peaks.peak, 1.0 / 16)
                lanes.append((stem.name + mark, silenced.contains(index) ? .muted : .waveform,
                              WaveformDrawing.lines(stem.peaks, width: plotWidth, height: 1, style: state.asciiOnly ? .ascii : .blocks,
                                                    gain: gain)))
            }
        }
        var y = inner.y
        for (index, lane) in lanes.enumerated() {
            let underCursor = showStems && state.focus == .waveform && index - 1 == state.playback.stemCursor
            buffer.put(lane.label, x: inner.x, y: y, style: Style(underCursor ? .selection : .muted, reverse: underCursor), maxWidth: labelWidth - 1)
            for line in lane.lines {
                buffer.put(line, x: plotX, y: y, style: Style(lane.role))
                y += 1
            }
        }
        let laneBottom = y
        if let region = state.playback.region {
            for x in column(region.lowerBound)...column(region.upperBound) {
                for row in inner.y..<laneBottom {
                    var cell = buffer[x, row]
                    cell.style.role = .region
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
        drawAxis(duration: duration, y: laneBottom + 1, plotX: plotX, plotWidth: plotWidth, &buffer)
        buffer[head, laneBottom + 1] = Cell("▲", style: Style(.playhead, bold: true))
        buffer.put(StudioReducer.clock(state.playback.position), x: inner.x, y: laneBottom + 1, style: Style(.accent, bold: true),
                   maxWidth: labelWidth - 1)
    }

    private static func drawSections(_ sections: [WaveformItem.Section], y: Int, column: (Double) -> Int, right: Int,
                                     _ buffer: inout ScreenBuffer) {
        for (index, section) in sections.enumerated() {
            let x = column(section.start)
            let next = index + 1 < sections.count ? column(sections[index + 1].start) : right
            buffer.put("▏" + section.name, x: x, y: y, style: Style(.muted), maxWidth: max(1, next - x))
        }
    }

    /// Time labels at a round interval that leaves room between them.
    private static func drawAxis(duration: Double, y: Int, plotX: Int, plotWidth: Int, _ buffer: inout ScreenBuffer) {
        let steps: [Double] = [1, 2, 5, 10, 15, 30, 60, 120]
        let step = steps.first { duration / $0 * 7 <= Double(plotWidth) } ?? 300
        var time = 0.0
        while time <= duration {
            let x = plotX + Int(time / duration * Double(plotWidth))
            if x + 4 <= plotX + plotWidth { buffer.put("╵" + StudioReducer.clock(time), x: x, y: y, style: Style(.muted)) }
            time += step
        }
    }
}
