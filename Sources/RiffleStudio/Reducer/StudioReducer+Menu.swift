import Foundation
import RiffleEngine

extension StudioReducer {
    /// The longest take an extend may make, as the request limits say.
    static let longestTake = 300.0

    static func openMenu(_ state: inout StudioState) -> [StudioEffect] {
        guard let take = state.selectedTake else {
            state.message = .init(text: "No take selected: choose one in the jobs pane", isError: false)
            return []
        }
        let can = state.capabilities
        let cannot = cannotReasons(state)
        // The region is the player's and stays as the highlight moves between takes (A/B over the same
        // bars, its loop too), so it belongs to the selected take whether or not that take's waveform
        // has loaded yet; it only has to lie within the take.
        let region = state.playback.region
        let regionProblem: String? = region.map { $0.upperBound > take.duration + 0.001 ? "the region runs past the take's end (\(clock(take.duration)))" : nil }
            ?? "select a region first (Shift ←→ in the waveform)"
        let extendBy = min(state.parameters.duration, longestTake - take.duration)
        let style = state.presets.indices.contains(state.selectedPreset) ? state.presets[state.selectedPreset] : nil
        // Export writes what the take has beside it: MIDI and stems only from an engine that makes them.
        let extras = [can.contains(.midi) ? "its MIDI" : nil,
                      can.contains(.stems) ? (can.contains(.midi) ? "stems" : "its stems") : nil].compactMap { $0 }
        let exported = extras.isEmpty ? "the take" : "the take, " + extras.joined(separator: " and ")
        let items: [TakeMenu.Item] = [
            .init(action: .repaint, detail: region.map { "\(clock($0.lowerBound))–\(clock($0.upperBound))" } ?? "",
                  unavailable: !can.contains(.repaint) ? cannot(.repaint) : regionProblem),
            .init(action: .extend, detail: extendBy >= 1 ? "by \(Int(extendBy)) s (the duration slider)" : "",
                  unavailable: !can.contains(.extend) ? cannot(.extend) : extendBy < 1 ? "already \(Int(longestTake)) s, the longest a take can be" : nil),
            .init(action: .restyle, detail: style.map { "as \($0.title) (the genre list's choice)" } ?? "",
                  unavailable: !can.contains(.restyle) ? cannot(.restyle) : style == nil ? "no genre presets" : nil),
            .init(action: .stems, detail: "drums, bass, harmony, melody, texture as files",
                  unavailable: can.contains(.stems) ? nil : cannot(.stems)),
            .init(action: .export, detail: "\(exported): choose the file and format", unavailable: nil),
            .init(action: .delete, detail: "remove the take and its files (asks first)", unavailable: nil),
        ]
        state.menu = TakeMenu(takeID: take.id, items: items)
        return []
    }

    /// Why the engine that made the selected take cannot do something to it, in its own name:
    /// "MusicGen makes no stems". An engine that cannot start says why, and one this build does not
    /// have (a library another build wrote) says that.
    private static func cannotReasons(_ state: StudioState) -> (EngineCapabilities) -> String {
        let name = state.takeEngine ?? ""
        guard let traits = state.engines.engines[name] else {
            let reason = state.engines.engines.isEmpty ? "the engines are still being listed" : "the \(name) engine that made it is not in this build"
            return { _ in reason }
        }
        if let problem = traits.problem { return { _ in "\(traits.title) cannot start: \(problem)" } }
        return { capability in
            switch capability {
            case .repaint: "\(traits.title) cannot repaint"
            case .extend: "\(traits.title) cannot extend"
            case .restyle: "\(traits.title) cannot restyle"
            case .stems: "\(traits.title) makes no stems"
            case .midi: "\(traits.title) makes no MIDI"
            default: "\(traits.title) cannot do that"
            }
        }
    }

    static func menuKey(_ key: Key, _ state: inout StudioState) -> [StudioEffect] {
        guard var menu = state.menu else { return [] }
        switch key {
        // The arrows skip what cannot be done: its line says why, and Enter on it could only say so again.
        case .up: menu.selected = menu.items.indices.last { $0 < menu.selected && menu.items[$0].unavailable == nil } ?? menu.selected
        case .down: menu.selected = menu.items.indices.first { $0 > menu.selected && menu.items[$0].unavailable == nil } ?? menu.selected
        case .escape, .character("m"), .character("q"):
            state.menu = nil
            return []
        case .enter:
            let item = menu.items[menu.selected]
            if let reason = item.unavailable {
                state.message = .init(text: "\(item.action.rawValue): \(reason)", isError: false)
                return []
            }
            state.menu = nil
            return run(item.action, on: menu.takeID, &state)
        default:
            break
        }
        state.menu = menu
        return []
    }

    private static func run(_ action: TakeMenu.Action, on takeID: String, _ state: inout StudioState) -> [StudioEffect] {
        let take = state.jobs.lazy.flatMap(\.takes).first { $0.id == takeID }
        switch action {
        case .repaint:
            guard let region = state.playback.region else { return [] }
            let prompt = state.prompt.trimmingCharacters(in: .whitespacesAndNewlines)
            let original = state.jobs.first { $0.takes.contains { $0.id == takeID } }?.prompt
            // The prompt pane's text guides the new bars when it says something new.
            let guide = prompt.isEmpty || prompt == original ? nil : prompt
            return [.repaint(takeID: takeID, from: region.lowerBound, to: region.upperBound, prompt: guide)]
        case .extend:
            return [.extend(takeID: takeID, seconds: min(state.parameters.duration, longestTake - (take?.duration ?? 0)))]
        case .restyle:
            return [.restyle(takeID: takeID, genre: state.presets[state.selectedPreset].name)]
        case .stems:
            return [.stems(takeID: takeID)]
        case .export:
            state.exportEntry = ExportEntry(takeID: takeID, path: "\(takeID).\(take?.format ?? "flac")")
            return []
        case .delete:
            state.confirmation = .deleteTake(takeID)
            state.message = .init(text: "Delete \(takeID) and its files? (y/n)", isError: false)
            return []
        }
    }

    /// Seconds as m:ss.
    public static func clock(_ seconds: Double) -> String {
        let whole = Int(seconds.rounded(.down))
        return String(format: "%d:%02d", whole / 60, whole % 60)
    }
}
