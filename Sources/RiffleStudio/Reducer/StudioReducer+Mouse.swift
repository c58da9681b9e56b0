extension StudioReducer {
    /// A click focuses the pane under it and acts on what it lands on, as the keys would: a genre, a
    /// slider, a place in the prompt, a job or take (clicked again: Enter), a lane's name, a time in the
    /// waveform (a drag there selects a region), an item of the menu or the engine picker (a click
    /// outside closes it), the engine's name in the prompt's frame (it opens the picker). The wheel
    /// moves through the list under it, or seeks in the waveform. Where the things are comes from
    /// ``StudioLayout``, as the view draws them.
    static func mouse(_ event: MouseEvent, _ state: inout StudioState) -> [StudioEffect] {
        // The too-small screen and a yes/no question want keys.
        guard !state.isTooSmall, state.confirmation == nil else { return [] }
        if state.showHelp {
            if event.kind == .press { state.showHelp = false }
            return []
        }
        let layout = StudioLayout(state)
        if let menu = state.menu { return menuClick(event, menu, &state) }
        if state.enginePicker != nil { return pickerClick(event, &state) }
        switch event.kind {
        case .scrollUp, .scrollDown:
            return wheel(up: event.kind == .scrollUp, at: layout.pane(atX: event.x, y: event.y), &state)
        case .drag:
            return event.button == 0 && state.focus == .waveform ? dragInWaveform(to: event.x, layout, &state) : []
        case .release:
            return []
        case .press:
            guard event.button == 0 else { return [] }
            if layout.engineTag(state).rect.contains(x: event.x, y: event.y) {
                state.message = nil
                return openEnginePicker(&state)
            }
            guard let pane = layout.pane(atX: event.x, y: event.y) else { return [] }
            state.message = nil
            state.focus = pane
            let inner = layout.rect(of: pane).inner
            guard inner.contains(x: event.x, y: event.y) else { return [] }  // on the frame: focus only
            let row = event.y - inner.y
            switch pane {
            case .presets:
                let index = layout.firstPreset(state) + row
                guard state.presets.indices.contains(index) else { return [] }
                // A click on the highlighted genre uses it, as Enter does.
                if index == state.selectedPreset { return presetKey(.enter, &state) }
                state.selectedPreset = index
                return []
            case .parameters:
                let sliders = Parameters.Slider.allCases
                if sliders.indices.contains(row) { state.selectedSlider = sliders[row] }
                return []
            case .prompt:
                let characters = Array(state.prompt)
                let prompt = PromptLayout(characters, cursor: state.cursor, width: inner.width)
                let target = layout.firstPromptRow(prompt) + row
                guard target < prompt.rows.count else { return [] }
                state.cursor = prompt.index(row: target, column: event.x - inner.x, in: characters)
                // The end of a row is a place too: the index method keeps a wrapped row's last position
                // on its own row, so a click past a short last row's text goes to its end.
                if target == prompt.rows.count - 1, event.x - inner.x >= characters[prompt.rows[target]].reduce(0, { $0 + $1.displayWidth }) {
                    state.cursor = prompt.rows[target].upperBound
                }
                return []
            case .jobs:
                let rows = state.jobRows, index = layout.firstJobRow(state) + row
                guard rows.indices.contains(index) else { return [] }
                // Clicked again, a row does what Enter does: a job folds or unfolds, a take plays.
                if rows[index] == state.selection { return jobsKey(.enter, &state) }
                state.selection = rows[index]
                return selectionChanged(&state)
            case .waveform:
                return pressInWaveform(x: event.x, y: event.y, layout, &state)
            }
        }
    }

    private static func menuClick(_ event: MouseEvent, _ menu: TakeMenu, _ state: inout StudioState) -> [StudioEffect] {
        switch event.kind {
        case .scrollUp: return menuKey(.up, &state)
        case .scrollDown: return menuKey(.down, &state)
        case .press:
            state.message = nil  // a click, like a key, means the message was seen
            let box = StudioLayout.menuRect(items: menu.items.count, width: state.width, height: state.height)
            guard box.contains(x: event.x, y: event.y) else {
                state.menu = nil
                return []
            }
            let row = event.y - box.y - 1
            guard menu.items.indices.contains(row) else { return [] }
            if let reason = menu.items[row].unavailable {
                // Greyed out: said why, and not highlighted (the arrows skip it too).
                state.message = .init(text: "\(menu.items[row].action.rawValue): \(reason)", isError: false)
                return []
            }
            state.menu?.selected = row
            return menuKey(.enter, &state)
        case .drag, .release:
            return []
        }
    }

    /// The wheel over a list moves its highlight; over the waveform it seeks; the prompt has no list.
    private static func wheel(up: Bool, at pane: Pane?, _ state: inout StudioState) -> [StudioEffect] {
        guard let pane, pane != .prompt else { return [] }
        state.focus = pane
        switch pane {
        case .presets: return presetKey(up ? .up : .down, &state)
        case .jobs: return jobsKey(up ? .up : .down, &state)
        case .waveform: return waveformKey(up ? .left : .right, &state)
        case .parameters, .prompt: return press(up ? .up : .down, &state)
        }
    }

    /// A click in the waveform: on a lane's name, that lane is the stem cursor's; on the plot, the
    /// playhead goes there and a drag from there selects a region.
    private static func pressInWaveform(x: Int, y: Int, _ layout: StudioLayout, _ state: inout StudioState) -> [StudioEffect] {
        guard let waveform = state.waveform, waveform.takeID == state.selectedTake?.id else { return [] }
        let plot = layout.waveformPlot
        if x < plot.x {
            let lanes = layout.waveformLanes(stemCount: waveform.stems.count, stemCursor: state.playback.stemCursor)
            if let lane = lanes.first(where: { (($0.y)..<($0.y + $0.height)).contains(y) }), lane.index > 0 {
                state.playback.stemCursor = lane.index - 1
            }
            return []
        }
        let time = layout.waveformTime(atX: x, duration: waveform.duration)
        state.playback.position = time
        state.playback.regionAnchor = time
        return state.playback.takeID == waveform.takeID ? [.seek(time)] : []
    }

    /// A drag in the waveform from where it was pressed: the region between, followed by the loop.
    private static func dragInWaveform(to x: Int, _ layout: StudioLayout, _ state: inout StudioState) -> [StudioEffect] {
        guard let waveform = state.waveform, let anchor = state.playback.regionAnchor else { return [] }
        let time = layout.waveformTime(atX: x, duration: waveform.duration)
        state.playback.position = time
        let region = min(anchor, time)...max(anchor, time)
        state.playback.region = region.upperBound > region.lowerBound ? region : nil
        var effects: [StudioEffect] = state.playback.takeID == waveform.takeID ? [.seek(time)] : []
        if state.playback.looping {
            if state.playback.region == nil { state.playback.looping = false }
            effects.append(.setLoop(state.playback.region))
        }
        return effects
    }
}
