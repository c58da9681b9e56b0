import RiffleCore
import RiffleStudio
import RiffleTestSupport
import Testing

@discardableResult
private func send(_ actions: [StudioAction], _ state: inout StudioState) -> [StudioEffect] {
    actions.flatMap { StudioReducer.reduce(&state, $0) }
}

@discardableResult
private func press(_ keys: [Key], _ state: inout StudioState) -> [StudioEffect] {
    send(keys.map { .key($0) }, &state)
}

/// The studio with a running job above a finished batch, its best take selected and its waveform loaded.
private func studioWithBatch(focus: Pane = .jobs) -> StudioState {
    var state = StudioState(width: 120, height: 40)
    state.focus = focus
    send([.jobsLoaded([Fixtures.finished]), .waveformLoaded(Fixtures.waveform("j1-2"))], &state)
    return state
}

@Suite("The studio's reducer: jobs, takes, playback and the action menu")
struct StudioJobsReducerTests {
    @Test("opening on a library selects the newest job's best take and loads its waveform")
    func opens() {
        var state = StudioState(width: 120, height: 40)
        let effects = send([.jobsLoaded([Fixtures.finished])], &state)
        #expect(state.selection == .take(jobID: "j1", takeID: "j1-2"))
        #expect(effects == [.loadWaveform(takeID: "j1-2")])
    }

    @Test("a new job is selected; progress shows; its takes unfold, best first, and the best is selected")
    func jobLifecycle() {
        var state = studioWithBatch()
        send([.jobAdded(JobItem(id: "j2", prompt: "techno", status: .pending))], &state)
        #expect(state.jobs.map(\.id) == ["j2", "j1"] && state.selection == .job("j2"))
        #expect(state.runningJobs == 1)
        send([.jobUpdated(JobProgress(jobID: "j2", status: .processing, fraction: 0.5, stage: "rendering", secondsLeft: 2))], &state)
        #expect(state.jobs[0].status == .processing && state.jobs[0].fraction == 0.5 && state.jobs[0].secondsLeft == 2)
        let takes = [TakeItem(id: "j2-3", variation: 2, seed: 9, score: 0.9, rating: nil, picked: false, duration: 30),
                     TakeItem(id: "j2-1", variation: 0, seed: 7, score: 0.8, rating: nil, picked: false, duration: 30)]
        let effects = send([.takesLoaded(jobID: "j2", takes)], &state)
        #expect(state.jobs[0].expanded && state.selection == .take(jobID: "j2", takeID: "j2-3"))
        #expect(effects == [.loadWaveform(takeID: "j2-3")])
        #expect(state.waveform == nil, "the old take's waveform is not shown for the new one")
        send([.jobUpdated(JobProgress(jobID: "j2", status: .completed, fraction: 1, stage: "completed"))], &state)
        #expect(state.runningJobs == 0)
        state.focus = .prompt
        send([.takesLoaded(jobID: "j2", takes)], &state)
        #expect(state.message?.text.hasPrefix("2 takes ready") == true, "from the prompt, the studio says how to listen")
    }

    @Test("a failed job says why in the status bar, as an error")
    func failure() {
        var state = studioWithBatch()
        send([.jobAdded(JobItem(id: "j2", prompt: "x", status: .pending)),
              .jobUpdated(JobProgress(jobID: "j2", status: .failed, fraction: 0.1, stage: "failed", error: "SoundFont gone"))], &state)
        #expect(state.message == .init(text: "Job failed: SoundFont gone", isError: true))
        #expect(state.jobs[0].error == "SoundFont gone")
    }

    @Test("a waveform arriving for a take no longer selected is dropped")
    func staleWaveform() {
        var state = studioWithBatch()
        send([.waveformLoaded(Fixtures.waveform("j1-3"))], &state)
        #expect(state.waveform?.takeID == "j1-2")
    }

    @Test("↑↓ move through jobs and takes, loading each take's waveform; Enter folds a job and plays a take")
    func navigation() {
        var state = studioWithBatch()
        #expect(press([.down], &state) == [.loadWaveform(takeID: "j1-1")])
        #expect(state.selection == .take(jobID: "j1", takeID: "j1-1"))
        press([.up, .up], &state)
        #expect(state.selection == .job("j1"))
        press([.enter], &state)
        #expect(!state.jobs[0].expanded && state.jobRows == [.job("j1")])
        press([.enter, .down, .down], &state)
        #expect(state.selection == .take(jobID: "j1", takeID: "j1-1"))
        #expect(press([.enter], &state) == [.play(takeID: "j1-1", from: 0)])
        #expect(state.playback.takeID == "j1-1" && state.playback.isPlaying)
    }

