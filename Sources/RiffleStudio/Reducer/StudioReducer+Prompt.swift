import Foundation
import RiffleCore

extension StudioReducer {
    /// The most characters the prompt holds: what a request allows, so the editor never holds a prompt
    /// Enter would refuse for its length.
    public static let promptLimit = GenerationRequest.Limits.promptLength

    /// The request Enter would make now: the prompt, the sliders, and the engine and model chosen.
    static func request(from state: StudioState) -> GenerationRequest {
        let parameters = state.parameters
        return GenerationRequest(prompt: state.prompt.trimmingCharacters(in: .whitespacesAndNewlines), duration: parameters.duration,
                                 genre: parameters.genre, tempo: parameters.tempo, key: parameters.key,
                                 timeSignature: parameters.timeSignature, numVariations: parameters.variations, seed: state.seed,
                                 temperature: parameters.temperature, topK: parameters.topK, topP: parameters.topP,
                                 guidanceScale: parameters.guidance, engine: state.engine.engine, model: state.engine.model)
    }

    static func editPrompt(_ key: Key, _ state: inout StudioState) -> [StudioEffect] {
        var characters = Array(state.prompt)
        switch key {
        case .character where characters.count >= promptLimit, .altEnter where characters.count >= promptLimit:
            state.message = .init(text: "The prompt is full: it holds at most \(promptLimit) characters", isError: true)
            return []
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
            return []
        case .right:
            state.cursor = min(characters.count, state.cursor + 1)
            return []
        case .home, .control("a"):
            state.cursor = lineStart(characters, state.cursor)
            return []
        case .end, .control("e"):
            state.cursor = lineEnd(characters, state.cursor)
            return []
        case .control("u"):
            let start = lineStart(characters, state.cursor)
            characters.removeSubrange(start..<state.cursor)
            state.cursor = start
        case .control("k"):
            characters.removeSubrange(state.cursor..<lineEnd(characters, state.cursor))
        case .control("w"):
            // The word before the cursor, and the spaces after it.
            var start = state.cursor
            while start > 0, characters[start - 1] == " " { start -= 1 }
            while start > 0, characters[start - 1] != " ", characters[start - 1] != "\n" { start -= 1 }
            characters.removeSubrange(start..<state.cursor)
            state.cursor = start
        case .up, .down:
            // Within a prompt of several rows (lines, or a long line wrapped as the pane shows it) the
            // arrows move between them at the same column; past its first or last row they walk the history.
            let layout = PromptLayout(characters, cursor: state.cursor, width: StudioLayout(state).promptTextWidth)
            let target = layout.cursorRow + (key == .up ? -1 : 1)
            if layout.rows.indices.contains(target) {
                state.cursor = layout.index(row: target, column: layout.cursorColumn, in: characters)
                return []
            }
            walkHistory(key == .up ? -1 : 1, &state)
            return [.interpret(request(from: state))]
        case .enter:
            return generate(&state)
        default:
            return []
        }
        state.prompt = String(characters)
        state.historyIndex = nil
        return [.interpret(request(from: state))]
    }

    /// A paste goes into the prompt at the cursor as one edit, whichever pane had the focus (the prompt
    /// is the only place for text), so it costs one interpretation however long it is. Newlines stay
    /// (the prompt has several lines), tabs become spaces, other control characters go. What does not
    /// fit in the prompt's limit is left out, and the status bar says how much.
    static func paste(_ raw: String, _ state: inout StudioState) -> [StudioEffect] {
        // A question waits for y or n, not for text.
        guard state.confirmation == nil else { return [] }
        if state.exportEntry != nil {
            // Where Export writes is being typed: the paste is (the start of) a path.
            state.message = nil
            state.exportEntry?.path += pasteText(raw).replacingOccurrences(of: "\n", with: "")
            return []
        }
        state.message = nil
        state.showHelp = false
        state.menu = nil
        state.enginePicker = nil
        state.focus = .prompt
        let text = Array(pasteText(raw))
        guard !text.isEmpty else { return [] }
        let room = max(0, promptLimit - state.prompt.count)
        let kept = text.prefix(room)
        if kept.count < text.count {
            state.message = .init(text: kept.isEmpty ? "The prompt is full (\(promptLimit) characters): nothing was pasted"
                                    : "Pasted \(kept.count) of \(text.count) characters: the prompt holds at most \(promptLimit)", isError: true)
        }
        return insert(kept, &state)
    }

