import Foundation
import RiffleCore
@testable import RiffleStudio // TakeMenu.Item has no public initialiser
import RiffleTestSupport
import Testing

/// An 80×24 studio with nothing in it, changed by `configure`.
func studio(_ configure: (inout StudioState) -> Void = { _ in }) -> StudioState {
    var state = StudioState(width: 80, height: 24)
    configure(&state)
    return state
}

/// The finished batch's best take's waveform (made once: it takes a moment).
let batchWaveform = Fixtures.waveform("j1-2")

/// The studio as it is once the library's finished batch has loaded: its best take selected and its
/// waveform shown. (``StudioJobsTests/opens()`` checks the reducer gets there.)
func studioWithBatch(focus: Pane = .jobs, _ configure: (inout StudioState) -> Void = { _ in }) -> StudioState {
    var state = StudioState(width: 120, height: 40)
    state.focus = focus
    state.jobs = [Fixtures.finished]
    state.selection = .take(jobID: "j1", takeID: "j1-2")
    state.waveform = batchWaveform
    state.engines = Fixtures.engines
    configure(&state)
    return state
}

/// The request the prompt, the sliders and the engine chosen in `state` make: what Enter generates and
/// what the line under the prompt interprets.
func request(for state: StudioState) -> GenerationRequest {
    let parameters = state.parameters
    return GenerationRequest(prompt: state.prompt.trimmingCharacters(in: .whitespacesAndNewlines), duration: parameters.duration,
                             genre: parameters.genre, tempo: parameters.tempo, key: parameters.key,
                             timeSignature: parameters.timeSignature, numVariations: parameters.variations, seed: state.seed,
                             temperature: parameters.temperature, topK: parameters.topK, topP: parameters.topP,
                             guidanceScale: parameters.guidance, engine: state.engine.engine, model: state.engine.model)
}

extension TestStore {
    /// Presses a key that changes the request (the prompt, a slider): besides `update`, the reducer must
    /// ask, and ask only, to interpret the request of the state expected after it.
    mutating func edit(_ key: Key, sourceLocation: SourceLocation = #_sourceLocation, _ update: (inout StudioState) -> Void) {
        var expected = state
        update(&expected)
        press(key, effects: [.interpret(request(for: expected))], sourceLocation: sourceLocation, update)
    }

    /// Types `text` into the prompt one key at a time: each character goes in at the cursor, which
    /// moves past it, leaves the history and asks to interpret the new prompt.
    mutating func type(_ text: String, sourceLocation: SourceLocation = #_sourceLocation) {
        for character in text {
            edit(.character(character), sourceLocation: sourceLocation) {
                var characters = Array($0.prompt)
                characters.insert(character, at: $0.cursor)
                $0.prompt = String(characters)
                $0.cursor += 1
                $0.historyIndex = nil
                $0.message = nil
            }
        }
    }
}

/// The action menu over a take of the finished batch, as `m` opens it with every capability (the Composer's).
func batchMenu(_ takeID: String, region: String? = nil, style: String? = "Techno") -> TakeMenu {
    TakeMenu(takeID: takeID, items: [
        .init(action: .repaint, detail: region ?? "", unavailable: region == nil ? "select a region first (Shift ←→ in the waveform)" : nil),
        .init(action: .extend, detail: "by 30 s (the duration slider)", unavailable: nil),
        .init(action: .restyle, detail: style.map { "as \($0) (the genre list's choice)" } ?? "", unavailable: style == nil ? "no genre presets" : nil),
        .init(action: .stems, detail: "drums, bass, harmony, melody, texture as files", unavailable: nil),
        .init(action: .export, detail: "the take, its MIDI and stems: choose the file and format", unavailable: nil),
        .init(action: .delete, detail: "remove the take and its files (asks first)", unavailable: nil),
    ])
}

/// A message in the status bar: information, or an error.
func info(_ text: String) -> StudioState.Message { .init(text: text, isError: false) }
func alert(_ text: String) -> StudioState.Message { .init(text: text, isError: true) }

extension StudioState {
    /// The state with `change` made: a variation of a fixture, inline.
    func with(_ change: (inout StudioState) -> Void) -> StudioState {
        var copy = self
        change(&copy)
        return copy
    }
}
