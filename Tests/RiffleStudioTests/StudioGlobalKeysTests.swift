import RiffleCore
import RiffleStudio
import RiffleTestSupport
import Testing

@Suite("The studio's reducer: panes, help, quitting, questions and news")
struct StudioGlobalKeysTests {
    @Test("Tab and Shift-Tab move between the panes, round the end")
    func focus() {
        var store = TestStore(initial: studio())
        store.press(.tab) { $0.focus = .presets }
        store.press(.tab) { $0.focus = .parameters }
        store.press(.tab) { $0.focus = .jobs }
        store.press(.tab) { $0.focus = .waveform }
        store.press(.tab) { $0.focus = .prompt }
        store.press(.backTab) { $0.focus = .waveform }
    }

    @Test("? opens the help outside the prompt (F1 everywhere); any key closes it and does nothing else")
    func help() {
        var store = TestStore(initial: studio())
        store.edit(.character("?")) {  // in the prompt, ? is a character
            $0.prompt = "?"
            $0.cursor = 1
        }
        store.press(.function(1)) { $0.showHelp = true }
        store.press(.character("q")) { $0.showHelp = false }  // neither quits nor types
        store.press(.backTab) { $0.focus = .waveform }
        store.press(.backTab) { $0.focus = .jobs }
        store.press(.character("?")) { $0.showHelp = true }
        store.press(.tab) { $0.showHelp = false }  // the focus stays
        store.press(.function(1)) { $0.showHelp = true }
        store.press(.ctrlC) { $0.showHelp = false }  // even Ctrl-C only closes it
    }

    @Test("q quits, but asks first while jobs run; Ctrl-C does the same from anywhere")
    func quit() {
        var idle = TestStore(initial: studio { $0.focus = .jobs })
        idle.press(.character("q"), effects: [.quit])
        var prompt = TestStore(initial: studio())
        prompt.press(.ctrlC, effects: [.quit])

        var busy = TestStore(initial: studio { $0.focus = .jobs })
        let jobs = [JobItem(id: "a", prompt: "x", status: .processing), JobItem(id: "b", prompt: "y", status: .pending)]
        busy.send(.jobsLoaded(jobs)) {
            $0.jobs = jobs
            $0.history = ["y", "x"]
            $0.selection = .job("a")
        }
        busy.press(.character("q")) {
            $0.confirmation = .quit
            $0.message = info("2 jobs are running: quit anyway? (y/n)")
        }
        busy.press(.character("n")) {  // any key but y says no
            $0.confirmation = nil
            $0.message = nil
        }
        busy.press(.ctrlC) {
            $0.confirmation = .quit
            $0.message = info("2 jobs are running: quit anyway? (y/n)")
        }
        busy.press(.character("y"), effects: [.quit]) {
            $0.confirmation = nil
            $0.message = nil
        }
    }

    @Test("asked to quit, q, Ctrl-C and Y say yes too; one job running is said in the singular")
    func quitAnswers() {
        let running = studio {
            $0.focus = .waveform
            $0.jobs = [Fixtures.running, Fixtures.finished]
        }
        for yes in [Key.character("q"), .ctrlC, .character("Y")] {
            var store = TestStore(initial: running)
            store.press(.character("q")) {
                $0.confirmation = .quit
                $0.message = info("1 job is running: quit anyway? (y/n)")
            }
            store.press(yes, effects: [.quit]) {
                $0.confirmation = nil
                $0.message = nil
            }
        }
        var store = TestStore(initial: running)
        store.press(.ctrlC) {
            $0.confirmation = .quit
            $0.message = info("1 job is running: quit anyway? (y/n)")
        }
        store.press(.escape) {  // no: the key does nothing else
            $0.confirmation = nil
            $0.message = nil
        }
    }

    @Test("asked to delete a take, only y deletes it; q then says no rather than quitting")
    func deleteAnswers() {
        var store = TestStore(initial: studioWithBatch { $0.confirmation = .deleteTake("j1-2") })
        store.press(.character("q")) { $0.confirmation = nil }
        var yes = TestStore(initial: studioWithBatch { $0.confirmation = .deleteTake("j1-2") })
        yes.press(.character("Y"), effects: [.delete(takeID: "j1-2")]) { $0.confirmation = nil }
    }

    @Test("a resize is remembered for the next render")
    func resize() {
        var store = TestStore(initial: studio())
        store.send(.resized(width: 200, height: 60)) {
            $0.width = 200
            $0.height = 60
        }
    }

    @Test("notices and the engine's reading of the prompt are shown as they come")
    func notices() {
        var store = TestStore(initial: studio())
        store.send(.understood("house · 122 BPM")) { $0.understood = "house · 122 BPM" }
        store.send(.understood("house · 122 BPM", unused: ["wobbly", "spaceship"])) { $0.unusedWords = ["wobbly", "spaceship"] }
        store.send(.notice("Exported j1-2", isError: false)) { $0.message = info("Exported j1-2") }
        store.send(.notice("Cannot play j1-2: gone", isError: true)) { $0.message = alert("Cannot play j1-2: gone") }
        store.type("a")  // a key clears it; the reading stays until the engine sends another
    }
}

@Suite("The studio's reducer: a terminal below 80x24")
struct StudioTooSmallTests {
    @Test("on the too-small screen q quits as it says (asking while jobs run); other keys and pastes do nothing")
    func tooSmall() {
        var store = TestStore(initial: studio { $0.width = 60; $0.height = 20 })
        #expect(store.state.isTooSmall)
        store.press(.character("a"))  // not typed into the prompt behind the screen
        store.send(.paste("dark techno"))
        store.send(.typed("ab"))
        store.press(.tab)
        store.press(.character("q"), effects: [.quit])

        let running = JobItem(id: "a", prompt: "x", status: .processing)
        var busy = TestStore(initial: studio { $0.width = 79; $0.jobs = [running] })
        busy.press(.character("q")) {
            $0.confirmation = .quit
            $0.message = info("1 job is running: quit anyway? (y/n)")
        }
        busy.press(.character("y"), effects: [.quit]) {
            $0.confirmation = nil
            $0.message = nil
        }
        // Enlarged, the studio is back where it was: nothing was typed.
        busy.send(.resized(width: 80, height: 24)) { $0.width = 80 }
        #expect(busy.state.prompt.isEmpty && !busy.state.isTooSmall)
    }
}