    @Test("Space plays the selected take, then pauses and resumes it; the player's reports move the playhead")
    func playPause() {
        var state = studioWithBatch()
        #expect(press([.character(" ")], &state) == [.play(takeID: "j1-2", from: 0)])
        send([.playback(takeID: "j1-2", position: 12.5, playing: true)], &state)
        #expect(state.playback.position == 12.5)
        #expect(press([.character(" ")], &state) == [.pause])
        #expect(!state.playback.isPlaying)
        #expect(press([.character(" ")], &state) == [.resume])
        send([.playback(takeID: "j1-2", position: 30, playing: false)], &state)
        #expect(!state.playback.isPlaying, "the end of the take stops the play state")
        send([.playback(takeID: "other", position: 3, playing: true)], &state)
        #expect(state.playback.position == 30, "a report about another take is ignored")
    }

    @Test("[ and ] switch to the neighbouring take at the same position while playing (A/B)")
    func abSwitch() {
        var state = studioWithBatch(focus: .waveform)
        press([.character(" ")], &state)
        send([.playback(takeID: "j1-2", position: 9.25, playing: true)], &state)
        let effects = press([.character("]")], &state)
        #expect(effects == [.loadWaveform(takeID: "j1-1"), .switchTake("j1-1")])
        #expect(state.selection == .take(jobID: "j1", takeID: "j1-1") && state.playback.takeID == "j1-1")
        #expect(state.playback.position == 9.25 && state.playback.isPlaying)
        press([.character("]"), .character("]")], &state)
        #expect(state.selection?.takeID == "j1-3", "] stops at the last take")
        press([.character("[")], &state)
        #expect(state.selection?.takeID == "j1-1")
    }

    @Test("1-5 rate the selected take and p picks it (and no other take of its batch)")
    func rateAndPick() {
        var state = studioWithBatch()
        press([.down], &state)
        #expect(press([.character("5")], &state) == [.rate(takeID: "j1-1", stars: 5)])
        #expect(state.jobs[0].takes[1].rating == 5)
        #expect(press([.character("p")], &state) == [.pick(takeID: "j1-1")])
        #expect(state.jobs[0].takes.map(\.picked) == [false, true, false])
    }

    @Test("c cancels the selected job while it runs, and says so when it has finished")
    func cancel() {
        var state = studioWithBatch()
        #expect(press([.character("c")], &state).isEmpty)
        #expect(state.message?.text.contains("completed") == true)
        send([.jobAdded(Fixtures.running)], &state)
        #expect(press([.character("c")], &state) == [.cancel(jobID: "j2")])
    }

    @Test("no audio device: the studio says so once, and Space explains instead of playing")
    func noAudio() {
        var state = studioWithBatch()
        send([.audioUnavailable("cannot open the audio device \"default\"")], &state)
        #expect(state.message?.isError == true && state.message?.text.contains("Everything else works") == true)
        #expect(press([.character(" ")], &state).isEmpty)
        #expect(state.message?.text.hasPrefix("No sound") == true)
        #expect(press([.character("3")], &state) == [.rate(takeID: "j1-2", stars: 3)], "everything else still works")
    }

    @Test("in the waveform, ←→ move the playhead (seeking the player when the take is loaded); Shift selects a region; l loops it; Esc clears it")
    func waveformKeys() {
        var state = studioWithBatch(focus: .waveform)
        #expect(press([.right, .right], &state).isEmpty, "nothing playing: the cursor moves, nothing to seek")
        #expect(state.playback.position == 2)
        press([.character(" ")], &state)
        #expect(press([.right], &state) == [.seek(3)])
        press([.shiftRight, .shiftRight, .shiftRight], &state)
        #expect(state.playback.region == 3...6)
        press([.shiftLeft], &state)
        #expect(state.playback.region == 3...5)
        #expect(press([.character("l")], &state) == [.setLoop(3...5)])
        #expect(state.playback.looping)
        #expect(press([.shiftRight], &state) == [.setLoop(3...6)], "a looping region follows the selection")
        #expect(press([.escape], &state) == [.setLoop(nil)])
        #expect(state.playback.region == nil && !state.playback.looping)
        #expect(press([.character("l")], &state).isEmpty)
        #expect(state.message?.text.contains("Select a region") == true)
    }

