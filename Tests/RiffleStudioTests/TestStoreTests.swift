import RiffleCore
import RiffleStudio
import RiffleTestSupport
import Testing

/// The store is what makes the reducer's tests exhaustive: these show it fails a step that leaves
/// something unasserted, and passes one that asserts everything.
@Suite("The exhaustive test store")
struct TestStoreTests {
    /// Whether `issue` is the store's, and its text says `text`.
    private static func says(_ issue: Issue, _ text: String) -> Bool {
        issue.comments.contains { $0.rawValue.contains(text) }
    }

    @Test("a state change the step does not assert, or asserts wrongly, fails; the complete assertion passes")
    func unassertedState() {
        var store = TestStore(initial: studio())
        withKnownIssue("Tab moves the focus, and the step does not say so") {
            store.press(.tab)
        } matching: { Self.says($0, "focus: prompt ≠ presets") }
        #expect(store.state.focus == .presets, "the store goes on from the reducer's state")
        withKnownIssue("the step expects the wrong pane") {
            store.press(.tab) { $0.focus = .waveform }
        } matching: { Self.says($0, "focus: waveform ≠ parameters") }
        store.press(.tab) { $0.focus = .jobs }
    }

    @Test("a message left unasserted fails the step: every key press clears it")
    func unassertedMessage() {
        var store = TestStore(initial: studio { $0.message = .init(text: "Deleted j1-2", isError: false) })
        withKnownIssue {
            store.press(.tab) { $0.focus = .presets }
        } matching: { Self.says($0, "  message: Message(text: \"Deleted j1-2\", isError: false, job: nil) ≠ nil") }
        store.send(.notice("Deleted j1-2", isError: false)) { $0.message = info("Deleted j1-2") }
        store.press(.tab) {
            $0.focus = .parameters
            $0.message = nil
        }
    }

    @Test("an effect the step does not assert, one it expects but does not get, or the right ones in the wrong order, fail")
    func unassertedEffects() {
        var store = TestStore(initial: studio())
        withKnownIssue("typing asks to interpret the prompt") {
            store.press(.character("x")) {
                $0.prompt = "x"
                $0.cursor = 1
            }
        } matching: { Self.says($0, "not asserted: [interpret(") }
        store.press(.character("y"), effects: [.interpret(GenerationRequest(prompt: "xy", seed: 0, engine: "composer"))]) {
            $0.prompt = "xy"
            $0.cursor = 2
        }
        withKnownIssue("Tab asks for nothing") {
            store.press(.tab, effects: [.quit]) { $0.focus = .presets }
        } matching: { Self.says($0, "actual:   []") }

        var playing = TestStore(initial: studioWithBatch(focus: .waveform) { $0.playback.takeID = "j1-2" })
        withKnownIssue("] loads the waveform, then switches the player") {
            playing.press(.character("]"), effects: [.switchTake("j1-1"), .loadWaveform(takeID: "j1-1")]) {
                $0.selection = .take(jobID: "j1", takeID: "j1-1")
                $0.playback.takeID = "j1-1"
                $0.waveform = nil
            }
        } matching: { Self.says($0, "effects[0]: switchTake(\"j1-1\") ≠ loadWaveform(takeID: \"j1-1\")") }
    }

    @Test("the diff names the differing field inside an array's element, and the payload inside an effect")
    func diff() {
        let expected = studioWithBatch()
        var actual = expected
        actual.jobs[0].takes[1].rating = 5
        actual.playback.position = 2
        #expect(Diff.lines("", expected, actual) == ["  jobs[0].takes[1].rating: nil ≠ 5", "  playback.position: 0.0 ≠ 2.0"])
        var more = expected
        more.jobs.append(Fixtures.running)
        #expect(Diff.lines("", expected, more).first == "  jobs: 1 element ≠ 2")
        #expect(Diff.lines("", expected, expected).isEmpty)
        #expect(Diff.lines("effect", StudioEffect.play(takeID: "a", from: 1), StudioEffect.play(takeID: "a", from: 2))
            == ["  effect(play).from: 1.0 ≠ 2.0"])
        #expect(Diff.lines("waveform", expected.waveform as Any, nil as WaveformItemOrNil as Any)
            == ["  waveform: WaveformItem(takeID: \"j1-2\", 5 stems, 4 sections) ≠ nil"])
    }
}

private typealias WaveformItemOrNil = WaveformItem?
