import RiffleCore

/// The rhythms each comping pattern comes in, as (step, length in sixteenths) per bar; a take
/// draws one and keeps it, so the groove stays steady within a take and differs between takes.
enum CompPatterns {
    typealias Hit = (step: Int, length: Double)

    private static func hits(_ steps: [Int], _ length: Double) -> [Hit] { steps.map { ($0, length) } }

    /// The figures for `pattern` in `metre`, the genre's classic first. Montuno figures span two
    /// bars (32 steps in 4/4).
    static func figures(_ pattern: ComposerStyle.HarmonyPattern, metre: TimeSignature) -> [[Hit]] {
        let bar = metre.stepsPerBar
        let beats = metre.beatSteps
        let half = metre.stepsPerBeat / 2
        let offBeats = beats.map { $0 + half }
        let fourFour = bar == 16
        switch pattern {
        case .block:
            let whole = [(0, Double(bar) * 0.98)]
            return fourFour ? [whole, [(0, 7.8), (8, 7.8)], [(0, 5.8), (6, 9.8)], [(0, 11.8), (14, 1.8)]]
                            : [whole, [(0, Double(beats.last ?? 0) * 0.98), (beats.last ?? 0, Double(bar - (beats.last ?? 0)) * 0.95)]]
        case .comp:
            let candidates: [[Int]] = [[0, 6, 10].filter { $0 < bar }, beats, offBeats, [0] + beats.dropFirst().map { $0 - 2 }]
            return candidates.map { hits($0, 2.8) } + (fourFour ? [hits([3, 8, 14], 2.8)] : [])
        case .strum:
            return fourFour ? [hits([0, 4, 6, 10, 12, 14], 3.6), hits([0, 4, 8, 12], 3.6), hits([0, 6, 8, 14], 3.6), hits([0, 3, 6, 8, 10, 12, 14], 2.6)]
                            : [hits(beats, 3.6), hits(Array(stride(from: 0, to: bar, by: 2)), 1.8)]
        case .power:
            let eighths = Array(stride(from: 0, to: bar, by: 2))
            return fourFour ? [hits(eighths, 1.8), hits([0, 3, 4, 6, 7, 8, 11, 12, 14, 15], 0.9), hits([0, 4, 8, 12], 3.5), hits([0, 3, 6, 8, 11, 14], 1.8)]
                            : [hits(eighths, 1.8), hits(beats, 3.5)]
        case .skank:
            return fourFour ? [hits(offBeats, 1.2), hits([4, 12], 1.2), hits(offBeats.flatMap { [$0, $0 + 1] }, 0.6),
                               hits([2, 6, 10, 13, 14], 0.9), hits([4, 6, 12, 14], 1.2)]
                            : [hits(offBeats, 1.2), hits(Array(beats.dropFirst()), 1.2)]
        case .stab:
            return fourFour ? [hits([3, 6, 10, 14], 0.8), hits([2, 7, 10, 14], 0.8), hits([0, 3, 8, 11], 0.8)] : [hits(offBeats, 0.8)]
        case .offbeat:
            return fourFour ? [hits(offBeats, 1.5), hits(offBeats + [7], 1.2), hits([2, 6, 10, 13, 14], 1.2)] : [hits(offBeats, 1.5)]
        case .montuno:
            // Two-bar figures on the eighths: the 2-3 side, the 3-2 side, and running off-beats.
            return fourFour ? [hits([2, 6, 8, 12, 16, 20, 22, 26, 30], 1.6), hits([0, 4, 6, 10, 14, 18, 22, 24, 28], 1.6),
                               hits([2, 6, 10, 12, 14, 18, 22, 26, 28, 30], 1.6)]
                            : [hits(offBeats, 1.6), hits(Array(stride(from: 0, to: bar, by: 2)), 1.6)]
        case .arpeggio:
            // The first figure is even notes at a pace the tempo sets (empty here); the others
            // group the eighths 3+3+2 or let the bar's last beat run on.
            return fourFour ? [[], hits([0, 3, 6, 8, 11, 14], 2.5), hits([0, 4, 8, 10, 12, 14], 2.5)] : [[], hits(beats, 3.5)]
        }
    }
}

/// How a take voices its chords: where the hands sit (which inversion comes up), close or open,
/// and the colour the genre adds (ninths, suspensions), drawn once per take.
struct Voicing: Hashable {
    /// The lowest pitch a comping chord may take (G3 is 55): a few semitones up or down changes
    /// the inversions the chords fall in.
    var low = 55
    /// Open voicing: the middle tone goes up an octave.
    var open = false
    /// Added colour on some chords.
    var colour: Colour = .plain
    /// The order arpeggios walk the chord.
    var arpeggio: Arpeggio = .up

    enum Colour: CaseIterable { case plain, ninth, suspended }
    enum Arpeggio: CaseIterable { case up, upDown, broken }

    /// The voicing as drawn for a style: ninths in genres rich in sevenths, suspended seconds in
    /// the plainer ones; close, root-position-ish and plain likeliest under the preset.
    static func draw(for style: ComposerStyle, _ choices: inout Choices) -> Voicing {
        var voicing = Voicing()
        voicing.low = choices.pick([(55, conditioned: 0.35, unconditioned: 0.0), (52, conditioned: 0.0, unconditioned: 0.0),
                                    (58, conditioned: 0.0, unconditioned: 0.0), (60, conditioned: -0.1, unconditioned: 0.0)])
        voicing.open = choices.chance(0.3)
        let colours: [Colour] = style.sevenths >= 0.4 ? [.plain, .ninth] : [.plain, .suspended]
        voicing.colour = choices.pick(colours.map { ($0, conditioned: $0 == .plain ? 0.2 : 0.0, unconditioned: 0.0) })
        voicing.arpeggio = choices.pick(Arpeggio.allCases.map { ($0, conditioned: $0 == .up ? 0.35 : 0.0, unconditioned: 0.0) })
        return voicing
    }
}
