import Foundation
import RiffleCore
import RiffleStudio
import RiffleTUI
import RiffleTestSupport
import Testing

func studio(width: Int, height: Int, _ configure: (inout StudioState) -> Void = { _ in }) -> StudioState {
    var state = StudioState(width: width, height: height)
    state.presets = ["Ambient", "Blues", "Cinematic", "Classical", "Country", "Drum and Bass", "Electronic", "Folk", "Hip Hop",
                     "House", "Jazz", "Latin", "Lo-Fi", "Metal", "Modern Pop", "Reggae", "R&B", "Rock", "Techno", "Trap"].map { title in
        PresetItem(name: title.lowercased(), title: title, tempo: 120, timeSignature: nil, guidance: 3)
    }
    state.seed = 1234
    state.engines = Fixtures.engines  // as listed at start
    configure(&state)
    return state
}

/// The best take's waveform, made once (it takes a moment) for every screen that shows it.
let batchWaveform = Fixtures.waveform("j1-2")

/// The studio with the finished batch of the fixtures, its best take selected and its waveform loaded.
func studioWithBatch(width: Int, height: Int, _ configure: (inout StudioState) -> Void = { _ in }) -> StudioState {
    studio(width: width, height: height) { state in
        state.jobs = [Fixtures.finished]
        state.selection = .take(jobID: "j1", takeID: "j1-2")
        state.waveform = batchWaveform
        configure(&state)
    }
}

@Suite("Studio screens at 80x24 and 120x40")
struct StudioViewTests {
    @Test("the empty studio", arguments: [(80, 24), (120, 40)])
    func empty(width: Int, height: Int) throws {
        try assertSnapshot(StudioView.render(studio(width: width, height: height)), named: "empty-\(width)x\(height)")
    }

    @Test("a prompt being written, with what the engine understood", arguments: [(80, 24), (120, 40)])
    func typing(width: Int, height: Int) throws {
        let state = studio(width: width, height: height) { state in
            state.prompt = "dreamy deep house 122 bpm\nwith rhodes and a long breakdown"
            state.cursor = 10
            state.understood = "house · 122 BPM · key auto · 4/4 · rhodes · dreamy"
            state.selectedPreset = 9
            state.parameters.tempo = 122
        }
        try assertSnapshot(StudioView.render(state), named: "prompt-\(width)x\(height)")
    }

    @Test("the help overlay and an error in the status bar", arguments: [(80, 24), (120, 40)])
    func help(width: Int, height: Int) throws {
        try assertSnapshot(StudioView.render(studio(width: width, height: height) { $0.showHelp = true }), named: "help-\(width)x\(height)")
        let error = studio(width: width, height: height) { state in
            state.focus = .parameters
            state.message = .init(text: "prompt: \"\" is empty (allowed: 1 to 2000 characters)", isError: true)
        }
        try assertSnapshot(StudioView.render(error), named: "error-\(width)x\(height)")
    }

    @Test("generating: a job running with its progress and time left, another queued", arguments: [(80, 24), (120, 40)])
    func generating(width: Int, height: Int) throws {
        let state = studio(width: width, height: height) { state in
            state.prompt = "melodic techno 126 bpm, dark"
            state.cursor = state.prompt.count
            state.understood = "techno · 126 BPM · key auto · 4/4 · dark"
            state.jobs = [Fixtures.queued, Fixtures.running]
            state.selection = .job("j2")
        }
        try assertSnapshot(StudioView.render(state), named: "generating-\(width)x\(height)")
    }

    @Test("a batch finished: takes best first with stars and pick, the waveform with stems, playhead and region", arguments: [(80, 24), (120, 40)])
    func batchFinished(width: Int, height: Int) throws {
        let state = studioWithBatch(width: width, height: height) { state in
            state.focus = .waveform
            state.playback.takeID = "j1-2"
            state.playback.isPlaying = true
            state.playback.position = 12
            state.playback.region = 16...24
            state.playback.looping = true
            state.playback.stemCursor = 1
            state.playback.soloed = [1]
        }
        try assertSnapshot(StudioView.render(state), named: "batch-\(width)x\(height)")
    }

    @Test("the action menu over a take, with what cannot be done greyed out", arguments: [(80, 24), (120, 40)])
    func menu(width: Int, height: Int) throws {
        var state = studioWithBatch(width: width, height: height) { $0.focus = .jobs }
        _ = StudioReducer.reduce(&state, .key(.character("m")))
        try assertSnapshot(StudioView.render(state), named: "menu-\(width)x\(height)")
    }

