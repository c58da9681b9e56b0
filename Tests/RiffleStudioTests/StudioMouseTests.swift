import RiffleCore
import RiffleStudio
import RiffleTestSupport
import Testing

/// A left click at column `x`, row `y`.
private func click(_ x: Int, _ y: Int) -> StudioAction { .mouse(MouseEvent(.press, x: x, y: y)) }

@Suite("The studio's reducer: the mouse")
struct StudioMouseTests {
    private static let genres = ["Ambient", "Blues", "Cinematic"].map { PresetItem(name: $0.lowercased(), title: $0, tempo: 100, timeSignature: nil, guidance: 3) }

    @Test("a click focuses the pane under it: a genre (clicked again, used), a slider, a place in the prompt")
    func panes() {
        var store = TestStore(initial: studio { $0.presets = Self.genres; $0.prompt = "dark techno\nwith rhodes"; $0.cursor = 0 })
        let layout = StudioLayout(store.state)
        let genres = layout.presets.inner, sliders = layout.parameters.inner, prompt = layout.prompt.inner
        store.send(click(genres.x + 3, genres.y + 2)) {
            $0.focus = .presets
            $0.selectedPreset = 2
        }
        store.send(click(genres.x + 3, genres.y + 2), effects: [.interpret(request(for: store.state.with { $0.parameters.genre = "cinematic"; $0.parameters.tempo = 100 }))]) {
            $0.parameters.genre = "cinematic"
            $0.parameters.tempo = 100
            $0.message = info("Cinematic: 100 BPM, 4/4, guidance 3.0 (auto)")
        }
        store.send(click(genres.x + 3, genres.y + 4)) { $0.message = nil }  // below the list: nothing more
        store.send(click(sliders.x + 4, sliders.y + 1)) {
            $0.focus = .parameters
            $0.selectedSlider = .tempo
        }
        store.send(click(prompt.x + 5, prompt.y + 1)) {  // "with |rhodes"
            $0.focus = .prompt
            $0.cursor = 17
        }
        store.send(click(prompt.x + 40, prompt.y)) { $0.cursor = 11 }  // past a line's end: its end
        store.send(click(0, 0))  // the title bar: nothing
    }

    @Test("in the jobs pane a click selects a row, and a click on the selected take plays it; the wheel moves the highlight")
    func jobs() {
        var store = TestStore(initial: studioWithBatch(focus: .prompt))
        let rows = StudioLayout(store.state).jobs.inner
        store.send(click(rows.x + 10, rows.y + 2), effects: [.loadWaveform(takeID: "j1-1")]) {
            $0.focus = .jobs
            $0.selection = .take(jobID: "j1", takeID: "j1-1")
            $0.waveform = nil
        }
        store.send(click(rows.x + 10, rows.y + 2), effects: [.play(takeID: "j1-1", from: 0)]) {
            $0.playback.takeID = "j1-1"
            $0.playback.isPlaying = true
        }
        store.send(.mouse(MouseEvent(.scrollUp, x: rows.x + 10, y: rows.y)), effects: [.loadWaveform(takeID: "j1-2"), .switchTake("j1-2")]) {
            $0.selection = .take(jobID: "j1", takeID: "j1-2")
            $0.playback.takeID = "j1-2"
        }
        // The job row: selected (its best take's waveform, still loading, is asked for again).
        store.send(click(rows.x + 10, rows.y), effects: [.loadWaveform(takeID: "j1-2")]) {
            $0.selection = .job("j1")
        }
        store.send(click(rows.x + 10, rows.y)) { $0.jobs[0].expanded = false }  // again: folds, as Enter
    }

    @Test("in the waveform a click seeks, a drag selects a region (and moves a loop), a click on a lane's name moves the stem cursor")
    func waveform() {
        var store = TestStore(initial: studioWithBatch(focus: .jobs) { $0.playback.takeID = "j1-2" })
        let layout = StudioLayout(store.state)
        let plot = layout.waveformPlot
        let at10 = plot.x + plot.width / 3, at20 = plot.x + 2 * plot.width / 3
        let time10 = layout.waveformTime(atX: at10, duration: 30), time20 = layout.waveformTime(atX: at20, duration: 30)
        let y = layout.waveform.inner.y
        store.send(click(at10, y), effects: [.seek(time10)]) {
            $0.focus = .waveform
            $0.playback.position = time10
            $0.playback.regionAnchor = time10
        }
        store.send(.mouse(MouseEvent(.drag, x: at20, y: y)), effects: [.seek(time20)]) {
            $0.playback.position = time20
            $0.playback.region = time10...time20
        }
        store.send(.mouse(MouseEvent(.release, x: at20, y: y)))
        store.press(.character("l"), effects: [.setLoop(time10...time20)]) { $0.playback.looping = true }
        store.send(click(at20, y), effects: [.seek(time20)]) {
            $0.playback.regionAnchor = time20
        }
        store.send(.mouse(MouseEvent(.drag, x: at10, y: y)), effects: [.seek(time10), .setLoop(time10...time20)]) {
            $0.playback.position = time10
        }
        let lanes = layout.waveformLanes(stemCount: 5, stemCursor: 0)
        let melody = lanes.first { $0.index == 4 }!
        store.send(click(layout.waveform.inner.x + 2, melody.y)) { $0.playback.stemCursor = 3 }
        #expect(time10 < time20 && abs(time10 - 10) < 0.5 && abs(time20 - 20) < 0.5)
    }

    @Test("with the menu open a click on an item does it, one on a greyed item says why, one outside closes the menu")
    func menu() {
        var store = TestStore(initial: studioWithBatch())
        store.press(.character("m")) { $0.menu = batchMenu("j1-2", style: nil) }
        let box = StudioLayout.menuRect(items: 6, width: store.state.width, height: store.state.height)
        store.send(click(box.x + 4, box.y + 1)) { $0.message = info("Repaint region: select a region first (Shift ←→ in the waveform)") }
        store.send(click(box.x + 4, box.y + 4), effects: [.stems(takeID: "j1-2")]) {
            $0.menu = nil
            $0.message = nil
        }
        store.press(.character("m")) { $0.menu = batchMenu("j1-2", style: nil) }
        store.send(click(0, 1)) { $0.menu = nil }
    }

    @Test("the help closes on a click; a question waits for y or n; the too-small screen takes no clicks")
    func overlays() {
        var help = TestStore(initial: studio { $0.showHelp = true })
        help.send(.mouse(MouseEvent(.release, x: 40, y: 10)))
        help.send(click(40, 10)) { $0.showHelp = false }
        var asking = TestStore(initial: studio { $0.confirmation = .quit; $0.message = info("1 job is running: quit anyway? (y/n)") })
        asking.send(click(40, 10))
        var tiny = TestStore(initial: studio { $0.width = 50 })
        tiny.send(click(3, 3))
    }
}
