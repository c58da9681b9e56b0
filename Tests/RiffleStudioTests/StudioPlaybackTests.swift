import RiffleCore
import RiffleStudio
import RiffleTestSupport
import Testing

@Suite("The studio's reducer: playback and the waveform")
struct StudioPlaybackTests {
    @Test("Space plays the selected take, then pauses and resumes it; the player's reports move the playhead")
    func playPause() {
        var store = TestStore(initial: studioWithBatch())
        store.press(.character(" "), effects: [.play(takeID: "j1-2", from: 0)]) {
            $0.playback.takeID = "j1-2"
            $0.playback.isPlaying = true
        }
        store.send(.playback(takeID: "j1-2", position: 12.5, playing: true)) { $0.playback.position = 12.5 }
        store.press(.character(" "), effects: [.pause]) { $0.playback.isPlaying = false }
        store.press(.character(" "), effects: [.resume]) { $0.playback.isPlaying = true }
        store.send(.playback(takeID: "j1-2", position: 30, playing: false)) {  // the end of the take stops the play state
            $0.playback.position = 30
            $0.playback.isPlaying = false
        }
        store.send(.playback(takeID: "other", position: 3, playing: true))  // a report about another take is ignored
        store.press(.character(" "), effects: [.resume]) { $0.playback.isPlaying = true }  // the player starts over once it has ended
    }

    @Test("Space on a take not in the player starts it from the playhead, or from the start past its end")
    func playFromPlayhead() {
        var store = TestStore(initial: studioWithBatch(focus: .waveform) { $0.playback.position = 12 })
        store.press(.character(" "), effects: [.play(takeID: "j1-2", from: 12)]) {
            $0.playback.takeID = "j1-2"
            $0.playback.isPlaying = true
        }
        var past = TestStore(initial: studioWithBatch(focus: .waveform) { $0.playback.position = 30 })
        past.press(.character(" "), effects: [.play(takeID: "j1-2", from: 0)]) {
            $0.playback.takeID = "j1-2"
            $0.playback.isPlaying = true
            $0.playback.position = 0
        }
    }

    @Test("[ and ] switch to the neighbouring take at the same position while playing (A/B)")
    func abSwitch() {
        var store = TestStore(initial: studioWithBatch(focus: .waveform))
        store.press(.character(" "), effects: [.play(takeID: "j1-2", from: 0)]) {
            $0.playback.takeID = "j1-2"
            $0.playback.isPlaying = true
        }
        store.send(.playback(takeID: "j1-2", position: 9.25, playing: true)) { $0.playback.position = 9.25 }
        store.press(.character("]"), effects: [.loadWaveform(takeID: "j1-1"), .switchTake("j1-1")]) {
            $0.selection = .take(jobID: "j1", takeID: "j1-1")
            $0.playback.takeID = "j1-1"  // still playing, at 9.25
            $0.waveform = nil
        }
        store.press(.character("]"), effects: [.loadWaveform(takeID: "j1-3"), .switchTake("j1-3")]) {
            $0.selection = .take(jobID: "j1", takeID: "j1-3")
            $0.playback.takeID = "j1-3"
        }
        let waveform = Fixtures.waveform("j1-3", seconds: 5)
        store.send(.waveformLoaded(waveform)) { $0.waveform = waveform }
        store.press(.character("]"))  // ] stops at the last take
        store.press(.character("["), effects: [.loadWaveform(takeID: "j1-1"), .switchTake("j1-1")]) {
            $0.selection = .take(jobID: "j1", takeID: "j1-1")
            $0.playback.takeID = "j1-1"
            $0.waveform = nil
        }
    }

    @Test("[ and ] from a folded job's row unfold it and go to its best take; switching to a shorter take keeps the playhead within it")
    func abSwitchFromJobRow() {
        var short = Fixtures.finished
        short.takes[1].duration = 8
        short.expanded = false
        var store = TestStore(initial: studioWithBatch {
            $0.jobs = [short]
            $0.selection = .job("j1")
            $0.playback.takeID = "j1-2"
            $0.playback.isPlaying = true
            $0.playback.position = 20
        })
        store.press(.character("["), effects: []) {  // the best take, already the one shown and playing
            $0.jobs[0].expanded = true
            $0.selection = .take(jobID: "j1", takeID: "j1-2")
        }
        store.press(.character("]"), effects: [.loadWaveform(takeID: "j1-1"), .switchTake("j1-1")]) {
            $0.selection = .take(jobID: "j1", takeID: "j1-1")
            $0.playback.takeID = "j1-1"
            $0.playback.position = 8
            $0.waveform = nil
        }
    }

    @Test("no audio device: the studio says so once, and Space explains instead of playing")
    func noAudio() {
        var store = TestStore(initial: studioWithBatch())
        store.send(.audioUnavailable("cannot open the audio device \"default\"")) {
            $0.audioProblem = "cannot open the audio device \"default\""
            $0.message = alert("No sound: cannot open the audio device \"default\". Everything else works.")
        }
        store.press(.character(" ")) { $0.message = alert("No sound: cannot open the audio device \"default\"") }
        store.press(.enter)  // nor does Enter on a take play: the same message again
        store.press(.character("3"), effects: [.rate(takeID: "j1-2", stars: 3)]) {  // everything else still works
            $0.jobs[0].takes[0].rating = 3
            $0.message = info("j1-2: ★★★")
        }
    }

    @Test("the audio device lost while playing stops the play state")
    func audioLostWhilePlaying() {
        var store = TestStore(initial: studioWithBatch { $0.playback.takeID = "j1-2"; $0.playback.isPlaying = true })
        store.send(.audioUnavailable("device unplugged")) {
            $0.audioProblem = "device unplugged"
            $0.playback.isPlaying = false
            $0.message = alert("No sound: device unplugged. Everything else works.")
        }
        store.press(.character(" ")) { $0.message = alert("No sound: device unplugged") }
    }

