import RiffleCore
import RiffleStudio
import Testing

@Suite("The studio's reducer: genre presets and the parameter sliders")
struct StudioParametersTests {
    @Test("sliders: Up/Down choose, Left/Right step fine, Shift with them coarse, always within range")
    func sliders() {
        var store = TestStore(initial: studio { $0.focus = .parameters })
        store.edit(.right) { $0.parameters.duration = 31 }
        store.edit(.right) { $0.parameters.duration = 32 }
        store.edit(.shiftRight) { $0.parameters.duration = 40 }
        for duration in stride(from: 50.0, through: 300, by: 10) {
            store.edit(.shiftRight) { $0.parameters.duration = duration }
        }
        store.press(.shiftRight)  // at the longest: nothing changes, so nothing to interpret
        store.press(.down) { $0.selectedSlider = .tempo }
        store.edit(.right) { $0.parameters.tempo = 120 }  // from auto, a tempo appears
        store.edit(.left) { $0.parameters.tempo = 119 }
        for tempo in stride(from: 110.0, through: 30, by: -10) {
            store.edit(.shiftLeft) { $0.parameters.tempo = tempo }
        }
        store.edit(.shiftLeft) { $0.parameters.tempo = nil }  // below the lowest tempo is auto again
        store.press(.shiftLeft)  // and stays auto
        store.press(.down) { $0.selectedSlider = .key }
        store.edit(.right) { $0.parameters.key = MusicalKey("C major") }
        store.press(.down) { $0.selectedSlider = .timeSignature }
        store.press(.down) { $0.selectedSlider = .variations }
        store.press(.down) { $0.selectedSlider = .temperature }
        store.edit(.shiftLeft) { $0.parameters.temperature = 0.75 }
        store.press(.character("l")) { $0.seedLocked = true }
        store.press(.character("L")) { $0.seedLocked = false }
        #expect(store.state.parameters.display(.temperature) == "0.75")
    }

    @Test("every slider in turn: the first and the last stop there; PageUp and PageDown step coarse")
    func sliderEnds() {
        var store = TestStore(initial: studio { $0.focus = .parameters })
        store.press(.up)  // duration is the first
        store.edit(.pageDown) { $0.parameters.duration = 20 }
        store.edit(.pageUp) { $0.parameters.duration = 30 }
        let order: [Parameters.Slider] = [.tempo, .key, .timeSignature, .variations, .temperature, .topK, .topP, .guidance]
        for slider in order { store.press(.down) { $0.selectedSlider = slider } }
        store.press(.down)  // guidance is the last
        store.press(.up) { $0.selectedSlider = .topP }
        store.edit(.right) { $0.parameters.topP = 0.05 }
        store.press(.up) { $0.selectedSlider = .topK }
        store.edit(.left) { $0.parameters.topK = 245 }
        store.press(.up) { $0.selectedSlider = .temperature }
        store.press(.up) { $0.selectedSlider = .variations }
        store.edit(.shiftRight) { $0.parameters.variations = 8 }
        store.press(.right)  // 8 takes at most
        store.press(.up) { $0.selectedSlider = .timeSignature }
        store.edit(.right) { $0.parameters.timeSignature = TimeSignature.supported[0] }
        store.edit(.left) { $0.parameters.timeSignature = nil }
    }

    @Test("guidance starts at auto; → gives 3.0, ← from 1.0 goes back to auto; the slider shows \"auto\"")
    func guidance() {
        var store = TestStore(initial: studio {
            $0.focus = .parameters
            $0.selectedSlider = .guidance
        })
        #expect(store.state.parameters.guidance == nil && store.state.parameters.display(.guidance) == "auto")
        store.press(.left)  // below auto there is nothing
        store.edit(.right) { $0.parameters.guidance = 3.0 }
        #expect(store.state.parameters.display(.guidance) == "3.0")
        for guidance in [2.5, 2.0, 1.5, 1.0] {
            store.edit(.left) { $0.parameters.guidance = guidance }
        }
        #expect(store.state.parameters.display(.guidance) == "1.0")
        store.edit(.left) { $0.parameters.guidance = nil }
        #expect(store.state.parameters.display(.guidance) == "auto")
        store.edit(.shiftRight) { $0.parameters.guidance = 3.0 }  // coarse from auto also starts at 3
        store.edit(.shiftRight) { $0.parameters.guidance = 6.0 }
        for guidance in [8.0, 10, 12, 14, 15] {
            store.edit(.shiftRight) { $0.parameters.guidance = guidance }
        }
        store.press(.shiftRight)  // 15 at most
        #expect(store.state.parameters.display(.guidance) == "15.0")
    }

