import RiffleCore

extension StudioReducer {
    /// `s` in the sliders: type a seed, as `generate --seed` takes one. While one is being typed, digits
    /// and Backspace edit it, Enter sets it (locked, so the batch is the one that seed makes, answered
    /// from the library if it was made before), Esc cancels; any other key cancels it and does what it does.
    static func seedEntryKey(_ key: Key, _ state: inout StudioState) -> [StudioEffect]? {
        guard var entry = state.seedEntry else { return nil }
        switch key {
        case .character(let digit) where digit.isASCII && digit.isNumber:
            let longer = entry + String(digit)
            guard let value = Int64(longer), GenerationRequest.Limits.seed.contains(value) else {
                state.message = .init(text: "A seed is 0 to \(Int64.max)", isError: true)
                return []
            }
            entry = longer
        case .backspace:
            entry = String(entry.dropLast())
        case .enter:
            state.seedEntry = nil
            guard let value = Int64(entry) else { return [] }
            state.seed = value
            state.seedLocked = true
            state.message = .init(text: "Seed \(value), locked: the next batch is the one it makes (l unlocks)", isError: false)
            return []
        case .escape:
            state.seedEntry = nil
            return []
        default:
            state.seedEntry = nil
            return press(key, &state)
        }
        state.seedEntry = entry
        return []
    }
}
