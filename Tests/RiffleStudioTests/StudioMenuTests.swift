import RiffleCore
import RiffleEngine
import RiffleStudio
import RiffleTestSupport
import Testing

@Suite("The studio's reducer: the action menu over a take")
struct StudioMenuTests {
    private static let techno = PresetItem(name: "techno", title: "Techno", tempo: 128, timeSignature: nil, guidance: 3)

    @Test("m opens the actions for the selected take, greying out repaint until there is a region")
    func menu() {
        var store = TestStore(initial: studioWithBatch { $0.presets = [Self.techno] })
        store.press(.character("m")) { $0.menu = batchMenu("j1-2") }
        #expect(store.state.menu?.items.map(\.action) == TakeMenu.Action.allCases)
        #expect(store.state.menu?.selected == 1, "the first thing that can be done is highlighted")
        store.press(.up)  // the greyed repaint is skipped: its line says why
        store.press(.enter, effects: [.extend(takeID: "j1-2", seconds: 30)]) { $0.menu = nil }
        store.press(.character("m")) { $0.menu = batchMenu("j1-2") }
        store.press(.down) { $0.menu?.selected = 2 }
        store.press(.enter, effects: [.restyle(takeID: "j1-2", genre: "techno")]) { $0.menu = nil }
        store.press(.character("m")) { $0.menu = batchMenu("j1-2") }
        store.press(.down) { $0.menu?.selected = 2 }
        store.press(.down) { $0.menu?.selected = 3 }
        store.press(.enter, effects: [.stems(takeID: "j1-2")]) { $0.menu = nil }
        store.press(.character("m")) { $0.menu = batchMenu("j1-2") }
        for selected in 2...5 { store.press(.down) { $0.menu?.selected = selected } }
        store.press(.down)  // delete is the last
        store.press(.up) { $0.menu?.selected = 4 }
        store.press(.enter) {  // export asks where
            $0.menu = nil
            $0.exportEntry = ExportEntry(takeID: "j1-2", path: "j1-2.flac")
        }
        store.press(.escape) { $0.exportEntry = nil }
        store.press(.character("m")) { $0.menu = batchMenu("j1-2") }
        for selected in 2...5 { store.press(.down) { $0.menu?.selected = selected } }
        store.press(.enter) {  // delete asks first
            $0.menu = nil
            $0.confirmation = .deleteTake("j1-2")
            $0.message = info("Delete j1-2 and its files? (y/n)")
        }
        store.press(.character("y"), effects: [.delete(takeID: "j1-2")]) {
            $0.confirmation = nil
            $0.message = nil
        }
        store.send(.takeDeleted("j1-2"), effects: [.loadWaveform(takeID: "j1-1")]) {
            $0.jobs[0].takes.removeFirst()
            $0.selection = .job("j1")
            $0.waveform = nil
        }
        #expect(store.state.jobs[0].takes.map(\.id) == ["j1-1", "j1-3"] && store.state.selectedTake?.id == "j1-1")
        store.press(.character("m")) { $0.menu = batchMenu("j1-1") }
        store.press(.escape) { $0.menu = nil }
        store.press(.character("m")) { $0.menu = batchMenu("j1-1") }
        store.press(.character("q")) { $0.menu = nil }  // q closes the menu, it does not quit
        store.press(.character("m")) { $0.menu = batchMenu("j1-1") }
        store.press(.character("m")) { $0.menu = nil }
        store.press(.character("m")) { $0.menu = batchMenu("j1-1") }
        store.press(.tab)  // the menu keeps the keys while open
        store.press(.ctrlC, effects: [.quit]) { $0.menu = nil }  // but not Ctrl-C
    }

    @Test("the menu's restyle uses the chosen genre, repaint the region and a new prompt")
    func menuEdits() {
        var store = TestStore(initial: studioWithBatch(focus: .waveform) {
            $0.presets = [PresetItem(name: "jazz", title: "Jazz", tempo: 140, timeSignature: nil, guidance: 3)]
            $0.prompt = "add a saxophone solo"
            $0.cursor = 20
        })
        store.press(.right) { $0.playback.position = 1 }
        store.press(.right) { $0.playback.position = 2 }
        store.press(.shiftRight) {
            $0.playback.regionAnchor = 2
            $0.playback.position = 3
            $0.playback.region = 2...3
        }
        store.press(.shiftRight) {
            $0.playback.position = 4
            $0.playback.region = 2...4
        }
        store.press(.shiftRight) {
            $0.playback.position = 5
            $0.playback.region = 2...5
        }
        let menu = batchMenu("j1-2", region: "0:02–0:05", style: "Jazz")
        store.press(.character("m")) { $0.menu = menu }
        #expect(store.state.menu?.selected == 0, "with a region, repaint can be done")
        store.press(.enter, effects: [.repaint(takeID: "j1-2", from: 2, to: 5, prompt: "add a saxophone solo")]) { $0.menu = nil }
        store.press(.character("m")) { $0.menu = menu }
        store.press(.down) { $0.menu?.selected = 1 }
        store.press(.down) { $0.menu?.selected = 2 }
        store.press(.enter, effects: [.restyle(takeID: "j1-2", genre: "jazz")]) { $0.menu = nil }
    }

