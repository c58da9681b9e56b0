import RiffleCore
import RiffleStudio
import Testing

@Suite("The studio's reducer: the prompt edits like a line editor, and Enter generates")
struct StudioPromptTests {
    @Test("the prompt edits like a line editor; Alt-Enter breaks the line")
    func editing() {
        var store = TestStore(initial: studio())
        store.type("dark techno")
        store.press(.home) { $0.cursor = 0 }
        store.type("very ")
        store.press(.end) { $0.cursor = 16 }
        store.edit(.altEnter) {
            $0.prompt = "very dark techno\n"
            $0.cursor = 17
        }
        store.type("126 bpm")
        #expect(store.state.prompt == "very dark techno\n126 bpm")
        for (prompt, cursor) in [("very dark techno\n126 bp", 23), ("very dark techno\n126 b", 22), ("very dark techno\n126 ", 21),
                                 ("very dark techno\n126", 20)] {
            store.edit(.backspace) {
                $0.prompt = prompt
                $0.cursor = cursor
            }
        }
        store.press(.left) { $0.cursor = 19 }
        store.press(.left) { $0.cursor = 18 }
        store.edit(.delete) { $0.prompt = "very dark techno\n16" }
        store.press(.right) { $0.cursor = 19 }
        store.press(.right)  // the cursor stops at the end
        store.press(.right)
        store.press(.delete)  // nothing after the cursor to delete
        store.press(.home) { $0.cursor = 17 }  // the start of the cursor's line
        store.press(.backspace, effects: [.interpret(GenerationRequest(prompt: "very dark techno16", seed: 0, engine: "composer"))]) {
            $0.prompt = "very dark techno16"
            $0.cursor = 16
        }
    }

    @Test("Enter generates from the prompt and the sliders; the seed moves on unless locked")
    func generate() {
        var store = TestStore(initial: studio { $0.seed = 40 })
        store.type("lo-fi")
        store.press(.enter, effects: [.generate(GenerationRequest(prompt: "lo-fi", duration: 30, numVariations: 4, seed: 40, engine: "composer"))]) {
            $0.history = ["lo-fi"]
            $0.seed = 44  // the next batch starts after this one's four seeds
        }
        // l in the sliders locks the seed.
        store.press(.tab) { $0.focus = .presets }
        store.press(.tab) { $0.focus = .parameters }
        store.press(.character("l")) { $0.seedLocked = true }
        store.press(.backTab) { $0.focus = .presets }
        store.press(.backTab) { $0.focus = .prompt }
        store.press(.enter, effects: [.generate(GenerationRequest(prompt: "lo-fi", seed: 44, engine: "composer"))])  // the same prompt is not added twice
    }

    @Test("unlocked, each batch starts where the last one's seeds end, wrapping within 0...Int64.max")
    func seedAdvancesAndWraps() {
        var store = TestStore(initial: studio {
            $0.prompt = "x"
            $0.cursor = 1
            $0.seed = Int64.max - 1
        })
        store.press(.enter, effects: [.generate(GenerationRequest(prompt: "x", seed: Int64.max - 1, engine: "composer"))]) {
            $0.history = ["x"]
            $0.seed = 2  // Int64.max - 1, Int64.max, 0, 1: the four takes' seeds; the next batch starts at 2
        }
        #expect(GenerationRequest.seed(Int64.max - 1, variation: 4) == 2)
        store.press(.enter, effects: [.generate(GenerationRequest(prompt: "x", seed: 2, engine: "composer"))]) { $0.seed = 6 }

        var seven = TestStore(initial: studio {
            $0.prompt = "x"
            $0.cursor = 1
            $0.seed = 10
            $0.parameters.variations = 7
        })
        seven.press(.enter, effects: [.generate(GenerationRequest(prompt: "x", numVariations: 7, seed: 10, engine: "composer"))]) {
            $0.history = ["x"]
            $0.seed = 17
        }
    }

    @Test("locked, the seed stays: the same request again, which the library answers from its cache")
    func lockedSeedStays() {
        var store = TestStore(initial: studio {
            $0.prompt = "ambient drone"
            $0.cursor = 13
            $0.seed = 5
            $0.seedLocked = true
        })
        store.press(.enter, effects: [.generate(GenerationRequest(prompt: "ambient drone", seed: 5, engine: "composer"))]) { $0.history = ["ambient drone"] }
        store.press(.enter, effects: [.generate(GenerationRequest(prompt: "ambient drone", seed: 5, engine: "composer"))])
    }

