import Foundation
import RiffleCore

/// The only place the studio's state changes: pure, no I/O, so every key's behaviour is a test.
///
/// Keys go, in order, to a pending yes/no question, the help overlay, the action menu, the engine picker,
/// the keys that work everywhere (Ctrl-C, Tab, F1, F2, Ctrl-P), the prompt editor when it has the focus,
/// the keys that work in every other pane (Space, [ ], 1-5, p, m, c, e, q, ?), and last the focused pane's
/// own keys.
public enum StudioReducer {
    public static func reduce(_ state: inout StudioState, _ action: StudioAction) -> [StudioEffect] {
        switch action {
        case .key(let key):
            return press(key, &state)
        case .paste(let text):
            // Nowhere to paste on the "enlarge it" screen.
            return state.isTooSmall ? [] : paste(text, &state)
        case .typed(let text):
            return type(text, &state)
        case .mouse(let event):
            return mouse(event, &state)
        case .resized(let width, let height):
            state.width = width
            state.height = height
            return []
        case .understood(let text, let unused, let notes):
            state.understood = text
            state.unusedWords = unused
            state.understoodNotes = notes
            return []
        case .enginesListed(let catalog):
            return enginesListed(catalog, &state)
        case .notice(let text, let isError):
            state.message = .init(text: text, isError: isError)
            return []
        case .audioUnavailable(let reason):
            state.audioProblem = reason
            state.playback.isPlaying = false
            state.message = .init(text: "No sound: \(reason). Everything else works.", isError: true)
            return []
        case .playback(let takeID, let position, let playing):
            guard takeID == state.playback.takeID else { return [] }
            state.playback.isPlaying = playing
            state.playback.position = position
            return []
        case .jobsLoaded, .jobAdded, .jobRemoved, .jobUpdated, .takesLoaded, .waveformLoaded, .takeDeleted, .jobDeleted, .stemsMade:
            return jobEvent(action, &state)
        }
    }

    static func press(_ key: Key, _ state: inout StudioState) -> [StudioEffect] {
        // A message goes once a key is pressed: it has been seen.
        state.message = nil
        if let question = state.confirmation {
            state.confirmation = nil
            guard key == .character("y") || key == .character("Y") || (question == .quit && (key == .character("q") || key == .ctrlC)) else {
                return []
            }
            switch question {
            case .quit: return [.quit]
            case .deleteTake(let id): return [.delete(takeID: id)]
            }
        }
        if state.isTooSmall {
            // Only the "enlarge it" screen shows: q quits as it says (Ctrl-C too), and no other key
            // acts on panes the user cannot see or types into the hidden prompt.
            switch key {
            case .character("q"), .character("Q"), .ctrlC: return quit(&state)
            default: return []
            }
        }
        if state.showHelp {
            // Any key closes the help; it does nothing else.
            state.showHelp = false
            return []
        }
        if state.menu != nil, key != .ctrlC { return menuKey(key, &state) }
        if state.enginePicker != nil, key != .ctrlC { return pickerKey(key, &state) }
        if let effects = seedEntryKey(key, &state) { return effects }
        if let effects = exportEntryKey(key, &state) { return effects }
        switch key {
        case .ctrlC:
            state.menu = nil
            state.enginePicker = nil
            return quit(&state)
        case .tab:
            state.focus = next(state.focus, by: 1)
            return []
        case .backTab:
            state.focus = next(state.focus, by: -1)
            return []
        case .function(1):
            state.showHelp = true
            return []
        case .function(2):
            // F2 from any pane, the prompt included, where `e` types.
            return openEnginePicker(&state)
        case .control("p"):
            // Play or pause from any pane, the prompt included, where Space types a space: the first
            // listen after a batch is one key away wherever the focus is.
            return playOrPause(&state)
        default:
            break
        }
        if state.focus == .prompt { return editPrompt(key, &state) }
        if let effects = takeKey(key, &state) { return effects }
        switch key {
        case .character("?"):
            state.showHelp = true
            return []
        case .character("q"):
            return quit(&state)
        case .character("e"):
            return openEnginePicker(&state)
        default:
            break
        }
        switch state.focus {
        case .prompt: return []
        case .presets: return presetKey(key, &state)
        case .parameters: return adjustParameters(key, &state)
        case .jobs: return jobsKey(key, &state)
        case .waveform: return waveformKey(key, &state)
        }
    }