    @Test("in the waveform, ←→ move the playhead (seeking the player when the take is loaded); Shift selects a region; l loops it; Esc clears it")
    func waveformKeys() {
        var store = TestStore(initial: studioWithBatch(focus: .waveform))
        store.press(.right) { $0.playback.position = 1 }  // nothing playing: the cursor moves, nothing to seek
        store.press(.right) { $0.playback.position = 2 }
        store.press(.character(" "), effects: [.play(takeID: "j1-2", from: 2)]) {
            $0.playback.takeID = "j1-2"
            $0.playback.isPlaying = true
        }
        store.press(.right, effects: [.seek(3)]) { $0.playback.position = 3 }
        store.press(.shiftRight) {
            $0.playback.regionAnchor = 3
            $0.playback.position = 4
            $0.playback.region = 3...4
        }
        store.press(.shiftRight) {
            $0.playback.position = 5
            $0.playback.region = 3...5
        }
        store.press(.shiftRight) {
            $0.playback.position = 6
            $0.playback.region = 3...6
        }
        store.press(.shiftLeft) {
            $0.playback.position = 5
            $0.playback.region = 3...5
        }
        store.press(.character("l"), effects: [.setLoop(3...5)]) { $0.playback.looping = true }
        store.press(.shiftRight, effects: [.setLoop(3...6)]) {  // a looping region follows the selection
            $0.playback.position = 6
            $0.playback.region = 3...6
        }
        store.press(.escape, effects: [.setLoop(nil)]) {
            $0.playback.region = nil
            $0.playback.regionAnchor = nil
            $0.playback.looping = false
        }
        store.press(.escape)  // nothing to clear
        store.press(.character("l")) { $0.message = info("Select a region first: Shift ←→ in the waveform") }
    }

    @Test("the playhead jumps by 10 s and to the ends, within the take; a plain move ends the region's anchor")
    func waveformJumps() {
        var store = TestStore(initial: studioWithBatch(focus: .waveform))
        store.press(.left)  // at the start already
        store.press(.pageDown) { $0.playback.position = 10 }
        store.press(.end) { $0.playback.position = 30 }
        store.press(.right)
        store.press(.pageUp) { $0.playback.position = 20 }
        store.press(.shiftLeft) {
            $0.playback.regionAnchor = 20
            $0.playback.position = 19
            $0.playback.region = 19...20
        }
        store.press(.end) {  // the region stays; its anchor goes
            $0.playback.position = 30
            $0.playback.regionAnchor = nil
        }
        store.press(.shiftLeft) {  // Shift again, away from the region: it stretches from its start to the playhead
            $0.playback.regionAnchor = 19
            $0.playback.position = 29
            $0.playback.region = 19...29
        }
    }

    @Test("a region shrunk to nothing is gone, and so is its loop")
    func regionCollapses() {
        var store = TestStore(initial: studioWithBatch(focus: .waveform) { $0.playback.takeID = "j1-2" })
        store.press(.shiftRight) {
            $0.playback.regionAnchor = 0
            $0.playback.position = 1
            $0.playback.region = 0...1
        }
        store.press(.character("l"), effects: [.setLoop(0...1)]) { $0.playback.looping = true }
        store.press(.shiftLeft, effects: [.setLoop(nil)]) {
            $0.playback.position = 0
            $0.playback.region = nil
            $0.playback.looping = false
        }
        #expect(store.state.playback.region == nil && !store.state.playback.looping)
    }

    @Test("s solos and M mutes the stem under the cursor; the player silences the rest")
    func soloAndMute() {
        var store = TestStore(initial: studioWithBatch(focus: .waveform))
        store.press(.down) { $0.playback.stemCursor = 1 }
        store.press(.character("s"), effects: [.setMuted([0, 2, 3, 4])]) { $0.playback.soloed = [1] }
        store.press(.down) { $0.playback.stemCursor = 2 }
        store.press(.character("s"), effects: [.setMuted([0, 3, 4])]) { $0.playback.soloed = [1, 2] }
        store.press(.character("M"), effects: [.setMuted([0, 2, 3, 4])]) { $0.playback.muted = [2] }  // muting a soloed stem silences it
        store.press(.character("s"), effects: [.setMuted([0, 2, 3, 4])]) { $0.playback.soloed = [1] }
        store.press(.up) { $0.playback.stemCursor = 1 }
        store.press(.character("s"), effects: [.setMuted([2])]) { $0.playback.soloed = [] }
        store.press(.up) { $0.playback.stemCursor = 0 }
        store.press(.up)  // the first lane
        for lane in 1...4 { store.press(.down) { $0.playback.stemCursor = lane } }
        store.press(.down)  // the last lane
        store.press(.character("M"), effects: [.setMuted([2, 4])]) { $0.playback.muted = [2, 4] }
    }

    @Test("a take without stems: s and M say how to make them, ↑↓ do nothing; without a waveform the pane ignores its keys")
    func noStems() {
        var store = TestStore(initial: studioWithBatch(focus: .waveform) { $0.waveform?.stems = [] })
        store.press(.down)
        store.press(.character("s")) { $0.message = info("This take has no stems yet: m, then Stems, makes them") }
        store.press(.character("M"))  // the same message again
        var empty = TestStore(initial: studioWithBatch(focus: .waveform) { $0.waveform = nil })
        for key in [Key.right, .shiftRight, .character("l"), .character("s"), .escape] { empty.press(key) }
    }
}
