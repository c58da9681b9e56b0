import Foundation
import RiffleStudio
@testable import RiffleTUI
import RiffleTestSupport
import Testing

/// The rows of the pane titled `title`: its frame's columns and the rows inside it.
private func pane(_ title: String, in buffer: ScreenBuffer) throws -> (left: Int, right: Int, rows: Range<Int>) {
    let top = try #require((0..<buffer.height).first { buffer.line($0).contains("╭─ \(title)") }, "no \(title) pane")
    let left = try #require(buffer.column(of: "╭─ \(title)", row: top))
    let right = try #require(buffer.column(of: "╮", row: top, from: left))
    let bottom = try #require((top + 1..<buffer.height).first { buffer[left, $0].character == "╰" })
    return (left, right, (top + 1)..<bottom)
}

@Suite("Nothing cut without an ellipsis, nothing acted on unseen")
struct StudioFitTests {
    @Test("text cut at its room ends in an ellipsis; text that fits, or cut at the buffer's edge without a room, does not")
    func ellipsis() {
        var buffer = ScreenBuffer(width: 12, height: 3)
        #expect(buffer.put("dark techno 126", x: 0, y: 0, maxWidth: 8) == 8)
        buffer.put("dark", x: 0, y: 1, maxWidth: 4)
        buffer.put("waveform bars", x: 0, y: 2, maxWidth: 5, ellipsis: false)
        #expect(buffer.text == "dark te…    \ndark        \nwavef       ")
    }

    @Test("every slider's range shows whole under the sliders at 80x24, wrapped", arguments: Parameters.Slider.allCases)
    func sliderRange(slider: Parameters.Slider) throws {
        let state = studio(width: 80, height: 24) { state in
            state.focus = .parameters
            state.selectedSlider = slider
        }
        let buffer = StudioView.render(state)
        let frame = try pane("Parameters", in: buffer)
        let shown = frame.rows.map { String(buffer.line($0).dropFirst(frame.left + 1).prefix(frame.right - frame.left - 1)) }
        let rangeLines = shown.dropFirst(Parameters.Slider.allCases.count).dropLast().map { $0.trimmingCharacters(in: .whitespaces) }
        #expect(rangeLines.filter { !$0.isEmpty }.joined(separator: " ") == state.parameters.range(slider))
        #expect(!shown.joined().contains("…"))
    }

