import RiffleCore
import RiffleStudio
import RiffleTestSupport
import Testing

@Suite("The studio's reducer: jobs and their takes")
struct StudioJobsTests {
    @Test("opening on a library selects the newest job's best take and loads its waveform")
    func opens() {
        var store = TestStore(initial: StudioState(width: 120, height: 40))
        store.send(.jobsLoaded([Fixtures.finished, Fixtures.queued]), effects: [.loadWaveform(takeID: "j1-2")]) {
            $0.jobs = [Fixtures.finished, Fixtures.queued]
            $0.selection = .take(jobID: "j1", takeID: "j1-2")
            // The library's prompts are the history, oldest first: ↑ brings back the last one used.
            $0.history = [Fixtures.queued.prompt, Fixtures.finished.prompt]
        }
        store.send(.waveformLoaded(batchWaveform)) { $0.waveform = batchWaveform }
        store.send(.enginesListed(Fixtures.engines)) { $0.engines = Fixtures.engines }  // listed at start too, off the UI thread
        #expect(store.state == studioWithBatch(focus: .prompt) { $0.jobs.append(Fixtures.queued); $0.history = [Fixtures.queued.prompt, Fixtures.finished.prompt] })
        // Loaded again (the library re-read), the highlight and the history stay as they are.
        store.send(.jobsLoaded([Fixtures.finished])) { $0.jobs = [Fixtures.finished] }
        store.edit(.up) {
            $0.prompt = Fixtures.finished.prompt
            $0.cursor = Fixtures.finished.prompt.count
            $0.historyIndex = 1
        }
    }

    @Test("the history from the library keeps each prompt once, where it was last used, and only batches' prompts")
    func historyFromTheLibrary() {
        let jobs = [JobItem(id: "j5", prompt: "b", status: .completed), JobItem(id: "j4", kind: "repaint", prompt: "c", status: .completed),
                    JobItem(id: "j3", prompt: "a", status: .failed), JobItem(id: "j2", prompt: "b", status: .completed),
                    JobItem(id: "j1", prompt: "z", status: .interrupted)]
        var store = TestStore(initial: studio())
        store.send(.jobsLoaded(jobs)) {
            $0.jobs = jobs
            $0.selection = .job("j5")
            $0.history = ["z", "a", "b"]
        }
    }

    @Test("a new job is selected; progress shows; its takes unfold, best first, and the best is selected")
    func jobLifecycle() {
        var store = TestStore(initial: studioWithBatch())
        let pending = JobItem(id: "j2", prompt: "techno", status: .pending)
        store.send(.jobAdded(pending)) {
            $0.jobs.insert(pending, at: 0)
            $0.selection = .job("j2")
        }
        #expect(store.state.runningJobs == 1)
        store.send(.jobUpdated(JobProgress(jobID: "j2", status: .processing, fraction: 0.5, stage: "rendering", secondsLeft: 2))) {
            $0.jobs[0].status = .processing
            $0.jobs[0].fraction = 0.5
            $0.jobs[0].stage = "rendering"
            $0.jobs[0].secondsLeft = 2
        }
        let takes = [TakeItem(id: "j2-3", variation: 2, seed: 9, score: 0.9, rating: nil, picked: false, duration: 30),
                     TakeItem(id: "j2-1", variation: 0, seed: 7, score: 0.8, rating: nil, picked: false, duration: 30)]
        store.send(.takesLoaded(jobID: "j2", takes), effects: [.loadWaveform(takeID: "j2-3")]) {
            $0.jobs[0].takes = takes
            $0.jobs[0].expanded = true
            $0.selection = .take(jobID: "j2", takeID: "j2-3")
            $0.waveform = nil  // the old take's waveform is not shown for the new one
        }
        let waveform = Fixtures.waveform("j2-3", seconds: 5)
        store.send(.waveformLoaded(waveform)) { $0.waveform = waveform }
        store.send(.jobUpdated(JobProgress(jobID: "j2", status: .completed, fraction: 1, stage: "completed"))) {
            $0.jobs[0].status = .completed
            $0.jobs[0].fraction = 1
            $0.jobs[0].stage = "completed"
            $0.jobs[0].secondsLeft = nil
            // Done: the studio says how to listen, with keys that work in this pane.
            $0.message = .init(text: "2 takes ready, best first: Space plays the best, [ ] compare", isError: false, job: "j2")
        }
        #expect(store.state.runningJobs == 0)
        store.press(.tab) {
            $0.focus = .waveform
            $0.message = nil
        }
        store.press(.tab) { $0.focus = .prompt }
        store.send(.takesLoaded(jobID: "j2", takes)) {  // in the prompt, where Space types, Ctrl-P plays
            $0.message = .init(text: "2 takes ready, best first: Ctrl-P plays the best · in Jobs, [ ] compare", isError: false, job: "j2")
        }
        store.send(.jobUpdated(JobProgress(jobID: "gone", status: .failed, fraction: 0, stage: "failed")))  // not listed: ignored
        store.send(.takesLoaded(jobID: "gone", takes))
    }

