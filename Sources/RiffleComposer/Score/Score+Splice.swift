import RiffleCore

extension Score {
    /// This score with the bars in `bars` taken from `other` (notes and chords that start there);
    /// notes ringing across either edge are cut at it, so nothing from one side sounds in the other.
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
            return part
        }
        result.chords = (chords.filter { !inside($0.start) } + other.chords.filter { inside($0.start) }).sorted { $0.start < $1.start }
        return result
    }
}
