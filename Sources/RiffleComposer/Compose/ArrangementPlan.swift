import RiffleCore

/// What a take's accompaniment plays, drawn once per take: the bass pattern and its figure, the
/// comping pattern and its figure, the voicing. The preset's first pattern and classic figure are
/// the likeliest; the preferences are gentle, so takes of one prompt differ where a listener hears
/// it, while a low temperature or a high guidance settles on the preset's own.
struct ArrangementPlan: Hashable {
    var bass: ComposerStyle.BassPattern
    var bassFigure: Int
    var comping: ComposerStyle.HarmonyPattern
    var compFigure: Int
    var voicing: Voicing

    /// A draw of index into `count` options, the first preferred by `lead`.
    static func figure(_ count: Int, lead: Double = 0.25, _ choices: inout Choices) -> Int {
        guard count > 1 else { return 0 }
        return choices.pick(conditioned: (0..<count).map { $0 == 0 ? lead : 0 }, unconditioned: Array(repeating: 0, count: count))
    }

    static func draw(style: ComposerStyle, metre: TimeSignature, bass bassChoices: inout Choices,
                     comping compChoices: inout Choices) -> ArrangementPlan {
        let bass = bassChoices.pick(style.bassPatterns.enumerated().map { ($0.element, conditioned: -0.3 * Double($0.offset), unconditioned: 0.0) })
        let bassFigure = figure(BassPatterns.count(bass, metre: metre), &bassChoices)
        let comping = compChoices.pick(style.harmonyPatterns.enumerated().map { ($0.element, conditioned: -0.3 * Double($0.offset), unconditioned: 0.0) })
        let compFigure = figure(CompPatterns.figures(comping, metre: metre).count, &compChoices)
        let voicing = Voicing.draw(for: style, &compChoices)
        return ArrangementPlan(bass: bass, bassFigure: bassFigure, comping: comping, compFigure: compFigure, voicing: voicing)
    }
}
