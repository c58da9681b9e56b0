import RiffleCore
import RiffleEngine
import RiffleStudio
import RiffleTestSupport
import Testing

private func click(_ x: Int, _ y: Int) -> StudioAction { .mouse(MouseEvent(.press, x: x, y: y)) }

@Suite("The studio's reducer: choosing the engine and model for new jobs")
struct StudioEnginePickerTests {
    private static let small = Fixtures.musicGen("musicgen-small")
    private static let stereo = Fixtures.musicGen("musicgen-stereo-medium")

    @Test("e (outside the prompt) opens the picker on the engine in use and lists the engines again; the arrows move, Esc, e and q close")
    func openMoveClose() {
        var store = TestStore(initial: studioWithBatch { $0.engine = Self.small })
        store.press(.character("e"), effects: [.listEngines]) { $0.enginePicker = EnginePicker(selected: 1) }
        store.press(.up) { $0.enginePicker?.selected = 0 }
        store.press(.up)  // the first line stays highlighted
        for line in 1...3 { store.press(.down) { $0.enginePicker?.selected = line } }
        store.press(.down)  // the unusable last line is reached, and the highlight stops there
        store.press(.home) { $0.enginePicker?.selected = 0 }
        store.press(.end) { $0.enginePicker?.selected = 3 }
        store.press(.tab)  // the picker keeps the keys while open
        store.press(.character(" "))
        store.press(.escape) { $0.enginePicker = nil }
        for close in [Key.character("e"), .character("q"), .function(2)] {
            store.press(.character("e"), effects: [.listEngines]) { $0.enginePicker = EnginePicker(selected: 1) }
            store.press(close) { $0.enginePicker = nil }
        }
        store.press(.character("e"), effects: [.listEngines]) { $0.enginePicker = EnginePicker(selected: 1) }
        store.press(.ctrlC, effects: [.quit]) { $0.enginePicker = nil }  // Ctrl-C still quits
    }

    @Test("F2 opens it from the prompt, where e types; a paste closes it and goes to the prompt")
    func fromThePrompt() {
        var store = TestStore(initial: studio { $0.engines = Fixtures.engines })
        store.type("e")
        #expect(store.state.prompt == "e" && store.state.enginePicker == nil)
        store.press(.function(2), effects: [.listEngines]) { $0.enginePicker = EnginePicker(selected: 0) }
        store.send(.typed("xe")) { $0.enginePicker = nil }  // a burst while it is open is keys: x does nothing, e closes it
        #expect(store.state.prompt == "e", "nothing typed into the hidden prompt")
        store.press(.function(2), effects: [.listEngines]) { $0.enginePicker = EnginePicker(selected: 0) }
        store.send(.paste("lo-fi"), effects: [.interpret(request(for: store.state.with { $0.prompt = "elo-fi" }))]) {
            $0.enginePicker = nil
            $0.prompt = "elo-fi"
            $0.cursor = 6
        }
    }

    @Test("Enter on a MusicGen model: new jobs go to it, the request names engine and model, the status bar says what its sliders mean")
    func chooseMusicGen() {
        var store = TestStore(initial: studio {
            $0.engines = Fixtures.engines
            $0.prompt = "warm lo-fi piano"
            $0.cursor = 16
            $0.seed = 9
            $0.seedLocked = true
        })
        store.press(.function(2), effects: [.listEngines]) { $0.enginePicker = EnginePicker(selected: 0) }
        store.press(.down) { $0.enginePicker?.selected = 1 }
        let chosen = store.state.with { $0.engine = Self.small }
        store.press(.enter, effects: [.interpret(request(for: chosen))]) {
            $0.enginePicker = nil
            $0.engine = Self.small
            $0.message = info("Using MusicGen · musicgen-small: tempo, key and metre are hints, not exact")
        }
        #expect(store.state.engineName == "MusicGen · musicgen-small")
        let submitted = GenerationRequest(prompt: "warm lo-fi piano", seed: 9, engine: "musicgen", model: "musicgen-small")
        store.press(.enter, effects: [.generate(submitted)]) {
            $0.message = nil
            $0.history = ["warm lo-fi piano"]
        }
        #expect(submitted.engineName == "musicgen" && submitted.validationIssues(knownGenres: nil).isEmpty)

        // Back to the Composer: the request names it and no model.
        store.press(.function(2), effects: [.listEngines]) { $0.enginePicker = EnginePicker(selected: 1) }
        store.press(.up) { $0.enginePicker?.selected = 0 }
        store.press(.enter, effects: [.interpret(request(for: store.state.with { $0.engine = .composer }))]) {
            $0.enginePicker = nil
            $0.engine = .composer
            $0.message = info("Using Composer")
        }
        store.press(.enter, effects: [.generate(GenerationRequest(prompt: "warm lo-fi piano", seed: 9, engine: "composer"))]) { $0.message = nil }
    }