    /// Characters read in one burst: what pressing each in turn does. While the prompt takes them that
    /// is one insertion and one interpretation, not one per character (each costs time in the prompt's
    /// length, so a burst of thousands would freeze the studio).
    static func type(_ text: String, _ state: inout StudioState) -> [StudioEffect] {
        guard state.focus == .prompt, state.confirmation == nil, !state.hasOverlay, !state.isTooSmall else {
            var effects: [StudioEffect] = []
            for character in text { effects += press(.character(character), &state) }
            return effects
        }
        state.message = nil
        let room = max(0, promptLimit - state.prompt.count)
        let kept = Array(text.prefix(room))
        if kept.count < text.count {
            state.message = .init(text: "The prompt is full: it holds at most \(promptLimit) characters", isError: true)
        }
        return insert(kept, &state)
    }

    /// Inserts text that fits at the cursor as one edit, and asks for the new reading of the prompt.
    private static func insert<Text: Collection<Character>>(_ text: Text, _ state: inout StudioState) -> [StudioEffect] {
        guard !text.isEmpty else { return [] }
        var characters = Array(state.prompt)
        characters.insert(contentsOf: text, at: state.cursor)
        state.prompt = String(characters)
        state.cursor += text.count
        state.historyIndex = nil
        return [.interpret(request(from: state))]
    }

    /// Pasted text as the prompt takes it: line breaks of any kind as "\n", a tab as a space, no other
    /// control characters.
    static func pasteText(_ raw: String) -> String {
        var text = ""
        text.reserveCapacity(raw.utf8.count)
        for character in raw {
            switch character {
            case "\r\n", "\r", "\n": text.append("\n")
            case "\t": text.append(" ")
            default:
                if character.unicodeScalars.allSatisfy({ $0.properties.generalCategory == .control }) { continue }
                text.append(character)
            }
        }
        return text
    }

    private static func lineStart(_ characters: [Character], _ cursor: Int) -> Int {
        characters[..<cursor].lastIndex(of: "\n").map { $0 + 1 } ?? 0
    }

    private static func lineEnd(_ characters: [Character], _ cursor: Int) -> Int {
        characters[cursor...].firstIndex(of: "\n") ?? characters.count
    }

    private static func walkHistory(_ step: Int, _ state: inout StudioState) {
        guard !state.history.isEmpty else { return }
        let index = min(max((state.historyIndex ?? state.history.count) + step, 0), state.history.count)
        // The prompt being written is kept while the history is walked, and comes back past its end.
        if state.historyIndex == nil, index < state.history.count { state.historyDraft = state.prompt }
        state.historyIndex = index == state.history.count ? nil : index
        state.prompt = index == state.history.count ? state.historyDraft : state.history[index]
        if index == state.history.count { state.historyDraft = "" }
        state.cursor = state.prompt.count
    }

    /// Enter in the prompt: a request from the prompt and the sliders, or a message saying what is wrong.
    private static func generate(_ state: inout StudioState) -> [StudioEffect] {
        let request = request(from: state)
        let issues = request.validationIssues(knownGenres: nil)
        guard issues.isEmpty else {
            state.message = .init(text: issues.map(\.description).joined(separator: "; "), isError: true)
            return []
        }
        if state.history.last != request.prompt { state.history.append(request.prompt) }
        state.historyIndex = nil
        if !state.seedLocked {
            // The next batch starts where this one's seeds end, so no two batches share a take.
            state.seed = GenerationRequest.seed(state.seed, variation: state.parameters.variations)
        }
        return [.generate(request)]
    }
}