    @Test("choosing a genre preset sets the sliders' defaults; choosing it again goes back to the prompt's genre")
    func presets() {
        var store = TestStore(initial: studio {
            $0.focus = .presets
            $0.presets = [PresetItem(name: "ambient", title: "Ambient", tempo: 70, timeSignature: TimeSignature("4/4"), guidance: 2.5),
                          PresetItem(name: "waltz", title: "Waltz", tempo: 150, timeSignature: TimeSignature("3/4"), guidance: 4)]
        })
        store.press(.down) { $0.selectedPreset = 1 }
        store.press(.enter, effects: [.interpret(GenerationRequest(prompt: "", genre: "waltz", tempo: 150, timeSignature: TimeSignature("3/4"),
                                                                   seed: 0, guidanceScale: nil, engine: "composer"))]) {
            $0.parameters.genre = "waltz"
            $0.parameters.tempo = 150
            $0.parameters.timeSignature = TimeSignature("3/4")
            // Guidance stays auto: normalising the request gives the genre's own, as on the command line.
            $0.message = info("Waltz: 150 BPM, 3/4, guidance 4.0 (auto)")
        }
        store.edit(.enter) {  // and the preset's tempo and metre go with it
            $0.parameters.genre = nil
            $0.parameters.tempo = nil
            $0.parameters.timeSignature = nil
            $0.message = info("Genre, tempo and metre from the prompt again")
        }
        // Space plays, as in every pane but the prompt (the pane's hint says so); it chooses nothing.
        store.press(.character(" ")) { $0.message = info("No take selected: choose one in the jobs pane") }
        store.press(.up) {
            $0.selectedPreset = 0
            $0.message = nil
        }
        store.press(.up)
        store.press(.end) { $0.selectedPreset = 1 }
        store.press(.pageDown)
        store.press(.home) { $0.selectedPreset = 0 }
        store.press(.pageUp)
        store.edit(.enter) {  // a metre of its own, or 4/4 said when it has none
            $0.parameters.genre = "ambient"
            $0.parameters.tempo = 70
            $0.parameters.timeSignature = TimeSignature("4/4")
            $0.message = info("Ambient: 70 BPM, 4/4, guidance 2.5 (auto)")
        }
    }

    @Test("choosing a preset puts guidance back to auto, the preset's own")
    func presetGuidance() {
        var store = TestStore(initial: studio {
            $0.focus = .parameters
            $0.selectedSlider = .guidance
            $0.presets = [PresetItem(name: "techno", title: "Techno", tempo: 128, timeSignature: nil, guidance: 3.5)]
        })
        store.edit(.shiftRight) { $0.parameters.guidance = 3.0 }
        store.edit(.shiftRight) { $0.parameters.guidance = 6.0 }
        store.press(.backTab) { $0.focus = .presets }
        store.edit(.enter) {
            $0.parameters.genre = "techno"
            $0.parameters.tempo = 128
            $0.parameters.guidance = nil
            $0.message = info("Techno: 128 BPM, 4/4, guidance 3.5 (auto)")
        }
        #expect(store.state.parameters.display(.guidance) == "auto")
    }

    @Test("back to the prompt's genre, a tempo or metre the user set after choosing the genre stays")
    func presetUndoKeepsTheUsersSliders() {
        var store = TestStore(initial: studio {
            $0.focus = .presets
            $0.presets = [PresetItem(name: "drum-and-bass", title: "Drum and Bass", tempo: 174, timeSignature: nil, guidance: 3)]
        })
        store.edit(.enter) {
            $0.parameters.genre = "drum-and-bass"
            $0.parameters.tempo = 174
            $0.message = info("Drum and Bass: 174 BPM, 4/4, guidance 3.0 (auto)")
        }
        store.press(.tab) {
            $0.focus = .parameters
            $0.message = nil
        }
        store.press(.down) { $0.selectedSlider = .tempo }
        store.edit(.right) { $0.parameters.tempo = 175 }
        store.press(.backTab) { $0.focus = .presets }
        store.edit(.enter) {
            $0.parameters.genre = nil
            $0.message = info("Genre, tempo and metre from the prompt again")
        }
        #expect(store.state.parameters.tempo == 175)
    }

    @Test("with no presets the presets pane does nothing")
    func noPresets() {
        var store = TestStore(initial: studio { $0.focus = .presets })
        store.press(.down)
        store.press(.enter)
    }
}

@Suite("The studio's reducer: a typed seed")
struct StudioSeedTests {
    @Test("s in the sliders types a seed: digits and Backspace edit it, Enter sets and locks it, Esc or another key cancels")
    func typedSeed() {
        var store = TestStore(initial: studio { $0.focus = .parameters; $0.seed = 7 })
        store.press(.character("s")) { $0.seedEntry = "" }
        store.press(.character("4")) { $0.seedEntry = "4" }
        store.press(.character("2")) { $0.seedEntry = "42" }
        store.press(.character("x"), effects: []) { $0.seedEntry = nil }  // another key ends it and does what it does (nothing here)
        store.press(.character("s")) { $0.seedEntry = "" }
        for digit in "1234" { store.press(.character(digit)) { $0.seedEntry! += String(digit) } }
        store.press(.backspace) { $0.seedEntry = "123" }
        store.press(.enter) {
            $0.seedEntry = nil
            $0.seed = 123
            $0.seedLocked = true
            $0.message = info("Seed 123, locked: the next batch is the one it makes (l unlocks)")
        }
        store.press(.character("s")) {
            $0.seedEntry = ""
            $0.message = nil
        }
        for digit in String(Int64.max) { store.press(.character(digit)) { $0.seedEntry! += String(digit) } }
        store.press(.character("0")) { $0.message = alert("A seed is 0 to 9223372036854775807") }  // past the largest: refused
        store.press(.escape) {
            $0.seedEntry = nil
            $0.message = nil
        }
        #expect(store.state.seed == 123)
        // Tab ends the entry and moves on.
        store.press(.character("s")) { $0.seedEntry = "" }
        store.press(.tab) {
            $0.seedEntry = nil
            $0.focus = .jobs
        }
    }
}