    @Test("the engine picker: each model with its size and channels, the one in use marked, a broken one dimmed with why; the engine named in the prompt's frame and its note under the sliders",
          arguments: [(80, 24), (120, 40)])
    func enginePicker(width: Int, height: Int) throws {
        var state = studioWithBatch(width: width, height: height) { state in
            state.focus = .jobs
            state.engine = Fixtures.musicGen("musicgen-small")
        }
        _ = StudioReducer.reduce(&state, .key(.character("e")))
        _ = StudioReducer.reduce(&state, .key(.end))
        try assertSnapshot(StudioView.render(state), named: "engines-\(width)x\(height)")
    }

    @Test("the engine picker with no model installed says how to get one", arguments: [(80, 24), (120, 40)])
    func enginePickerWithoutModels(width: Int, height: Int) throws {
        var state = studio(width: width, height: height) { $0.engines = Fixtures.composerOnly }
        _ = StudioReducer.reduce(&state, .key(.function(2)))
        let screen = StudioView.render(state)
        #expect(screen.text.contains("riffle models pull facebook/musicgen-small") && screen.text.contains("riffle models add DIR"))
        try assertSnapshot(screen, named: "engines-none-\(width)x\(height)")
    }

    @Test("the help lists the engine picker's keys, whole at 80x24")
    func helpListsThePicker() {
        let text = StudioView.render(studio(width: 80, height: 24) { $0.showHelp = true }).text
        #expect(text.contains("e  F2             engine and model for new jobs (in the prompt: F2)"), "\(text)")
        #expect(text.contains("? F1              this help"), "the last line still fits:\n\(text)")
    }

    @Test("the waveform focused: a region with the playhead in it, a muted stem, the stem cursor", arguments: [(80, 24), (120, 40)])
    func region(width: Int, height: Int) throws {
        let state = studioWithBatch(width: width, height: height) { state in
            state.focus = .waveform
            state.playback.takeID = "j1-2"
            state.playback.position = 15
            state.playback.region = 10...20
            state.playback.stemCursor = 3
            state.playback.muted = [2]
        }
        try assertSnapshot(StudioView.render(state), named: "region-\(width)x\(height)")
    }

    @Test("the jobs pane focused with a running job highlighted", arguments: [(80, 24), (120, 40)])
    func jobs(width: Int, height: Int) throws {
        let state = studio(width: width, height: height) { state in
            state.focus = .jobs
            state.jobs = [Fixtures.queued, Fixtures.running, Fixtures.finished]
            state.selection = .job("j2")
        }
        try assertSnapshot(StudioView.render(state), named: "jobs-\(width)x\(height)")
    }

    @Test("--ascii draws the waveform without braille")
    func ascii() {
        let state = studioWithBatch(width: 120, height: 40) { $0.asciiOnly = true }
        let text = StudioView.render(state).text
        #expect(!text.unicodeScalars.contains { (0x2800...0x28FF).contains($0.value) })
        #expect(text.contains("#"))
    }

    @Test("a terminal below the minimum says how large it needs to be")
    func tiny() throws {
        try assertSnapshot(StudioView.render(studio(width: 50, height: 12)), named: "tiny-50x12")
        // q asks first while jobs run: the question shows here, where there is no status bar.
        let asking = StudioView.render(studio(width: 50, height: 12) { state in
            state.confirmation = .quit
            state.message = .init(text: "1 job is running: quit anyway? (y/n)", isError: false)
        })
        #expect(asking.text.contains("1 job is running: quit anyway? (y/n)"))
    }

    @Test("every screen fills exactly its size", arguments: [(80, 24), (81, 25), (120, 40), (200, 60), (79, 24), (10, 3)])
    func sizes(width: Int, height: Int) {
        let buffer = StudioView.render(studio(width: width, height: height) { state in
            state.showHelp = true
            state.jobs = [Fixtures.queued, Fixtures.running, Fixtures.finished]
            state.selection = .take(jobID: "j1", takeID: "j1-2")
            state.waveform = Fixtures.waveform("j1-2")
        })
        let lines = buffer.text.split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines.count == height)
        #expect(lines.allSatisfy { $0.count == width })
    }
}
