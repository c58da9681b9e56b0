import Foundation

/// The musical-interest parts of the quality score: melody, form, dynamics.
enum Interest {
    static func parts(_ analysis: Analysis) -> [QualityScore.Part] {
        [melody(analysis), form(analysis), dynamics(analysis)].compactMap { $0 }
    }

    /// The tune's variety, from the melody stem or else the pitched mix: a line that uses about as
    /// many pitch classes as a diatonic tune does unevenly (entropy near 0.7 of all twelve) and
    /// changes pitch about every fifth frame (0.2 a frame: two changes a second; quarter notes
    /// with half of them repeated, the complaint, move 0.05 to 0.1).
    static func melody(_ analysis: Analysis) -> QualityScore.Part? {
        let source = analysis.melody ?? analysis.pitched
        guard let variety = MusicalInterest.variety(source) else { return nil }
        let value = (Shape.gaussian(variety.entropy - 0.7, 0.15) * Shape.logBump(variety.movement, 0.2, 0.7)).squareRoot()
        return part("melody", value, String(format: "%@: pitch entropy %.2f, moves %.0f%% of frames",
                                            analysis.melody == nil ? "mix" : "melody stem", variety.entropy, 100 * variety.movement))
    }

    /// Repetition at bar level: bars should come back (phrases recur, a chord loop returns), yet a
    /// bar should not merely repeat the one before it (a one-bar loop).
    static func form(_ analysis: Analysis) -> QualityScore.Part? {
        guard let repetition = MusicalInterest.repetition(analysis.pitched, barSeconds: analysis.barSeconds) else { return nil }
        let t = min(1, max(0, (repetition.loop - 0.8) / 0.19))
        let looping = 1 - 0.7 * t * t * (3 - 2 * t)
        // Bars that carry a tune over repeating chords recur at about 0.8 (at 1 the tune repeats too).
        let value = Shape.gaussian(repetition.recurrence - 0.8, 0.12) * looping
        return part("form", value, String(format: "%d bars, recurrence %.2f, bar-to-bar %.2f",
                                          repetition.bars, repetition.recurrence, repetition.loop))
    }

    /// Loudness range (EBU R 128 LRA): about 5 LU breathes; 1 LU is a flat wall, 15 LU a take that
    /// fades in and out more than it plays.
    static func dynamics(_ analysis: Analysis) -> QualityScore.Part? {
        guard let range = MusicalInterest.loudnessRange(analysis.mixSignal) else { return nil }
        return part("dynamics", Shape.logBump(max(range, 0.1), 5, 0.8), String(format: "loudness range %.1f LU", range))
    }
}