    @Test("takes arriving one at a time: the batch unfolds once; on its job row, the best take is highlighted as it comes")
    func takesArriving() {
        var store = TestStore(initial: studioWithBatch { $0.jobs.insert(Fixtures.running, at: 0) })
        let first = TakeItem(id: "j2-1", variation: 0, seed: 7, score: 0.5, rating: nil, picked: false, duration: 30)
        let better = TakeItem(id: "j2-2", variation: 1, seed: 8, score: 0.9, rating: nil, picked: false, duration: 30)
        store.send(.takesLoaded(jobID: "j2", [first])) {  // not the selected job: the highlight stays
            $0.jobs[0].takes = [first]
            $0.jobs[0].expanded = true
        }
        store.press(.home, effects: [.loadWaveform(takeID: "j2-1")]) {  // the job row shows its best take
            $0.selection = .job("j2")
            $0.waveform = nil
        }
        store.send(.takesLoaded(jobID: "j2", [better, first]), effects: [.loadWaveform(takeID: "j2-2")]) {
            $0.jobs[0].takes = [better, first]
            $0.selection = .take(jobID: "j2", takeID: "j2-2")
        }
        // The highlighted take gone from the library's list: the highlight goes to the best one left.
        store.send(.takesLoaded(jobID: "j2", [first]), effects: [.loadWaveform(takeID: "j2-1")]) {
            $0.jobs[0].takes = [first]
            $0.selection = .take(jobID: "j2", takeID: "j2-1")
        }
    }

    @Test("a take arriving for a folded job leaves its job row highlighted, a row the pane shows")
    func takeArrivingFolded() {
        var state = studioWithBatch { $0.jobs.insert(Fixtures.running, at: 0) }
        let first = TakeItem(id: "j2-1", variation: 0, seed: 7, score: 0.5, rating: nil, picked: false, duration: 30)
        _ = StudioReducer.reduce(&state, .takesLoaded(jobID: "j2", [first]))
        _ = StudioReducer.reduce(&state, .key(.home))
        _ = StudioReducer.reduce(&state, .key(.enter))  // folds j2
        #expect(state.selection == .job("j2") && !state.jobs[0].expanded)
        _ = StudioReducer.reduce(&state, .takesLoaded(jobID: "j2", [first]))
        #expect(state.selection == .job("j2"), "the job the user folded stays highlighted")
        #expect(state.selection.map(state.jobRows.contains) == true)
    }

    @Test("a failed job says why in the status bar, as an error")
    func failure() {
        var store = TestStore(initial: studioWithBatch())
        let job = JobItem(id: "j2", prompt: "x", status: .pending)
        store.send(.jobAdded(job)) {
            $0.jobs.insert(job, at: 0)
            $0.selection = .job("j2")
        }
        store.send(.jobUpdated(JobProgress(jobID: "j2", status: .failed, fraction: 0.1, stage: "failed", error: "SoundFont gone"))) {
            $0.jobs[0].status = .failed
            $0.jobs[0].fraction = 0.1
            $0.jobs[0].stage = "failed"
            $0.jobs[0].error = "SoundFont gone"
            $0.message = alert("Job failed: SoundFont gone")
        }
    }

