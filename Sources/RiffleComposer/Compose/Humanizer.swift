import RiffleCore

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

