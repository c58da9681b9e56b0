import Foundation
import RiffleCore
import RiffleTUI
import Testing

/// Compares a rendered screen with the text snapshot kept beside the tests; `RECORD_SNAPSHOTS=1`
/// rewrites the snapshots instead (then read the diff before committing them).
private func assertSnapshot(_ buffer: ScreenBuffer, named name: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
    let file = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Snapshots/\(name).txt")
    let actual = buffer.text + "\n"
    if ProcessInfo.processInfo.environment["RECORD_SNAPSHOTS"] == "1" {
        try actual.write(to: file, atomically: true, encoding: .utf8)
        return
    }
    let expected = try String(contentsOf: file, encoding: .utf8)
    #expect(actual == expected, "screen \(name) differs from Snapshots/\(name).txt:\n\(actual)", sourceLocation: sourceLocation)
}

private func studio(width: Int, height: Int, _ configure: (inout StudioState) -> Void = { _ in }) -> StudioState {
    var state = StudioState(width: width, height: height)
    state.presets = ["Ambient", "Blues", "Cinematic", "Classical", "Country", "Drum and Bass", "Electronic", "Folk", "Hip Hop",
                     "House", "Jazz", "Latin", "Lo-Fi", "Metal", "Modern Pop", "Reggae", "R&B", "Rock", "Techno", "Trap"]
    state.seed = 1234
    configure(&state)
    return state
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

    @Test("a terminal below the minimum says how large it needs to be")
    func tiny() throws {
        try assertSnapshot(StudioView.render(studio(width: 50, height: 12)), named: "tiny-50x12")
    }

    @Test("every screen fills exactly its size", arguments: [(80, 24), (81, 25), (120, 40), (200, 60), (79, 24), (10, 3)])
    func sizes(width: Int, height: Int) {
        let buffer = StudioView.render(studio(width: width, height: height) { $0.showHelp = true })
        let lines = buffer.text.split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines.count == height)
        #expect(lines.allSatisfy { $0.count == width })
    }
}
