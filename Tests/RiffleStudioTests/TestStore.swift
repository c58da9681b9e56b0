import RiffleAudio
import RiffleStudio
import Testing

/// An exhaustive test store for the studio's reducer, in the pattern of The Composable Architecture's
/// `TestStore` (which does not build on Linux).
///
/// Each `send` runs the reducer on the store's state, and separately applies `update` to a copy of the
/// state before it: the expected state. The test fails, with a list of what differs, when the reducer's
/// state is not exactly the expected one or its effects are not exactly `expected`, in order. So a
/// change a test does not assert, a message included, fails it.
struct TestStore {
    /// The state after the last action: the reducer's, whatever the test expected.
    private(set) var state: StudioState

    init(initial: StudioState) {
        state = initial
    }

    /// Sends `action`; `update` makes, from the state before, the state the reducer must leave, and
    /// `expected` lists the effects it must ask for.
    mutating func send(_ action: StudioAction, effects expected: [StudioEffect] = [], sourceLocation: SourceLocation = #_sourceLocation,
                       _ update: (inout StudioState) -> Void = { _ in }) {
        var expectedState = state
        update(&expectedState)
        let effects = StudioReducer.reduce(&state, action)
        var problems: [String] = []
        if state != expectedState {
            let differences = Diff.lines("", expectedState, state)
            problems.append("The state differs from the one expected after \(Diff.describe(action)) (expected, then actual):\n"
                + (differences.isEmpty ? ["  (no field found: the states are unequal in a way Mirror does not show)"] : differences)
                .joined(separator: "\n"))
        }
        if effects != expected {
            problems.append("The effects differ from the ones expected after \(Diff.describe(action)):\n" + Diff.effects(expected, effects))
        }
        if !problems.isEmpty {
            Issue.record(Comment(rawValue: problems.joined(separator: "\n")), sourceLocation: sourceLocation)
        }
    }

    /// Presses `key`: `send(.key(key))`.
    mutating func press(_ key: Key, effects expected: [StudioEffect] = [], sourceLocation: SourceLocation = #_sourceLocation,
                        _ update: (inout StudioState) -> Void = { _ in }) {
        send(.key(key), effects: expected, sourceLocation: sourceLocation, update)
    }
}

/// Readable differences between two values of the same type, found with Mirror.
enum Diff {
    /// How deep the diff follows nested values before it shows the whole of what differs.
    private static let maxDepth = 6

    /// One line per differing field: `  jobs[0].takes[1].rating: 5 ≠ nil`, as "expected ≠ actual".
    static func lines(_ path: String, _ expected: Any, _ actual: Any, depth: Int = 0) -> [String] {
        if isEqual(expected, actual) { return [] }
        let leaf = ["  \(path.isEmpty ? "(the value)" : path): \(describe(expected)) ≠ \(describe(actual))"]
        guard depth < maxDepth else { return leaf }
        let left = Mirror(reflecting: expected), right = Mirror(reflecting: actual)
        switch (left.displayStyle, right.displayStyle) {
        case (.optional, .optional):
            guard let a = left.children.first?.value, let b = right.children.first?.value else { return leaf }
            return lines(path, a, b, depth: depth + 1)
        case (.collection, .collection):
            let a = left.children.map(\.value), b = right.children.map(\.value)
            guard a.count == b.count else {
                return ["  \(path): \(a.count) element\(a.count == 1 ? "" : "s") ≠ \(b.count)",
                        "    expected: \(describe(expected))", "    actual:   \(describe(actual))"]
            }
            return zip(a, b).enumerated().flatMap { index, pair in lines("\(path)[\(index)]", pair.0, pair.1, depth: depth + 1) }
        case (.struct, .struct), (.tuple, .tuple):
            let a = Array(left.children), b = Array(right.children)
            guard a.count == b.count, zip(a, b).allSatisfy({ $0.label == $1.label }) else { return leaf }
            let found = zip(a, b).enumerated().flatMap { index, pair in
                lines(join(path, pair.0.label ?? ".\(index)"), pair.0.value, pair.1.value, depth: depth + 1)
            }
            return found.isEmpty ? leaf : found
        case (.enum, .enum):
            // The same case with different payloads: say which part of the payload.
            guard let a = left.children.first, let b = right.children.first, a.label == b.label else { return leaf }
            let found = lines("\(path)(\(a.label ?? ""))", a.value, b.value, depth: depth + 1)
            return found.isEmpty ? leaf : found
        default:
            return leaf
        }
    }

    /// Both lists of effects, and where they part.
    static func effects(_ expected: [StudioEffect], _ actual: [StudioEffect]) -> String {
        var text = ["  expected: \(list(expected))", "  actual:   \(list(actual))"]
        if expected.count == actual.count {
            text += zip(expected, actual).enumerated().flatMap { index, pair in lines("effects[\(index)]", pair.0, pair.1) }
        } else if expected.count < actual.count {
            text.append("  not asserted: \(list(Array(actual[expected.count...])))")
        }
        return text.joined(separator: "\n")
    }

    static func describe(_ value: Any) -> String {
        if let waveform = value as? WaveformItem {
            return "WaveformItem(takeID: \"\(waveform.takeID)\", \(waveform.stems.count) stems, \(waveform.sections.count) sections)"
        }
        let mirror = Mirror(reflecting: value)
        if mirror.displayStyle == .optional {
            guard let wrapped = mirror.children.first?.value else { return "nil" }
            return describe(wrapped)
        }
        if mirror.displayStyle == .collection, !(value is String) {
            return list(mirror.children.map(\.value))
        }
        let text = value is String ? "\"\(value)\"" : String(describing: value)
        return text.count > 300 ? String(text.prefix(300)) + "…" : text
    }

    private static func list(_ values: [Any]) -> String {
        "[" + values.map(describe).joined(separator: ", ") + "]"
    }

    private static func join(_ path: String, _ label: String) -> String {
        path.isEmpty ? label : "\(path).\(label)"
    }

    private static func isEqual(_ a: Any, _ b: Any) -> Bool {
        guard let a = a as? any Equatable else { return String(reflecting: a) == String(reflecting: b) }
        return a.isEqual(to: b)
    }
}

private extension Equatable {
    func isEqual(to other: Any) -> Bool {
        guard let other = other as? Self else { return false }
        return self == other
    }
}