    @Test("an empty prompt does not generate; the status bar says why, until the next key")
    func emptyPrompt() {
        var store = TestStore(initial: studio())
        store.type(" ")
        store.press(.enter) {
            $0.message = alert("prompt: is blank (allowed: text describing the music, 1 to 2000 characters)")
        }
        store.type("x")  // clears the message
        #expect(store.state.history.isEmpty && store.state.seed == 0, "nothing was generated")
    }

    @Test("readline's Ctrl keys: A and E go to the line's ends, U and K cut to them, W cuts a word")
    func controlKeys() {
        var store = TestStore(initial: studio())
        store.type("dark techno 126 bpm")
        store.edit(.control("w")) {
            $0.prompt = "dark techno 126 "
            $0.cursor = 16
        }
        store.press(.control("a")) { $0.cursor = 0 }
        for cursor in 1...4 { store.press(.right) { $0.cursor = cursor } }
        store.edit(.control("k")) { $0.prompt = "dark" }
        store.press(.control("e"))  // already at the end
        store.type(" house")
        store.press(.left) { $0.cursor = 9 }
        store.press(.left) { $0.cursor = 8 }
        store.edit(.control("u")) {
            $0.prompt = "se"
            $0.cursor = 0
        }
        store.edit(.control("w")) { _ in }  // nothing before the cursor: the prompt stays, and is interpreted again
    }

    @Test("Ctrl keys work on the cursor's line of a prompt of several lines")
    func controlKeysOnLines() {
        var store = TestStore(initial: studio { $0.prompt = "one two\nthree four"; $0.cursor = 13 })
        store.press(.control("a")) { $0.cursor = 8 }
        store.press(.control("e")) { $0.cursor = 18 }
        store.edit(.control("w")) {
            $0.prompt = "one two\nthree "
            $0.cursor = 14
        }
        store.edit(.control("u")) {
            $0.prompt = "one two\n"
            $0.cursor = 8
        }
        store.press(.up) { $0.cursor = 0 }
        store.edit(.control("k")) {
            $0.prompt = "\n"
        }
    }

    @Test("in a prompt of several lines Up and Down move between them, then walk the history")
    func multiLine() {
        var store = TestStore(initial: studio { $0.history = ["old"] })
        store.type("first line")
        store.edit(.altEnter) {
            $0.prompt = "first line\n"
            $0.cursor = 11
        }
        store.type("second")
        store.press(.up) { $0.cursor = 6 }  // same column on the line above
        store.press(.down) { $0.cursor = 17 }
        store.press(.up) { $0.cursor = 6 }
        store.edit(.up) {  // from the first line, Up reaches the history...
            $0.prompt = "old"
            $0.cursor = 3
            $0.historyIndex = 0
            $0.historyDraft = "first line\nsecond"
        }
        store.edit(.down) {  // ...and Down past its end brings back what was being written
            $0.prompt = "first line\nsecond"
            $0.cursor = 17
            $0.historyIndex = nil
            $0.historyDraft = ""
        }
    }

    @Test("a long line wraps as the pane shows it (48 columns at 80x24): Up and Down move by its rows before the history")
    func wrappedRows() {
        // Two rows: "lo-fi " × 8 is 48 columns, so the ninth word starts the second row.
        let prompt = String(repeating: "lo-fi ", count: 9) + "beat"
        var store = TestStore(initial: studio { $0.prompt = prompt; $0.cursor = prompt.count; $0.history = ["old"] })
        store.press(.up) { $0.cursor = 10 }  // column 10 of the first row
        store.press(.down) { $0.cursor = 58 }  // and back, to the end
        store.press(.up) { $0.cursor = 10 }
        store.edit(.up) {
            $0.prompt = "old"
            $0.cursor = 3
            $0.historyIndex = 0
            $0.historyDraft = prompt
        }
    }

    @Test("Up and Down walk the prompt history")
    func history() {
        var store = TestStore(initial: studio { $0.history = ["first", "second"] })
        store.edit(.up) {
            $0.prompt = "second"
            $0.cursor = 6
            $0.historyIndex = 1
        }
        store.edit(.up) {
            $0.prompt = "first"
            $0.cursor = 5
            $0.historyIndex = 0
        }
        store.edit(.up) { _ in }  // the oldest stays
        store.edit(.down) {
            $0.prompt = "second"
            $0.cursor = 6
            $0.historyIndex = 1
        }
        store.edit(.down) {
            $0.prompt = ""
            $0.cursor = 0
            $0.historyIndex = nil
        }
    }
}