    private static func quit(_ state: inout StudioState) -> [StudioEffect] {
        let running = state.runningJobs
        guard running > 0 else { return [.quit] }
        state.confirmation = .quit
        state.message = .init(text: "\(running) job\(running == 1 ? " is" : "s are") running: quit anyway? (y/n)", isError: false)
        return []
    }

    private static func next(_ pane: Pane, by step: Int) -> Pane {
        let panes = Pane.allCases
        let index = panes.firstIndex(of: pane) ?? 0
        return panes[(index + step + panes.count) % panes.count]
    }

    // MARK: Presets and sliders

    static func presetKey(_ key: Key, _ state: inout StudioState) -> [StudioEffect] {
        guard !state.presets.isEmpty else { return [] }
        switch key {
        case .up: state.selectedPreset = max(0, state.selectedPreset - 1)
        case .down: state.selectedPreset = min(state.presets.count - 1, state.selectedPreset + 1)
        case .home: state.selectedPreset = 0
        case .end: state.selectedPreset = state.presets.count - 1
        case .pageUp: state.selectedPreset = max(0, state.selectedPreset - 10)
        case .pageDown: state.selectedPreset = min(state.presets.count - 1, state.selectedPreset + 10)
        case .enter, .character(" "):
            let preset = state.presets[state.selectedPreset]
            if state.parameters.genre == preset.name {
                // Chosen again: back to the genre the prompt says, and so to the prompt's tempo and
                // metre, unless the user has moved those sliders since choosing the genre.
                state.parameters.genre = nil
                if state.parameters.tempo == preset.tempo { state.parameters.tempo = nil }
                if state.parameters.timeSignature == preset.timeSignature { state.parameters.timeSignature = nil }
                state.message = .init(text: "Genre, tempo and metre from the prompt again", isError: false)
            } else {
                state.parameters.genre = preset.name
                state.parameters.tempo = preset.tempo
                state.parameters.timeSignature = preset.timeSignature
                // Auto guidance is the genre's own, as every front end normalises a request.
                state.parameters.guidance = nil
                state.message = .init(text: "\(preset.title): \(Int(preset.tempo)) BPM, \(preset.timeSignature?.description ?? "4/4"), guidance \(preset.guidance) (auto)", isError: false)
            }
            return [.interpret(request(from: state))]
        default: break
        }
        return []
    }

    private static func adjustParameters(_ key: Key, _ state: inout StudioState) -> [StudioEffect] {
        let sliders = Parameters.Slider.allCases
        let index = sliders.firstIndex(of: state.selectedSlider) ?? 0
        let before = state.parameters
        switch key {
        case .up: state.selectedSlider = sliders[max(0, index - 1)]
        case .down: state.selectedSlider = sliders[min(sliders.count - 1, index + 1)]
        case .left: state.parameters.step(state.selectedSlider, by: -1, coarse: false)
        case .right: state.parameters.step(state.selectedSlider, by: 1, coarse: false)
        case .shiftLeft, .pageDown: state.parameters.step(state.selectedSlider, by: -1, coarse: true)
        case .shiftRight, .pageUp: state.parameters.step(state.selectedSlider, by: 1, coarse: true)
        case .character("l"), .character("L"): state.seedLocked.toggle()
        case .character("s"):
            state.seedEntry = ""
            return []
        default: break
        }
        return state.parameters == before ? [] : [.interpret(request(from: state))]
    }
}
