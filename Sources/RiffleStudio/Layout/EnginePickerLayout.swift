/// Where the engine's name sits in the prompt's frame, and where the engine picker's lines are: the
/// view draws them there and the reducer maps clicks with the same numbers.
extension StudioLayout {
    /// The engine new jobs go to, in the prompt's top edge at its right end, with the key that opens
    /// the picker from the focused pane: " Composer · F2 " (`e` outside the prompt, where it does not
    /// type). A long model name is cut with an ellipsis so the pane's own title keeps its place.
    public func engineTag(_ state: StudioState) -> (text: String, rect: Rect) {
        let key = state.focus == .prompt ? "F2" : "e"
        // The title " Prompt " takes the edge's first columns; leave them and a little air.
        let room = prompt.width - 14
        var name = state.engineName
        func text() -> String { " \(name) · \(key) " }
        while text().displayWidth > room, !name.isEmpty {
            name = String(name.dropLast(name.hasSuffix("…") ? 2 : 1)) + "…"
            if name == "…" { break }
        }
        let tag = text()
        let width = tag.displayWidth
        return (tag, Rect(x: prompt.x + prompt.width - 2 - width, y: prompt.y, width: width, height: 1))
    }
}

/// The engine picker's box: the choices (scrolled to keep the highlight in view when they outnumber
/// the rows), how to get a model when none is installed, and the keys.
public struct EnginePickerLayout: Equatable, Sendable {
    public var box: Rect
    /// The row of the first choice shown, which choice that is, and how many rows the list has.
    public var listY: Int
    public var first: Int
    public var listRows: Int
    /// Whether the "no model installed" lines show (under the list).
    public var showsHint: Bool

    public init(_ state: StudioState) {
        let catalog = state.engines
        let count = catalog.choices.count
        // Before the engines are listed the list has one row, which says they are being looked for.
        showsHint = !catalog.choices.isEmpty && !catalog.hasModels
        let hintBlock = showsHint ? EnginePicker.noModelsHint.count + 1 : 0
        // Wider than the take menu where there is room: a line carries a model's name, size and, when it
        // cannot be used, why.
        let width = min(state.width - 8, 100)
        // The frame, a blank row and the keys take four rows.
        let height = min(max(1, count) + hintBlock + 4, state.height - 2)
        box = Rect(x: (state.width - width) / 2, y: max(1, (state.height - height) / 2), width: width, height: height)
        listY = box.y + 1
        listRows = max(1, height - 4 - hintBlock)
        let selected = state.enginePicker?.selected ?? 0
        first = min(max(0, selected - listRows + 1), max(0, count - listRows))
    }

    /// The choice drawn at row `y` (anywhere across the box); `nil` elsewhere.
    public func choice(atY y: Int, count: Int) -> Int? {
        let index = first + y - listY
        guard y >= listY, y < listY + listRows, index < count else { return nil }
        return index
    }
}
