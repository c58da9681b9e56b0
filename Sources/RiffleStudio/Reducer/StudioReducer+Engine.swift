extension StudioReducer {
    // MARK: The engine picker

    /// `e`, F2 or a click on the engine's name: the picker opens on the engine in use, and the engines
    /// are listed again (a model may have been pulled or removed since).
    static func openEnginePicker(_ state: inout StudioState) -> [StudioEffect] {
        state.enginePicker = EnginePicker(selected: state.engines.choices.firstIndex { $0.selection == state.engine } ?? 0)
        return [.listEngines]
    }

    static func pickerKey(_ key: Key, _ state: inout StudioState) -> [StudioEffect] {
        guard let picker = state.enginePicker else { return [] }
        let last = max(0, state.engines.choices.count - 1)
        // The arrows reach unusable lines too: each says why beside it, and Enter on it says so again.
        switch key {
        case .up: state.enginePicker?.selected = max(0, picker.selected - 1)
        case .down: state.enginePicker?.selected = min(last, picker.selected + 1)
        case .home, .pageUp: state.enginePicker?.selected = 0
        case .end, .pageDown: state.enginePicker?.selected = last
        case .enter: return choose(picker.selected, &state)
        case .escape, .function(2), .character("e"), .character("q"): state.enginePicker = nil
        default: break
        }
        return []
    }

    /// Enter (or a click) on line `index`: new jobs go to that engine and model, or, when it cannot be
    /// used, the status bar says why and the picker stays open.
    static func choose(_ index: Int, _ state: inout StudioState) -> [StudioEffect] {
        let choices = state.engines.choices
        guard choices.indices.contains(index) else { return [] }  // not listed yet: nothing to choose
        let choice = choices[index]
        state.enginePicker?.selected = index
        if let reason = choice.unavailable {
            state.message = .init(text: "\(choice.name) cannot be used: \(reason)", isError: true)
            return []
        }
        state.enginePicker = nil
        guard choice.selection != state.engine else { return [] }
        state.engine = choice.selection
        let note = state.engines.engines[choice.selection.engine]?.note
        state.message = .init(text: "Using \(choice.name)" + (note.map { ": \($0)" } ?? ""), isError: false)
        // Another engine reads the prompt its own way.
        return [.interpret(request(from: state))]
    }

    /// The engines as just listed. The picker's highlight stays on the same line wherever it moved;
    /// a model in use that is no longer installed gives way to the first usable choice, said in the
    /// status bar, so Enter never sends a job to a model that is gone.
    static func enginesListed(_ catalog: EngineCatalog, _ state: inout StudioState) -> [StudioEffect] {
        let before = state.engines.choices
        state.engines = catalog
        if let picker = state.enginePicker {
            let highlighted = before.indices.contains(picker.selected) ? before[picker.selected].selection : state.engine
            state.enginePicker?.selected = catalog.choices.firstIndex { $0.selection == highlighted }
                ?? min(picker.selected, max(0, catalog.choices.count - 1))
        }
        guard !catalog.choices.isEmpty, state.engineChoice == nil else { return [] }
        let gone = state.engineName
        guard let fallback = catalog.choices.first(where: { $0.unavailable == nil }) else { return [] }
        state.engine = fallback.selection
        state.message = .init(text: "\(gone) is no longer installed: new jobs use \(fallback.name)", isError: true)
        return [.interpret(request(from: state))]
    }
}

extension StudioReducer {
    /// A click on a line of the picker chooses it, as Enter would; a click outside closes the picker;
    /// the wheel moves the highlight.
    static func pickerClick(_ event: MouseEvent, _ state: inout StudioState) -> [StudioEffect] {
        switch event.kind {
        case .scrollUp: return pickerKey(.up, &state)
        case .scrollDown: return pickerKey(.down, &state)
        case .press:
            state.message = nil  // a click, like a key, means the message was seen
            let layout = EnginePickerLayout(state)
            guard layout.box.contains(x: event.x, y: event.y) else {
                state.enginePicker = nil
                return []
            }
            guard event.button == 0, let index = layout.choice(atY: event.y, count: state.engines.choices.count) else { return [] }
            return choose(index, &state)
        case .drag, .release:
            return []
        }
    }
}