    @Test("a waveform arriving for a take no longer selected is dropped")
    func staleWaveform() {
        var store = TestStore(initial: studioWithBatch())
        store.send(.waveformLoaded(Fixtures.waveform("j1-3", seconds: 5)))
    }

    @Test("a cached answer brings its job back to the top, once, with its best take selected and its waveform asked for")
    func cachedJobAdded() {
        var store = TestStore(initial: studio {
            $0.focus = .jobs
            $0.jobs = [Fixtures.running, Fixtures.finished]
            $0.selection = .job("j2")
        })
        store.send(.jobAdded(Fixtures.finished), effects: [.loadWaveform(takeID: "j1-2")]) {
            $0.jobs = [Fixtures.finished, Fixtures.running]
            $0.selection = .take(jobID: "j1", takeID: "j1-2")
        }
        #expect(store.state.jobRows.filter { $0 == .job("j1") }.count == 1)
        // Already at the top and shown: the library's copy replaces the row; nothing to load.
        var rated = Fixtures.finished
        rated.takes[0].rating = 5
        store.send(.waveformLoaded(batchWaveform)) { $0.waveform = batchWaveform }
        store.send(.jobAdded(rated)) { $0.jobs[0] = rated }
    }

    @Test("a refused job leaves the list, the highlight moves to the top row, and the reason shows as an error")
    func jobRemoved() {
        let edit = JobItem(id: "j4", kind: "repaint", prompt: "add strings", status: .pending)
        var store = TestStore(initial: studio {
            $0.focus = .jobs
            $0.jobs = [edit, Fixtures.finished]
            $0.selection = .job("j4")
        })
        store.send(.jobRemoved(jobID: "j4", reason: "the region is past the take's end"), effects: [.loadWaveform(takeID: "j1-2")]) {
            $0.jobs = [Fixtures.finished]
            $0.selection = .job("j1")
            $0.message = alert("Not done: the region is past the take's end")
        }
        // Another job's removal leaves the highlight where it is.
        var other = TestStore(initial: studioWithBatch { $0.jobs.insert(edit, at: 0) })
        other.send(.jobRemoved(jobID: "j4", reason: "cancelled")) {
            $0.jobs = [Fixtures.finished]
            $0.message = alert("Not done: cancelled")
        }
        // The last job gone: nothing is highlighted.
        var last = TestStore(initial: studio {
            $0.jobs = [edit]
            $0.selection = .job("j4")
        })
        last.send(.jobRemoved(jobID: "j4", reason: "no such take")) {
            $0.jobs = []
            $0.selection = nil
            $0.message = alert("Not done: no such take")
        }
    }

    @Test("stems made for the shown take: the message says where, and its waveform is loaded again with their lanes")
    func stemsMade() {
        var store = TestStore(initial: studioWithBatch())
        store.send(.stemsMade(takeID: "j1-2", folder: "/tmp/stems/j1-2"), effects: [.loadWaveform(takeID: "j1-2")]) {
            $0.message = info("Stems of j1-2 in /tmp/stems/j1-2: ↑↓ in the waveform choose one, s solos, M mutes")
            $0.waveform = nil
        }
        store.send(.stemsMade(takeID: "j1-3", folder: "/tmp/stems/j1-3")) {  // another take: only the message
            $0.message = info("Stems of j1-3 in /tmp/stems/j1-3: ↑↓ in the waveform choose one, s solos, M mutes")
        }
    }

