import RiffleCore
import RiffleStudio
import RiffleTestSupport
import Testing

private func state(_ configure: (inout StudioState) -> Void = { _ in }) -> StudioState {
    var state = StudioState(width: 80, height: 24)
    configure(&state)
    return state
}

/// Presses `keys` in order; returns every effect asked for.
@discardableResult
private func press(_ keys: [Key], _ state: inout StudioState) -> [StudioEffect] {
    keys.flatMap { StudioReducer.reduce(&state, .key($0)) }
}

private func typing(_ text: String) -> [Key] { text.map { Key.character($0) } }

@Suite("The studio's reducer: every key does what the help says")
struct StudioReducerTests {
    @Test("Tab and Shift-Tab move between the panes, round the end")
    func focus() {
        var studio = state()
        press([.tab], &studio)
        #expect(studio.focus == .presets)
        press([.tab, .tab, .tab, .tab], &studio)
        #expect(studio.focus == .prompt)
        press([.backTab], &studio)
        #expect(studio.focus == .waveform)
    }

    @Test("the prompt edits like a line editor; Alt-Enter breaks the line")
    func editing() {
        var studio = state()
        press(typing("dark techno") + [.home] + typing("very ") + [.end, .altEnter] + typing("126 bpm"), &studio)
        #expect(studio.prompt == "very dark techno\n126 bpm")
        press([.backspace, .backspace, .backspace, .backspace, .left, .left, .delete], &studio)
        #expect(studio.prompt == "very dark techno\n16")
        #expect(studio.cursor == 18)
        press([.right, .right, .right], &studio)
        #expect(studio.cursor == 19, "the cursor stops at the end")
    }

    @Test("Enter generates from the prompt and the sliders; the seed moves on unless locked")
    func generate() throws {
        var studio = state { $0.seed = 40 }
        press(typing("lo-fi"), &studio)
        let effects = press([.enter], &studio)
        #expect(effects.count == 1)
        let request = try #require({ if case .generate(let request) = effects.first { return request } else { return nil } }())
        #expect(request.prompt == "lo-fi" && request.seed == 40 && request.numVariations == 4 && request.duration == 30)
        #expect(studio.seed == 44, "the next batch starts after this one's four seeds")
        #expect(studio.history == ["lo-fi"])
        studio.seedLocked = true
        press([.enter], &studio)
        #expect(studio.seed == 44)
    }

    @Test("an empty prompt does not generate; the status bar says why, until the next key")
    func emptyPrompt() {
        var studio = state()
        press([.character(" ")], &studio)
        #expect(press([.enter], &studio).isEmpty)
        #expect(studio.message?.isError == true)
        #expect(studio.message?.text.contains("prompt") == true)
        press([.character("x")], &studio)
        #expect(studio.message == nil)
    }

    @Test("readline's Ctrl keys: A and E go to the line's ends, U and K cut to them, W cuts a word")
    func controlKeys() {
        var studio = state()
        press(typing("dark techno 126 bpm"), &studio)
        press([.control("w")], &studio)
        #expect(studio.prompt == "dark techno 126 ")
        press([.control("a"), .right, .right, .right, .right, .control("k")], &studio)
        #expect(studio.prompt == "dark" && studio.cursor == 4)
        press([.control("e")] + typing(" house") + [.left, .left, .control("u")], &studio)
        #expect(studio.prompt == "se" && studio.cursor == 0)
    }

    @Test("in a prompt of several lines Up and Down move between them, then walk the history")
    func multiLine() {
        var studio = state { $0.history = ["old"] }
        press(typing("first line") + [.altEnter] + typing("second"), &studio)
        press([.up], &studio)
        #expect(studio.cursor == 6 && studio.prompt == "first line\nsecond", "same column on the line above")
        press([.down], &studio)
        #expect(studio.cursor == 17)
        press([.up, .up], &studio)
        #expect(studio.prompt == "old", "from the first line, Up reaches the history")
    }

    @Test("Up and Down walk the prompt history")
    func history() {
        var studio = state { $0.history = ["first", "second"] }
        press([.up], &studio)
        #expect(studio.prompt == "second")
        press([.up, .up], &studio)
        #expect(studio.prompt == "first")
        press([.down, .down], &studio)
        #expect(studio.prompt == "" && studio.historyIndex == nil)
    }

    @Test("sliders: Up/Down choose, Left/Right step fine, Shift with them coarse, always within range")
    func sliders() {
        var studio = state { $0.focus = .parameters }
        press([.right, .right], &studio)
        #expect(studio.parameters.duration == 32)
        press([.shiftRight], &studio)
        #expect(studio.parameters.duration == 40)
        for _ in 0..<40 { press([.shiftRight], &studio) }
        #expect(studio.parameters.duration == 300)
        press([.down], &studio)
        #expect(studio.selectedSlider == .tempo)
        press([.right], &studio)
        #expect(studio.parameters.tempo == 120, "from auto, a tempo appears")
        press([.left], &studio)
        #expect(studio.parameters.tempo == 119)
        for _ in 0..<20 { press([.shiftLeft], &studio) }
        #expect(studio.parameters.tempo == nil, "below the lowest tempo is auto again")
        press([.down, .right], &studio)
        #expect(studio.parameters.key == MusicalKey("C major"))
        press([.down, .down, .down, .shiftLeft], &studio)
        #expect(studio.selectedSlider == .temperature && studio.parameters.temperature == 0.75)
        press([.character("l")], &studio)
        #expect(studio.seedLocked)
    }

    @Test("? opens the help outside the prompt (F1 everywhere); any key closes it and does nothing else")
    func help() {
        var studio = state()
        press([.character("?")], &studio)
        #expect(!studio.showHelp && studio.prompt == "?", "in the prompt, ? is a character")
        press([.function(1)], &studio)
        #expect(studio.showHelp)
        press([.character("q")], &studio)
        #expect(!studio.showHelp && studio.prompt == "?")
        studio.focus = .jobs
        press([.character("?")], &studio)
        #expect(studio.showHelp)
    }

    @Test("q quits, but asks first while jobs run; Ctrl-C does the same from anywhere")
    func quit() {
        var idle = state { $0.focus = .jobs }
        #expect(press([.character("q")], &idle) == [.quit])
        var prompt = state()
        #expect(press([.ctrlC], &prompt) == [.quit])

        var busy = state { $0.focus = .jobs }
        _ = StudioReducer.reduce(&busy, .jobsLoaded([JobItem(id: "a", prompt: "x", status: .processing),
                                                      JobItem(id: "b", prompt: "y", status: .pending)]))
        #expect(press([.character("q")], &busy).isEmpty)
        #expect(busy.confirmation == .quit && busy.message?.text.contains("2 jobs are running") == true)
        #expect(press([.character("n")], &busy).isEmpty)
        #expect(busy.confirmation == nil)
        press([.ctrlC], &busy)
        #expect(press([.character("y")], &busy) == [.quit])
    }

    @Test("a resize is remembered for the next render")
    func resize() {
        var studio = state()
        _ = StudioReducer.reduce(&studio, .resized(width: 200, height: 60))
        #expect(studio.width == 200 && studio.height == 60)
    }
}
