import RiffleCore

/// Where a phrase's line is heading, bar by bar: the contour as scale steps above the section's
/// home register, which the pitch draw leans toward.
enum PhraseShape {
    /// The height the line aims for in bar `bar` (0-based) of a phrase of `length` bars.
    static func height(_ contour: MelodyStyle.Contour, bar: Int, of length: Int) -> Int {
        let position = length > 1 ? Double(bar) / Double(length - 1) : 0
        switch contour {
        case .arch:
            // The peak falls in the third bar of four, as most tunes place their high point late.
            return Int((4 * (1 - abs(position - 0.66) / 0.66)).rounded())
        case .rise: return Int((4 * position).rounded())
        case .fall: return Int((4 * (1 - position)).rounded())
        case .wave: return bar % 2 == 0 ? 0 : 3
        }
    }

    /// The contour and phrase plan of a section, drawn from the style's lists (likeliest first).
    static func draw(_ style: MelodyStyle, _ choices: inout Choices) -> (MelodyStyle.Contour, PhrasePlan) {
        let contour = choices.pick(style.contours.enumerated().map { index, contour in
            (contour, conditioned: -0.5 * Double(index), unconditioned: 0.0)
        })
        let plan = choices.pick(style.phrases.enumerated().map { index, plan in
            (plan, conditioned: -0.5 * Double(index), unconditioned: 0.0)
        })
        return (contour, plan)
    }
}
