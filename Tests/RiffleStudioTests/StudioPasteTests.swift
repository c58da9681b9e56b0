import RiffleCore
import RiffleStudio
import Testing

@Suite("The studio's reducer: a paste is one edit of the prompt, within its 2000 characters")
struct StudioPasteTests {
    @Test("a paste goes in at the cursor as one edit with one interpretation, from any pane, closing what is open")
    func pasteIsOneEdit() {
        var store = TestStore(initial: studio { $0.prompt = "dark  bpm"; $0.cursor = 5; $0.focus = .jobs; $0.showHelp = true })
        store.press(.character("x")) { $0.showHelp = false }  // any key only closes the help...
        let expected = studio { $0.prompt = "dark techno\n126 bpm"; $0.cursor = 15; $0.focus = .prompt }
        store.send(.paste("techno\r\n126"), effects: [.interpret(request(for: expected))]) {  // ...a paste goes to the prompt
            $0.prompt = "dark techno\n126 bpm"
            $0.cursor = 15
            $0.focus = .prompt
        }
        // Line breaks of every kind become the prompt's, a tab a space; other control characters go.
        store.send(.paste("\ta\rb\u{7}\u{1b}c"), effects: [.interpret(request(for: studio { $0.prompt = "dark techno\n126 a\nbc bpm" }))]) {
            $0.prompt = "dark techno\n126 a\nbc bpm"
            $0.cursor = 20
        }
        store.send(.paste("\u{1b}\u{7}"))  // nothing left to paste: nothing happens
    }

    @Test("a paste that does not fit is cut at the limit and the status bar says how much went in; a full prompt takes nothing")
    func pasteBeyondTheLimit() {
        let limit = StudioReducer.promptLimit
        #expect(limit == GenerationRequest.Limits.promptLength)
        let text = String(repeating: "lo-fi ", count: 500)  // 3000 characters
        var store = TestStore(initial: studio { $0.prompt = "x"; $0.cursor = 1 })
        let filled = "x" + String(text.prefix(limit - 1))
        store.send(.paste(text), effects: [.interpret(request(for: studio { $0.prompt = filled }))]) {
            $0.prompt = filled
            $0.cursor = limit
            $0.message = alert("Pasted 1999 of 3000 characters: the prompt holds at most 2000")
        }
        store.send(.paste("more")) { $0.message = alert("The prompt is full (2000 characters): nothing was pasted") }
        // A key typed into the full prompt is refused the same way; editing still works.
        store.press(.character("y")) { $0.message = alert("The prompt is full: it holds at most 2000 characters") }
        store.press(.altEnter) { $0.message = alert("The prompt is full: it holds at most 2000 characters") }
        store.edit(.backspace) {
            $0.prompt = String(filled.dropLast())
            $0.cursor = limit - 1
            $0.message = nil
        }
        store.type("z")
        #expect(store.state.prompt.count == limit)
    }

    @Test("a paste waits while a question is asked: y or n answers it, not text")
    func pasteDuringAQuestion() {
        var store = TestStore(initial: studio {
            $0.confirmation = .quit
            $0.message = info("1 job is running: quit anyway? (y/n)")
        })
        store.send(.paste("yes"))
    }

    @Test("characters read in one burst do what pressing each does: into the prompt as one edit, or keys elsewhere")
    func typedBurst() {
        var store = TestStore(initial: studio { $0.prompt = "ab"; $0.cursor = 1; $0.message = info("old news") })
        store.send(.typed("xyz"), effects: [.interpret(request(for: studio { $0.prompt = "axyzb" }))]) {
            $0.prompt = "axyzb"
            $0.cursor = 4
            $0.message = nil
        }
        // Past the limit: what fits goes in, then the prompt is full, as key by key.
        let limit = StudioReducer.promptLimit
        var full = TestStore(initial: studio { $0.prompt = String(repeating: "a", count: limit - 2); $0.cursor = limit - 2 })
        let filled = String(repeating: "a", count: limit - 2) + "bc"
        full.send(.typed("bcd"), effects: [.interpret(request(for: studio { $0.prompt = filled }))]) {
            $0.prompt = filled
            $0.cursor = limit
            $0.message = alert("The prompt is full: it holds at most 2000 characters")
        }

        // Outside the prompt each character is the key it is: "1" rates, "p" picks.
        var jobs = TestStore(initial: studioWithBatch())
        jobs.send(.typed("1p"), effects: [.rate(takeID: "j1-2", stars: 1), .pick(takeID: "j1-2")]) {
            $0.jobs[0].takes[0].rating = 1
            for index in $0.jobs[0].takes.indices { $0.jobs[0].takes[index].picked = $0.jobs[0].takes[index].id == "j1-2" }
            $0.message = info("Picked j1-2")
        }
    }
}
