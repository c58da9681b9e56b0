import RiffleCore
import RiffleStudio
import RiffleTestSupport
import Testing

@Suite("The studio's reducer: a finished batch is one key from being heard")
struct StudioFirstListenTests {
    private let takes = [TakeItem(id: "j2-2", variation: 1, seed: 8, score: 0.9, rating: nil, picked: false, duration: 30),
                         TakeItem(id: "j2-1", variation: 0, seed: 7, score: 0.5, rating: nil, picked: false, duration: 30)]

    /// The studio while batch j2 generates, its first take (the worse one) in and highlighted.
    private func generating(focus: Pane) -> StudioState {
        studio { state in
            state.focus = focus
            state.jobs = [JobItem(id: "j2", prompt: "techno", status: .processing, fraction: 0.6, stage: "rendering",
                                  takes: [takes[1]], expanded: true)]
            state.selection = .take(jobID: "j2", takeID: "j2-1")
            state.waveform = Fixtures.waveform("j2-1", seconds: 5)
        }
    }

    @Test("done while typing: the highlight goes to the best take and Ctrl-P, said in the status bar, plays it from the prompt")
    func fromThePrompt() {
        var store = TestStore(initial: generating(focus: .prompt))
        store.send(.takesLoaded(jobID: "j2", takes)) { $0.jobs[0].takes = self.takes }  // still running: no word yet
        store.send(.jobUpdated(JobProgress(jobID: "j2", status: .completed, fraction: 1, stage: "completed")),
                   effects: [.loadWaveform(takeID: "j2-2")]) {
            $0.jobs[0].status = .completed
            $0.jobs[0].fraction = 1
            $0.jobs[0].stage = "completed"
            $0.selection = .take(jobID: "j2", takeID: "j2-2")
            $0.waveform = nil
            $0.message = .init(text: "2 takes ready, best first: Ctrl-P plays the best · in Jobs, [ ] compare", isError: false, job: "j2")
        }
        store.press(.control("p"), effects: [.play(takeID: "j2-2", from: 0)]) {
            $0.message = nil
            $0.playback.takeID = "j2-2"
            $0.playback.isPlaying = true
        }
        store.press(.control("p"), effects: [.pause]) { $0.playback.isPlaying = false }  // and pauses, still in the prompt
        #expect(store.state.prompt.isEmpty && store.state.focus == .prompt)
    }

    @Test("the status and the last takes come in either order: the later word replaces the earlier; an error stays")
    func eitherOrder() {
        var store = TestStore(initial: generating(focus: .presets))
        store.send(.jobUpdated(JobProgress(jobID: "j2", status: .completed, fraction: 1, stage: "completed"))) {
            $0.jobs[0].status = .completed
            $0.jobs[0].fraction = 1
            $0.jobs[0].stage = "completed"
            $0.message = .init(text: "Take ready: Space plays it", isError: false, job: "j2")
        }
        store.send(.takesLoaded(jobID: "j2", takes), effects: [.loadWaveform(takeID: "j2-2")]) {
            $0.jobs[0].takes = self.takes
            $0.selection = .take(jobID: "j2", takeID: "j2-2")
            $0.waveform = nil
            $0.message = .init(text: "2 takes ready, best first: Space plays the best, [ ] compare", isError: false, job: "j2")
        }
        var failing = TestStore(initial: generating(focus: .presets).with { $0.message = alert("Cannot play j1-1: gone") })
        failing.send(.jobUpdated(JobProgress(jobID: "j2", status: .completed, fraction: 1, stage: "completed"))) {
            $0.jobs[0].status = .completed
            $0.jobs[0].fraction = 1
            $0.jobs[0].stage = "completed"
        }
    }

    @Test("listening to a take of the batch, or gone to another job, the highlight stays and the word says so")
    func highlightStays() {
        var listening = TestStore(initial: generating(focus: .jobs).with { $0.playback.takeID = "j2-1"; $0.playback.isPlaying = true })
        listening.send(.takesLoaded(jobID: "j2", takes)) { $0.jobs[0].takes = self.takes }
        listening.send(.jobUpdated(JobProgress(jobID: "j2", status: .completed, fraction: 1, stage: "completed"))) {
            $0.jobs[0].status = .completed
            $0.jobs[0].fraction = 1
            $0.jobs[0].stage = "completed"
            $0.message = .init(text: "j2: 2 takes ready, best first, in Jobs", isError: false, job: "j2")
        }
    }
}