    @Test("a take's row keeps its key at 80 columns, shows its seed and id where there is room, and is never cut bare",
          arguments: [(80, 24), (120, 40)])
    func takeRows(width: Int, height: Int) throws {
        let buffer = StudioView.render(studioWithBatch(width: width, height: height) { $0.focus = .jobs })
        let frame = try pane("Jobs", in: buffer)
        for take in Fixtures.finished.takes {
            let y = try #require(frame.rows.first { buffer.line($0).contains("take \(take.variation + 1) ") })
            let row = String(buffer.line(y).dropFirst(frame.left + 1).prefix(frame.right - frame.left - 1))
            #expect(row.contains(String(take.summary.prefix(7))), "the key: \(row)")
            if width >= 120 { #expect(row.contains("seed \(take.seed)") && row.contains(take.id), "\(row)") }
            let text = row.trimmingCharacters(in: .whitespaces)
            #expect(text.hasSuffix("…") || text.hasSuffix(take.id) || text.hasSuffix("seed \(take.seed)") || text.hasSuffix(take.summary), "\(row)")
        }
        // The selected take's id and seed are in the waveform's title.
        #expect(buffer.text.contains("Waveform · j1-2 · seed 1235"))
    }

    @Test("at 80x24 with stems every lane can be reached: the stem cursor's lane is always drawn, with marks where lanes are hidden",
          arguments: 0..<5)
    func lanesAt80x24(cursor: Int) throws {
        let stems = ["drums", "bass", "harmony", "melody", "texture"]
        let buffer = StudioView.render(studioWithBatch(width: 80, height: 24) { state in
            state.focus = .waveform
            state.playback.stemCursor = cursor
            state.playback.muted = [cursor]
        })
        let frame = try pane("Waveform", in: buffer)
        let labels = frame.rows.map { String(buffer.line($0).dropFirst(frame.left + 1).prefix(10)) }
        let lane = try #require(labels.firstIndex { $0.hasPrefix(stems[cursor] + " M") }, "the \(stems[cursor]) lane, muted, in \(labels)")
        let y = frame.rows.lowerBound + lane
        #expect(buffer[frame.left + 1, y].style == Style(.selection, reverse: true), "under the cursor")
        let shown = labels.filter { label in (["mix"] + stems).contains { label.hasPrefix($0) } }
        #expect(shown.count == 4)
        #expect(labels.first?.hasSuffix("↑") == !shown.first!.hasPrefix("mix"))
        #expect(labels.dropFirst(shown.count - 1).first?.hasSuffix("↓") == !shown.last!.hasPrefix("texture"))
    }

    @Test("a muted lane keeps its muted look inside the region; the region is underlined, so it shows without colour")
    func mutedLaneInRegion() throws {
        let buffer = StudioView.render(studioWithBatch(width: 120, height: 40) { state in
            state.focus = .waveform
            state.playback.position = 25
            state.playback.region = 10...20
            state.playback.muted = [2]
        })
        let frame = try pane("Waveform", in: buffer)
        let harmony = try #require(frame.rows.first { buffer.line($0).dropFirst(frame.left + 1).hasPrefix("harmony M") })
        let drums = try #require(frame.rows.first { buffer.line($0).dropFirst(frame.left + 1).hasPrefix("drums") })
        let inside = buffer.cells(row: harmony).filter(\.style.underline)
        #expect(!inside.isEmpty && inside.allSatisfy { $0.style.role == .muted })
        let drumsInside = buffer.cells(row: drums).filter(\.style.underline)
        #expect(drumsInside.count == inside.count && drumsInside.allSatisfy { $0.style.role == .region })
        #expect(!buffer.cells.contains { $0.style.role == .region && !$0.style.underline })
    }

    @Test("the selected job row shows without colour when the pane has no focus: underlined as well as marked")
    func unfocusedSelectedRow() throws {
        let buffer = StudioView.render(studioWithBatch(width: 80, height: 24) { $0.focus = .prompt })
        let frame = try pane("Jobs", in: buffer)
        let y = try #require(frame.rows.first { buffer[frame.left + 1, $0].character == "›" })
        #expect(buffer.cells(row: y, from: frame.left + 1, to: frame.right).allSatisfy { $0.style.underline && !$0.style.reverse })
        for other in frame.rows where other != y {
            #expect(!buffer.cells(row: other, from: frame.left + 1, to: frame.right).contains { $0.style.underline })
        }
    }

    @Test("the playhead's mark never breaks a time label on the axis", arguments: [(80, 24), (120, 40)])
    func axisLabels(width: Int, height: Int) throws {
        var state = studioWithBatch(width: width, height: height)
        for tenth in 0...300 {
            state.playback.position = Double(tenth) / 10
            let buffer = StudioView.render(state)
            let frame = try pane("Waveform", in: buffer)
            let axis = Array(buffer.line(frame.rows.upperBound - 1))
            #expect(axis.filter { $0 == "▲" }.count == 1)
            for (x, character) in axis.enumerated() where character == "╵" || (character == "▲" && axis[x + 1].isNumber) {
                let label = String(axis[(x + 1)...].prefix(4))
                #expect(label.wholeMatch(of: /\d:\d\d/) != nil, "at \(Double(tenth) / 10) s: \"\(label)\" in \(String(axis))")
            }
        }
    }
}

@Suite("Panes sized to the terminal, and marks on lists longer than their pane")
struct StudioSizingTests {
    @Test("at 200x60 the genre list fits its pane without empty rows and the waveform takes the full width below")
    func tall() throws {
        let state = studioWithBatch(width: 200, height: 60) { $0.focus = .waveform }
        let buffer = StudioView.render(state)
        let genres = try pane("Genres", in: buffer)
        #expect(genres.rows.count == state.presets.count)
        #expect(genres.rows.allSatisfy { !buffer.line($0).dropFirst(genres.left + 1).prefix(genres.right - genres.left - 1).allSatisfy { $0 == " " } })
        let waveform = try pane("Waveform", in: buffer)
        #expect(waveform.left == 0 && waveform.right == 199)
        #expect(waveform.rows.count >= 12)
        let layout = StudioLayout(state)
        #expect(layout.waveform.y == layout.parameters.y + layout.parameters.height, "under the left column")
        // At 80x24 and 120x40 the left column runs the full height, as before.
        for (width, height) in [(80, 24), (120, 40)] {
            let small = StudioLayout(width: width, height: height, presetCount: 20)
            #expect(small.parameters.y + small.parameters.height == height - 1 && small.waveform.x == small.prompt.x)
        }
    }

    @Test("a list longer than its pane has ↓ on its edge while rows are hidden below, ↑ while rows are hidden above")
    func scrollMarks() throws {
        var state = studio(width: 80, height: 24) { $0.focus = .presets }
        var buffer = StudioView.render(state)
        var genres = try pane("Genres", in: buffer)
        #expect(buffer[genres.right, genres.rows.last!].character == "↓" && buffer[genres.right, genres.rows.first!].character == "│")
        state.selectedPreset = state.presets.count - 1
        buffer = StudioView.render(state)
        genres = try pane("Genres", in: buffer)
        #expect(buffer[genres.right, genres.rows.first!].character == "↑" && buffer[genres.right, genres.rows.last!].character == "│")

        let jobs = (1...12).map { JobItem(id: "j\($0)", prompt: "prompt \($0)", status: .completed) }
        let many = StudioView.render(studio(width: 80, height: 24) { $0.jobs = jobs; $0.selection = .job("j1") })
        let frame = try pane("Jobs", in: many)
        #expect(many[frame.right, frame.rows.last!].character == "↓")
    }
}

@Suite("Lineage: what an edit was made from")
struct LineageTests {
    @Test("an edit's job row and its take's waveform title say which take it was made from")
    func lineage() throws {
        var repaint = JobItem(id: "j9", kind: "repaint", prompt: "dreamy deep house 122 bpm with rhodes", status: .completed, fraction: 1,
                              takes: [TakeItem(id: "j9-1", variation: 0, seed: 77, score: 0.9, rating: nil, picked: false, duration: 30,
                                               summary: "F minor · 122 BPM · house")],
                              expanded: true, parentTakeID: "j1-2")
        repaint.stage = "completed"
        let buffer = StudioView.render(studio(width: 120, height: 40) { state in
            state.jobs = [repaint, Fixtures.finished]
            state.selection = .take(jobID: "j9", takeID: "j9-1")
        })
        #expect(buffer.text.contains("repaint of j1-2 · dreamy deep house"))
        #expect(buffer.text.contains("Waveform · j9-1 · repaint of j1-2 · seed 77"))
    }
}
