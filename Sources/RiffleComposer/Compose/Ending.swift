import RiffleCore

/// The last bar: every part lands on the tonic chord together and lets it ring to the end of the take.
enum Ending {
    static func apply(to parts: inout [Score.Part], score: Score, accompaniment: Accompaniment,
                      melodyWriter: MelodyWriter, dynamics: Dynamics) {
        guard let finalChord = score.chords.last else { return }
        let finalBarStart = Double(score.bars - 1) * score.barLength
        let end = score.duration / score.secondsPerQuarter
        let length = max(0.25, end - finalBarStart)
        for index in parts.indices where parts[index].role != .drums {
            let role = parts[index].role
            var notes = parts[index].notes.filter { $0.start < finalBarStart - 1e-9 }
            for note in notes.indices where notes[note].start + notes[note].length > finalBarStart {
                notes[note].length = max(0.05, finalBarStart - notes[note].start)
            }
            let velocity = dynamics.velocity(role, at: finalBarStart)
            let pitches: [Int]
            switch role {
            case .bass: pitches = [accompaniment.bassRoot(finalChord)]
            case .harmony: pitches = accompaniment.voicing(finalChord, from: 55)
            case .texture: pitches = accompaniment.style.texture == .none ? [] : accompaniment.voicing(finalChord, from: 64)
            case .melody:
                // The tonic nearest where the line last was.
                let last = notes.last?.pitch ?? melodyWriter.midiPitch(melodyWriter.centre)
                let tonic = score.key.tonicPitchClass
                pitches = [last - ((last - tonic) % 12 + 12) % 12 + (((last - tonic) % 12 + 12) % 12 > 6 ? 12 : 0)]
            case .drums: pitches = []
            }
            notes += pitches.map { ScoreNote(start: finalBarStart, length: length, pitch: $0, velocity: velocity) }
            parts[index].notes = notes
        }
    }
}
