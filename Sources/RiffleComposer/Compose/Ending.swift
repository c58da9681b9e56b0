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

/// Makes the parts breathe: swing on the off-beats, small timing and velocity variations, none of
/// which are musical choices, so they come from their own stream and leave the notes alone.
struct Humanizer {
    let style: ComposerStyle
    let secondsPerQuarter: Double
    /// The final chord lands together, untouched.
    let finalBarStart: Double
    /// Whether the metre is compound (6/8, 12/8).
    let compound: Bool

    func apply(to part: inout Score.Part, _ choices: inout Choices) {
        let spread = (0.003 + 0.008 * style.humanize) / secondsPerQuarter
        let velocitySpread = 3 + 6 * style.humanize
        for note in part.notes.indices {
            var value = part.notes[note]
            guard value.start < finalBarStart - 1e-9 else { continue }
            let step = (value.start * 4).rounded()
            // Compound metres already divide the beat in three: swing is for duple subdivisions.
            if !compound, abs(value.start * 4 - step) < 0.01 {
                let position = Int(step) % 4
                if position == 2 { value.start += style.swing * 0.5 }
                else if position % 2 == 1 { value.start += style.swing * 0.25 }
            }
            let shift = min(max(choices.wobble(), -2.5), 2.5) * spread
            value.start = max(0, value.start + shift)
            value.velocity = min(127, max(1, value.velocity + Int((choices.wobble() * velocitySpread).rounded())))
            part.notes[note] = value
        }
        part.notes.sort { ($0.start, $0.pitch) < ($1.start, $1.pitch) }
    }
}

