extension StudioReducer {
    /// Seconds a plain arrow moves the playhead.
    static let seekStep = 1.0

    static func waveformKey(_ key: Key, _ state: inout StudioState) -> [StudioEffect] {
        guard let waveform = state.waveform else { return [] }
        let duration = waveform.duration
        var playback = state.playback
        defer { state.playback = playback }
        func moved(by seconds: Double) -> Double { min(max(playback.position + seconds, 0), duration) }
        func seek(_ position: Double) -> [StudioEffect] {
            playback.position = position
            playback.regionAnchor = nil
            return playback.takeID == waveform.takeID ? [.seek(position)] : []
        }
        switch key {
        case .left: return seek(moved(by: -seekStep))
        case .right: return seek(moved(by: seekStep))
        case .pageUp: return seek(moved(by: -10))
        case .pageDown: return seek(moved(by: 10))
        case .home: return seek(0)
        case .end: return seek(duration)
        case .shiftLeft, .shiftRight:
            let anchor = playback.regionAnchor ?? playback.region.map { playback.position == $0.lowerBound ? $0.upperBound : $0.lowerBound }
                ?? playback.position
            playback.regionAnchor = anchor
            playback.position = moved(by: key == .shiftLeft ? -seekStep : seekStep)
            let region = min(anchor, playback.position)...max(anchor, playback.position)
            playback.region = region.upperBound > region.lowerBound ? region : nil
            guard playback.looping else { return [] }
            // A region shrunk to nothing ends its loop in the player too.
            if playback.region == nil { playback.looping = false }
            return [.setLoop(playback.region)]
        case .escape:
            guard playback.region != nil else { return [] }
            playback.region = nil
            playback.regionAnchor = nil
            let wasLooping = playback.looping
            playback.looping = false
            return wasLooping ? [.setLoop(nil)] : []
        case .character("l"):
            guard let region = playback.region else {
                state.message = .init(text: "Select a region first: Shift ←→ in the waveform", isError: false)
                return []
            }
            playback.looping.toggle()
            return [.setLoop(playback.looping ? region : nil)]
        case .up, .down:
            guard !waveform.stems.isEmpty else { return [] }
            playback.stemCursor = min(max(playback.stemCursor + (key == .up ? -1 : 1), 0), waveform.stems.count - 1)
            return []
        case .character("s"), .character("M"):
            guard !waveform.stems.isEmpty else {
                state.message = .init(text: "This take has no stems yet: m, then Stems, makes them", isError: false)
                return []
            }
            let stem = min(playback.stemCursor, waveform.stems.count - 1)
            if key == .character("s") {
                if playback.soloed.contains(stem) { playback.soloed.remove(stem) } else { playback.soloed.insert(stem) }
            } else {
                if playback.muted.contains(stem) { playback.muted.remove(stem) } else { playback.muted.insert(stem) }
            }
            return [.setMuted(playback.silenced(stemCount: waveform.stems.count))]
        default:
            return []
        }
    }
}