    @Test("Enter on the engine in use only closes the picker; an unusable line is refused with its reason and the picker stays")
    func refuse() {
        var store = TestStore(initial: studioWithBatch())
        store.press(.character("e"), effects: [.listEngines]) { $0.enginePicker = EnginePicker(selected: 0) }
        store.press(.enter) { $0.enginePicker = nil }
        store.press(.character("e"), effects: [.listEngines]) { $0.enginePicker = EnginePicker(selected: 0) }
        store.press(.end) { $0.enginePicker?.selected = 3 }
        store.press(.enter) { $0.message = alert("MusicGen · half-downloaded cannot be used: no model.safetensors in its folder") }
        #expect(store.state.engine == .composer)
        store.press(.up) {
            $0.message = nil
            $0.enginePicker?.selected = 2
        }
    }

    @Test("the engine's notes on the prompt are kept with its reading, and replaced by the next")
    func notes() {
        var store = TestStore(initial: studio())
        store.send(.understood("lo-fi · 84 BPM", notes: ["tempo 84 BPM is a hint to MusicGen"])) {
            $0.understood = "lo-fi · 84 BPM"
            $0.understoodNotes = ["tempo 84 BPM is a hint to MusicGen"]
        }
        store.send(.understood("lo-fi · 90 BPM")) {
            $0.understood = "lo-fi · 90 BPM"
            $0.understoodNotes = []
        }
    }

    @Test("before the engines are listed the picker has nothing to choose; the listing fills it, on the engine in use")
    func beforeTheListing() {
        var store = TestStore(initial: studio { $0.focus = .jobs })
        store.press(.character("e"), effects: [.listEngines]) { $0.enginePicker = EnginePicker(selected: 0) }
        store.press(.down)
        store.press(.enter)
        store.send(.enginesListed(Fixtures.engines)) { $0.engines = Fixtures.engines }
        #expect(store.state.engineName == "Composer")
    }

    @Test("a new listing keeps the highlight on its line; a model in use that is gone gives way to the Composer, said in the status bar")
    func relisted() {
        var store = TestStore(initial: studioWithBatch { $0.engine = Self.small })
        store.press(.character("e"), effects: [.listEngines]) { $0.enginePicker = EnginePicker(selected: 1) }
        store.press(.down) { $0.enginePicker?.selected = 2 }
        var pulled = Fixtures.engines
        pulled.choices.insert(EngineChoiceItem(selection: Fixtures.musicGen("musicgen-melody"), name: "MusicGen · musicgen-melody",
                                               label: "MusicGen · musicgen-melody · 6.2 GB · mono"), at: 1)
        store.send(.enginesListed(pulled)) {
            $0.engines = pulled
            $0.enginePicker?.selected = 3  // still musicgen-stereo-medium
        }
        store.send(.enginesListed(Fixtures.composerOnly), effects: [.interpret(request(for: store.state.with { $0.engine = .composer }))]) {
            $0.engines = Fixtures.composerOnly
            $0.enginePicker?.selected = 0
            $0.engine = .composer
            $0.message = alert("MusicGen · musicgen-small is no longer installed: new jobs use Composer")
        }
        store.send(.enginesListed(Fixtures.composerOnly))  // the same again changes nothing
    }

    @Test("a click on the engine's name in the prompt's frame opens the picker; a click on a line chooses it, outside closes it; the wheel moves")
    func mouse() {
        var store = TestStore(initial: studioWithBatch())
        let tag = StudioLayout(store.state).engineTag(store.state)
        #expect(tag.text == " Composer · e " && tag.rect.y == StudioLayout(store.state).prompt.y)
        store.send(click(tag.rect.x + tag.rect.width - 1, tag.rect.y), effects: [.listEngines]) { $0.enginePicker = EnginePicker(selected: 0) }
        let picker = EnginePickerLayout(store.state)
        store.send(.mouse(MouseEvent(.scrollDown, x: picker.box.x + 4, y: picker.listY))) { $0.enginePicker?.selected = 1 }
        store.send(.mouse(MouseEvent(.scrollUp, x: picker.box.x + 4, y: picker.listY))) { $0.enginePicker?.selected = 0 }
        store.send(click(picker.box.x + 4, picker.listY + 3)) {
            $0.enginePicker?.selected = 3
            $0.message = alert("MusicGen · half-downloaded cannot be used: no model.safetensors in its folder")
        }
        store.send(click(picker.box.x + 1, picker.box.y + picker.box.height - 1)) { $0.message = nil }  // the frame: nothing
        store.send(click(picker.box.x + 30, picker.listY + 2), effects: [.interpret(request(for: store.state.with { $0.engine = Self.stereo }))]) {
            $0.enginePicker = nil
            $0.engine = Self.stereo
            $0.message = info("Using MusicGen · musicgen-stereo-medium: tempo, key and metre are hints, not exact")
        }
        let longer = StudioLayout(store.state).engineTag(store.state)
        #expect(longer.text == " MusicGen · musicgen-stereo-medium · e ")
        store.send(click(longer.rect.x, longer.rect.y), effects: [.listEngines]) {
            $0.enginePicker = EnginePicker(selected: 2)
            $0.message = nil
        }
        store.send(click(0, 0)) { $0.enginePicker = nil }  // outside
        #expect(store.state.focus == .jobs, "clicks on the tag and the picker move no focus")
    }