    @Test("↑↓ move through jobs and takes, loading each take's waveform; Enter folds a job and plays a take")
    func navigation() {
        var store = TestStore(initial: studioWithBatch())
        store.press(.down, effects: [.loadWaveform(takeID: "j1-1")]) {
            $0.selection = .take(jobID: "j1", takeID: "j1-1")
            $0.waveform = nil
        }
        store.press(.up, effects: [.loadWaveform(takeID: "j1-2")]) { $0.selection = .take(jobID: "j1", takeID: "j1-2") }
        store.send(.waveformLoaded(batchWaveform)) { $0.waveform = batchWaveform }
        store.press(.up) { $0.selection = .job("j1") }  // the job row shows its best take, already loaded
        store.press(.up)  // the first row
        store.press(.enter) { $0.jobs[0].expanded = false }
        #expect(store.state.jobRows == [.job("j1")])
        store.press(.down)  // the last row
        store.press(.right) { $0.jobs[0].expanded = true }
        store.press(.right)  // already unfolded
        store.press(.down) { $0.selection = .take(jobID: "j1", takeID: "j1-2") }
        store.press(.down, effects: [.loadWaveform(takeID: "j1-1")]) {
            $0.selection = .take(jobID: "j1", takeID: "j1-1")
            $0.waveform = nil
        }
        store.press(.enter, effects: [.play(takeID: "j1-1", from: 0)]) {
            $0.playback.takeID = "j1-1"
            $0.playback.isPlaying = true
        }
        store.press(.left, effects: [.loadWaveform(takeID: "j1-2"), .switchTake("j1-2")]) {  // ← goes up to its job: its best take
            $0.selection = .job("j1")
            $0.playback.takeID = "j1-2"
        }
        store.press(.left) { $0.jobs[0].expanded = false }
    }

    @Test("Home, End, PageUp and PageDown jump through the rows")
    func jumps() {
        var store = TestStore(initial: studioWithBatch { $0.jobs.append(Fixtures.queued) })
        store.press(.end) { $0.selection = .job("j3") }
        store.press(.home) { $0.selection = .job("j1") }
        store.press(.pageDown) { $0.selection = .job("j3") }
        store.press(.pageUp) { $0.selection = .job("j1") }
    }

    @Test("1-5 rate the selected take and p picks it (and no other take of its batch)")
    func rateAndPick() {
        var store = TestStore(initial: studioWithBatch())
        store.press(.down, effects: [.loadWaveform(takeID: "j1-1")]) {
            $0.selection = .take(jobID: "j1", takeID: "j1-1")
            $0.waveform = nil
        }
        store.press(.character("5"), effects: [.rate(takeID: "j1-1", stars: 5)]) {
            $0.jobs[0].takes[1].rating = 5
            $0.message = info("j1-1: ★★★★★")
        }
        store.press(.character("p"), effects: [.pick(takeID: "j1-1")]) {
            $0.jobs[0].takes[0].picked = false
            $0.jobs[0].takes[1].picked = true
            $0.message = info("Picked j1-1")
        }
        #expect(store.state.jobs[0].takes.map(\.picked) == [false, true, false])
    }

    @Test("with no take selected, rating, picking and the menu say how to choose one")
    func noTakeSelected() {
        var store = TestStore(initial: studio {
            $0.focus = .jobs
            $0.jobs = [Fixtures.running]
            $0.selection = .job("j2")
        })
        for key in [Key.character("1"), .character("p"), .character("m"), .character("["), .character(" ")] {
            store.press(key) { $0.message = info("No take selected: choose one in the jobs pane") }
        }
    }

    @Test("c cancels the selected job while it runs, and says so when it has finished")
    func cancel() {
        var store = TestStore(initial: studioWithBatch())
        store.press(.character("c")) { $0.message = info("j1 is completed, not running") }
        store.send(.jobAdded(Fixtures.running)) {  // news leaves the message
            $0.jobs.insert(Fixtures.running, at: 0)
            $0.selection = .job("j2")
        }
        store.press(.character("c"), effects: [.cancel(jobID: "j2")]) {
            $0.message = .init(text: "Cancelling j2…", isError: false, job: "j2")
        }
        // Once the job has stopped, the status bar says so instead of "Cancelling…".
        store.send(.jobUpdated(JobProgress(jobID: "j2", status: .cancelled, fraction: 0.42, stage: "cancelled"))) {
            $0.jobs[0].status = .cancelled
            $0.jobs[0].stage = "cancelled"
            $0.jobs[0].secondsLeft = nil
            $0.message = .init(text: "Cancelled j2: its finished takes are kept, r in Jobs makes the rest", isError: false, job: "j2")
        }
    }

