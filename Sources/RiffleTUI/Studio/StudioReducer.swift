import Foundation
import RiffleCore

/// The only place the studio's state changes: pure, no I/O, so every key's behaviour is a test.
public enum StudioReducer {
    public static func reduce(_ state: inout StudioState, _ action: StudioAction) -> [StudioEffect] {
        switch action {
        case .resized(let width, let height):
            state.width = width
            state.height = height
            return []
        case .jobsRunning(let count):
            state.runningJobs = count
            return []
        case .key(let key):
            return press(key, &state)
        }
    }

    private static func press(_ key: Key, _ state: inout StudioState) -> [StudioEffect] {
        // A message goes once a key is pressed: it has been seen.
        state.message = nil
        if state.confirmingQuit {
            state.confirmingQuit = false
            if key == .character("y") || key == .character("q") || key == .ctrlC { return [.quit] }
            return []
        }
        if state.showHelp {
            // Any key closes the help; it does nothing else.
            state.showHelp = false
            return []
        }
        switch key {
        case .ctrlC:
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
        default:
            break
        }
        if state.focus == .prompt { return editPrompt(key, &state) }
        switch key {
        case .character("?"):
            state.showHelp = true
        case .character("q"):
            return quit(&state)
        default:
            if state.focus == .parameters { adjustParameters(key, &state) }
        }
        return []
    }

    private static func quit(_ state: inout StudioState) -> [StudioEffect] {
        guard state.runningJobs > 0 else { return [.quit] }
        state.confirmingQuit = true
        state.message = .init(text: "\(state.runningJobs) job\(state.runningJobs == 1 ? " is" : "s are") running: quit anyway? (y/n)", isError: false)
        return []
    }

    private static func next(_ pane: Pane, by step: Int) -> Pane {
        let panes = Pane.allCases
        let index = panes.firstIndex(of: pane) ?? 0
        return panes[(index + step + panes.count) % panes.count]
    }

    // MARK: The prompt editor

    private static func editPrompt(_ key: Key, _ state: inout StudioState) -> [StudioEffect] {
        var characters = Array(state.prompt)
        switch key {
        case .character(let character):
            characters.insert(character, at: state.cursor)
            state.cursor += 1
        case .altEnter:
            characters.insert("\n", at: state.cursor)
            state.cursor += 1
        case .backspace where state.cursor > 0:
            characters.remove(at: state.cursor - 1)
            state.cursor -= 1
        case .delete where state.cursor < characters.count:
            characters.remove(at: state.cursor)
        case .left:
            state.cursor = max(0, state.cursor - 1)
        case .right:
            state.cursor = min(characters.count, state.cursor + 1)
        case .home:
            state.cursor = 0
        case .end:
            state.cursor = characters.count
        case .up, .down:
            walkHistory(key == .up ? -1 : 1, &state)
            return []
        case .enter:
            return generate(&state)
        default:
            return []
        }
        state.prompt = String(characters)
        state.historyIndex = nil
        return []
    }

    private static func walkHistory(_ step: Int, _ state: inout StudioState) {
        guard !state.history.isEmpty else { return }
        let index = min(max((state.historyIndex ?? state.history.count) + step, 0), state.history.count)
        state.historyIndex = index == state.history.count ? nil : index
        state.prompt = index == state.history.count ? "" : state.history[index]
        state.cursor = state.prompt.count
    }

    /// Enter in the prompt: a request from the prompt and the sliders, or a message saying what is wrong.
    private static func generate(_ state: inout StudioState) -> [StudioEffect] {
        let text = state.prompt.trimmingCharacters(in: .whitespacesAndNewlines)
        let parameters = state.parameters
        let request = GenerationRequest(prompt: text, duration: parameters.duration, tempo: parameters.tempo, key: parameters.key,
                                        timeSignature: parameters.timeSignature, numVariations: parameters.variations,
                                        seed: state.seed, temperature: parameters.temperature, topK: parameters.topK,
                                        topP: parameters.topP, guidanceScale: parameters.guidance)
        let issues = request.validationIssues(knownGenres: nil)
        guard issues.isEmpty else {
            state.message = .init(text: issues.map(\.description).joined(separator: "; "), isError: true)
            return []
        }
        if state.history.last != text { state.history.append(text) }
        state.historyIndex = nil
        if !state.seedLocked {
            // The next batch starts where this one's seeds end, so no two batches share a take.
            state.seed = GenerationRequest.seed(state.seed, variation: parameters.variations)
        }
        return [.generate(request)]
    }

    // MARK: Sliders

    private static func adjustParameters(_ key: Key, _ state: inout StudioState) {
        let sliders = Parameters.Slider.allCases
        let index = sliders.firstIndex(of: state.selectedSlider) ?? 0
        switch key {
        case .up: state.selectedSlider = sliders[max(0, index - 1)]
        case .down: state.selectedSlider = sliders[min(sliders.count - 1, index + 1)]
        case .left: state.parameters.step(state.selectedSlider, by: -1, coarse: false)
        case .right: state.parameters.step(state.selectedSlider, by: 1, coarse: false)
        case .shiftLeft, .pageDown: state.parameters.step(state.selectedSlider, by: -1, coarse: true)
        case .shiftRight, .pageUp: state.parameters.step(state.selectedSlider, by: 1, coarse: true)
        case .character("l"): state.seedLocked.toggle()
        default: break
        }
    }
}