    @Test("s solos and M mutes the stem under the cursor; the player silences the rest")
    func soloAndMute() {
        var state = studioWithBatch(focus: .waveform)
        press([.down], &state)
        #expect(state.playback.stemCursor == 1)
        #expect(press([.character("s")], &state) == [.setMuted([0, 2, 3, 4])])
        press([.down], &state)
        #expect(press([.character("s")], &state) == [.setMuted([0, 3, 4])])
        #expect(press([.character("M")], &state) == [.setMuted([0, 2, 3, 4])], "muting a soloed stem silences it")
        press([.character("s"), .up], &state)
        #expect(press([.character("s")], &state) == [.setMuted([2])])
    }

    @Test("m opens the actions for the selected take, greying out repaint until there is a region")
    func menu() {
        var state = studioWithBatch()
        state.presets = [PresetItem(name: "techno", title: "Techno", tempo: 128, timeSignature: nil, guidance: 3)]
        press([.character("m")], &state)
        let menu = try! #require(state.menu)
        #expect(menu.takeID == "j1-2")
        #expect(menu.items.map(\.action) == TakeMenu.Action.allCases)
        #expect(menu.items[0].unavailable?.contains("select a region") == true)
        #expect(menu.selected == 1, "the first thing that can be done is highlighted")
        #expect(press([.up, .enter], &state).isEmpty)
        #expect(state.message?.text.contains("Repaint region") == true && state.menu != nil)
        #expect(press([.down, .enter], &state) == [.extend(takeID: "j1-2", seconds: 30)])
        #expect(state.menu == nil)
        press([.character("m"), .down, .enter], &state)
        press([.character("m"), .down, .down, .enter], &state)
        #expect(state.menu == nil)
        #expect(press([.character("m"), .down, .down, .down, .down, .enter], &state).isEmpty)
        #expect(state.confirmation == .deleteTake("j1-2"))
        #expect(press([.character("y")], &state) == [.delete(takeID: "j1-2")])
        #expect(send([.takeDeleted("j1-2")], &state) == [.loadWaveform(takeID: "j1-1")])
        #expect(state.jobs[0].takes.map(\.id) == ["j1-1", "j1-3"] && state.selectedTake?.id == "j1-1")
        press([.character("m"), .escape], &state)
        #expect(state.menu == nil)
    }

    @Test("the menu's restyle uses the chosen genre, repaint the region and a new prompt")
    func menuEdits() {
        var state = studioWithBatch(focus: .waveform)
        state.presets = [PresetItem(name: "jazz", title: "Jazz", tempo: 140, timeSignature: nil, guidance: 3)]
        press([.right, .right, .shiftRight, .shiftRight, .shiftRight], &state)
        state.prompt = "add a saxophone solo"
        #expect(press([.character("m"), .enter], &state) == [.repaint(takeID: "j1-2", from: 2, to: 5, prompt: "add a saxophone solo")])
        #expect(press([.character("m"), .down, .down, .enter], &state) == [.restyle(takeID: "j1-2", genre: "jazz")])
    }

    @Test("choosing a genre preset sets the sliders' defaults; choosing it again goes back to the prompt's genre")
    func presets() {
        var state = StudioState(width: 80, height: 24)
        state.focus = .presets
        state.presets = [PresetItem(name: "ambient", title: "Ambient", tempo: 70, timeSignature: TimeSignature("4/4"), guidance: 2.5),
                         PresetItem(name: "waltz", title: "Waltz", tempo: 150, timeSignature: TimeSignature("3/4"), guidance: 4)]
        let effects = press([.down, .enter], &state)
        #expect(state.parameters.genre == "waltz" && state.parameters.tempo == 150 && state.parameters.timeSignature == TimeSignature("3/4"))
        // Guidance stays auto: normalising the request gives the genre's own, as on the command line.
        #expect(state.parameters.guidance == nil)
        guard case .interpret(let request) = effects.first else { Issue.record("no interpret effect"); return }
        #expect(request.genre == "waltz" && request.tempo == 150 && request.guidanceScale == nil)
        press([.enter], &state)
        #expect(state.parameters.genre == nil)
    }
}