    @Test("the last take of a job deleted: the job's row goes too (the library deleted it), the highlight moves on")
    func lastTakeDeleted() {
        let single = JobItem(id: "j4", prompt: "one take", status: .completed, fraction: 1, stage: "completed",
                             takes: [TakeItem(id: "j4-1", variation: 0, seed: 1, score: 0.9, rating: nil, picked: false, duration: 30)],
                             expanded: true)
        var store = TestStore(initial: studioWithBatch { state in
            state.jobs.insert(single, at: 0)
            state.selection = .take(jobID: "j4", takeID: "j4-1")
            state.waveform = Fixtures.waveform("j4-1", seconds: 5)
        })
        store.send(.takeDeleted("j4-1")) {
            $0.jobs[0].takes = []
            $0.selection = .job("j4")
            $0.waveform = nil
        }
        store.send(.jobDeleted("j4"), effects: [.loadWaveform(takeID: "j1-2")]) {
            $0.jobs.removeFirst()
            $0.selection = .job("j1")
        }
        store.send(.jobDeleted("j4"))  // already gone: nothing
    }

    @Test("r resumes a failed, cancelled or interrupted batch", arguments: [JobStatus.failed, .cancelled, .interrupted])
    func resume(status: JobStatus) {
        var stopped = Fixtures.running
        stopped.status = status
        var store = TestStore(initial: studioWithBatch { $0.jobs.insert(stopped, at: 0) })
        store.press(.up) { $0.selection = .job("j1") }
        store.press(.up) { $0.selection = .job("j2") }
        store.press(.character("r"), effects: [.resumeJob(jobID: "j2")]) {
            $0.message = info("Resuming j2: making its missing takes with their own seeds")
        }
    }

    @Test("r finishes a completed batch that lost takes to failures, as the command line's resume does; a whole one is refused")
    func resumePartialBatch() {
        var partial = Fixtures.finished
        partial.expectedTakes = 4
        var store = TestStore(initial: studioWithBatch { $0.jobs = [partial] })
        store.press(.home) { $0.selection = .job("j1") }
        store.press(.character("r"), effects: [.resumeJob(jobID: "j1")]) {
            $0.message = info("Resuming j1: making its missing takes with their own seeds")
        }
        var whole = Fixtures.finished
        whole.expectedTakes = 3
        var complete = TestStore(initial: studioWithBatch { $0.jobs = [whole] })
        complete.press(.home) { $0.selection = .job("j1") }
        complete.press(.character("r")) {
            $0.message = info("Only a failed, cancelled or interrupted batch, or one missing takes, can be resumed")
        }
    }

    @Test("r on a finished, running or edit job only says what can be resumed")
    func resumeRefused() {
        let message = info("Only a failed, cancelled or interrupted batch, or one missing takes, can be resumed")
        var store = TestStore(initial: studioWithBatch())
        store.press(.character("r")) { $0.message = message }  // on a take of a completed batch
        store.press(.home) {
            $0.selection = .job("j1")
            $0.message = nil
        }
        store.press(.character("r")) { $0.message = message }
        var edit = TestStore(initial: studio {
            $0.focus = .jobs
            $0.jobs = [JobItem(id: "j5", kind: "extend", prompt: "x", status: .failed), Fixtures.running]
            $0.selection = .job("j5")
        })
        edit.press(.character("r")) { $0.message = message }
        edit.press(.down) {
            $0.selection = .job("j2")
            $0.message = nil
        }
        edit.press(.character("r")) { $0.message = message }
    }
}
