import RiffleCore

extension Score {
    /// This score with the bars in `bars` taken from `other` (notes, controllers and chords that
    /// start there); notes ringing across either edge are cut at it, so nothing from one side sounds
    /// in the other, and the pitch wheel and the sustain pedal are reset at both edges, so a bend or
    /// a held pedal of one side does not colour the other's notes.
    func splicing(_ other: Score, bars: Range<Int>) -> Score {
        let from = Double(bars.lowerBound) * barLength
        let to = Double(bars.upperBound) * barLength
        func inside(_ time: Double) -> Bool { time >= from - 1e-9 && time < to - 1e-9 }
        func cut(_ notes: [ScoreNote], keepingInside: Bool) -> [ScoreNote] {
            notes.compactMap { note in
                guard inside(note.start) == keepingInside else { return nil }
                var note = note
                let boundary = keepingInside ? to : (note.start < from ? from : .infinity)
                if note.start + note.length > boundary { note.length = max(0.05, boundary - note.start) }
                return note
            }
        }
        var result = self
        result.parts = parts.map { part in
            var part = part
            let replacement = other.part(part.role)
            part.notes = (cut(part.notes, keepingInside: false) + cut(replacement?.notes ?? [], keepingInside: true))
                .sorted { ($0.start, $0.pitch) < ($1.start, $1.pitch) }
            let resets = [from, to].flatMap { time in
                [ScoreController(time: time, kind: .pitchBend, value: 0), ScoreController(time: time, kind: .sustain, value: 0)]
            }
            // At one time the resets go first, so the replacement's own settings at its first beat win.
            let ordered = part.controllers.filter { !inside($0.time) }.map { ($0, 1) } + resets.map { ($0, 0) }
                + (replacement?.controllers ?? []).filter { inside($0.time) }.map { ($0, 1) }
            part.controllers = ordered.sorted { ($0.0.time, $0.1) < ($1.0.time, $1.1) }.map(\.0)
            return part
        }
        result.chords = (chords.filter { !inside($0.start) } + other.chords.filter { inside($0.start) }).sorted { $0.start < $1.start }
        return result
    }
}