    @Test("repaint keeps the take's own prompt when the prompt pane is empty or says the same")
    func repaintPrompt() {
        for prompt in ["", "  ", Fixtures.finished.prompt] {
            var store = TestStore(initial: studioWithBatch(focus: .waveform) {
                $0.prompt = prompt
                $0.playback.region = 10...20
            })
            store.press(.character("m")) { $0.menu = batchMenu("j1-2", region: "0:10–0:20", style: nil) }
            store.press(.enter, effects: [.repaint(takeID: "j1-2", from: 10, to: 20, prompt: nil)]) { $0.menu = nil }
        }
    }

    @Test("what the engine cannot do, or a take cannot have, is greyed out with the reason")
    func unavailable() {
        var long = Fixtures.finished
        long.takes[0].duration = 300
        var store = TestStore(initial: studioWithBatch {
            $0.jobs = [long]
            $0.engines.engines["composer"]?.capabilities = [.extend]
        })
        var menu = batchMenu("j1-2", style: nil)
        menu.items[0].unavailable = "Composer cannot repaint"
        menu.items[1].detail = ""
        menu.items[1].unavailable = "already 300 s, the longest a take can be"
        menu.items[2].unavailable = "Composer cannot restyle"
        menu.items[3].unavailable = "Composer makes no stems"
        menu.items[4].detail = "the take: choose the file and format"  // no MIDI or stems to go with it
        menu.selected = 4
        store.press(.character("m")) { $0.menu = menu }
        store.press(.up)  // every item above is greyed out: the highlight stays on Export
        store.press(.down) { $0.menu?.selected = 5 }
        store.press(.up) { $0.menu?.selected = 4 }

        var engine = TestStore(initial: studioWithBatch { $0.engines.engines["composer"]?.capabilities = [.repaint, .stems, .midi] })
        var greyed = batchMenu("j1-2", style: nil)
        greyed.items[1].unavailable = "Composer cannot extend"
        greyed.items[2].unavailable = "Composer cannot restyle"
        greyed.selected = 3
        engine.press(.character("m")) { $0.menu = greyed }
    }

    @Test("with no take selected, m says how to choose one")
    func noTake() {
        var store = TestStore(initial: studio { $0.focus = .jobs })
        store.press(.character("m")) { $0.message = info("No take selected: choose one in the jobs pane") }
    }
}

@Suite("The studio's reducer: the menu and the region, whatever has loaded")
struct StudioMenuRegionTests {
    @Test("a region selected, then another take of the batch: repaint is offered at once, before its waveform has loaded")
    func regionBeforeTheWaveformLoads() {
        var store = TestStore(initial: studioWithBatch(focus: .waveform) { $0.playback.position = 10 })
        for second in [11.0, 12.0] {
            store.press(.shiftRight) {
                $0.playback.position = second
                $0.playback.regionAnchor = 10
                $0.playback.region = 10...second
            }
        }
        store.press(.character("]"), effects: [.loadWaveform(takeID: "j1-1")]) {
            $0.selection = .take(jobID: "j1", takeID: "j1-1")
            $0.waveform = nil  // loading
            $0.playback.position = 0  // nothing in the player: the new take starts at its beginning
        }
        store.press(.character("m")) { $0.menu = batchMenu("j1-1", region: "0:10–0:12", style: nil) }
        store.press(.up) { $0.menu?.selected = 0 }  // available now, so the arrows reach it
        store.press(.enter, effects: [.repaint(takeID: "j1-1", from: 10, to: 12, prompt: nil)]) { $0.menu = nil }

        // A region past the end of a shorter take is said as such.
        var short = TestStore(initial: studioWithBatch { state in
            state.jobs[0].takes[0].duration = 8
            state.playback.region = 10...12
        })
        short.press(.character("m")) {
            var items = batchMenu("j1-2", region: "0:10–0:12", style: nil).items
            items[0].unavailable = "the region runs past the take's end (0:08)"
            $0.menu = TakeMenu(takeID: "j1-2", items: items)
        }
    }
}

@Suite("The studio's reducer: Export asks where, and in what format")
struct StudioExportTests {
    @Test("the path is typed (or pasted) in the status bar, Tab cycles the format, Enter exports, a bad name is refused")
    func export() {
        var store = TestStore(initial: studioWithBatch { $0.exportEntry = ExportEntry(takeID: "j1-2", path: "j1-2.flac") })
        store.press(.tab) { $0.exportEntry?.path = "j1-2.ogg" }
        store.press(.tab) { $0.exportEntry?.path = "j1-2.mp3" }
        store.press(.tab) { $0.exportEntry?.path = "j1-2.wav" }
        store.press(.control("u")) { $0.exportEntry?.path = "" }
        store.send(.paste("~/mixes/\n")) { $0.exportEntry?.path = "~/mixes/" }
        store.press(.enter) { $0.message = alert("Export: name a file (its extension is the format: wav, flac, ogg, mp3)") }
        for character in "best.aiff" { store.press(.character(character)) { $0.exportEntry?.path.append(character); $0.message = nil } }
        store.press(.enter) { $0.message = alert("Export: \"aiff\" is not a format (Tab cycles wav, flac, ogg, mp3)") }
        store.press(.tab) {
            $0.exportEntry?.path = "~/mixes/best.wav"
            $0.message = nil
        }
        store.press(.enter, effects: [.export(takeID: "j1-2", to: "~/mixes/best.wav")]) {
            $0.exportEntry = nil
            $0.message = info("Exporting j1-2…")
        }
        #expect(store.state.focus == .jobs, "the keys typed went to the path, not the panes")
    }
}