    @Test("at 80 columns a long model name is cut in the prompt's frame, keeping the pane's title and the key")
    func longNameAt80() {
        var state = studio {
            $0.engines = Fixtures.engines
            $0.engine = Fixtures.musicGen("musicgen-stereo-medium")
        }
        let tag = StudioLayout(state).engineTag(state)
        let prompt = StudioLayout(state).prompt
        #expect(tag.text.hasSuffix("… · F2 ") && tag.text.hasPrefix(" MusicGen · musicgen-"), "\(tag.text)")
        #expect(tag.rect.x >= prompt.x + 12 && tag.rect.x + tag.rect.width == prompt.x + prompt.width - 2, "\(tag.rect) in \(prompt)")
        state.engine = .composer
        #expect(StudioLayout(state).engineTag(state).text == " Composer · F2 ")
    }
}

@Suite("The studio's reducer: the take menu follows the engine that made the take")
struct StudioEngineCapabilityTests {
    /// The menu over a take MusicGen made: it repaints (with a region) and extends, nothing else of its own.
    private static func musicGenMenu(_ takeID: String) -> TakeMenu {
        var menu = batchMenu(takeID, style: nil)
        menu.items[2].unavailable = "MusicGen cannot restyle"
        menu.items[3].unavailable = "MusicGen makes no stems"
        menu.items[4].detail = "the take: choose the file and format"
        return menu
    }

    @Test("a MusicGen take greys out restyle and stems with MusicGen's reasons; moving to a Composer take offers them again")
    func followsTheSelectedTake() {
        var store = TestStore(initial: studioWithBatch {
            $0.jobs = [Fixtures.musicGenBatch, Fixtures.finished]
            $0.selection = .take(jobID: "j4", takeID: "j4-1")
            $0.waveform = nil
        })
        #expect(store.state.capabilities == [.repaint, .extend])
        store.press(.character("m")) { $0.menu = Self.musicGenMenu("j4-1") }
        #expect(store.state.menu?.selected == 1, "extend is the first thing MusicGen can do without a region")
        store.press(.down) { $0.menu?.selected = 4 }  // restyle and stems are skipped: export is next
        store.press(.escape) { $0.menu = nil }
        store.press(.down, effects: [.loadWaveform(takeID: "j4-2")]) { $0.selection = .take(jobID: "j4", takeID: "j4-2") }
        store.press(.down, effects: [.loadWaveform(takeID: "j1-2")]) { $0.selection = .job("j1") }
        #expect(store.state.capabilities == [.repaint, .extend, .restyle, .stems, .midi])
        store.press(.character("m")) { $0.menu = batchMenu("j1-2", style: nil) }
        store.press(.escape) { $0.menu = nil }
        store.press(.up, effects: [.loadWaveform(takeID: "j4-2")]) { $0.selection = .take(jobID: "j4", takeID: "j4-2") }
        store.press(.character("m")) { $0.menu = Self.musicGenMenu("j4-2") }
        // Whatever engine new jobs go to: the menu is the take's engine's.
        #expect(store.state.engine == .composer)
    }

    @Test("an edit of a MusicGen take is MusicGen's too; a take by an engine this build lacks, or one that cannot start, says so")
    func otherEngines() {
        var repaint = Fixtures.musicGenBatch
        (repaint.id, repaint.kind, repaint.parentTakeID) = ("j5", "repaint", "j4-1")
        repaint.takes = [TakeItem(id: "j5-1", variation: 0, seed: 1, score: 0.8, rating: nil, picked: false, duration: 20)]
        var edit = TestStore(initial: studioWithBatch {
            $0.jobs = [repaint]
            $0.selection = .take(jobID: "j5", takeID: "j5-1")
        })
        edit.press(.character("m")) { $0.menu = Self.musicGenMenu("j5-1") }

        var foreign = Fixtures.finished
        foreign.engine = "riffusion"
        var unknown = TestStore(initial: studioWithBatch { $0.jobs = [foreign] })
        unknown.press(.character("m")) {
            var menu = batchMenu("j1-2", style: nil)
            for index in 0...3 { menu.items[index].unavailable = "the riffusion engine that made it is not in this build" }
            menu.items[4].detail = "the take: choose the file and format"
            menu.selected = 4
            $0.menu = menu
        }

        var broken = TestStore(initial: studioWithBatch { $0.engines.engines["composer"]?.problem = "no SoundFont at /missing.sf2" })
        broken.press(.character("m")) {
            var menu = batchMenu("j1-2", style: nil)
            for index in 0...3 { menu.items[index].unavailable = "Composer cannot start: no SoundFont at /missing.sf2" }
            menu.items[4].detail = "the take: choose the file and format"
            menu.selected = 4
            $0.menu = menu
        }
    }
}
