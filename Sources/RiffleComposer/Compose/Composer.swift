import Foundation
import RiffleCore

/// Turns an interpretation into a score: form, harmony, melody, bass, comping, texture and drums,
/// every choice drawn under the request's sampling parameters from generators seeded by the take's seed.
///
/// Pure and deterministic: the same inputs give the same score, note for note.
public struct Composer: Sendable {
    public let style: ComposerStyle
    public let preset: GenrePreset?
    public let sampling: SamplingParameters

    public init(style: ComposerStyle, preset: GenrePreset?, sampling: SamplingParameters) {
        self.style = style
        self.preset = preset
        self.sampling = sampling
    }

    /// Independent random streams, one per part of the work.
    enum Stream: UInt64 {
        case key = 1, harmony, melody, bass, comping, drums, humanize, instruments, form
    }

    func choices(_ stream: Stream, seed: Int64) -> Choices {
        Choices(seed: seed, stream: stream.rawValue, sampling: sampling)
    }

    /// The score for `interpretation`, `duration` seconds long.
    public func compose(_ interpretation: Interpretation, duration: Double, seed: Int64) -> Score {
        compose(interpretation, duration: duration, seed: seed, progressions: [:], motifs: [:])
    }

    /// The score, keeping the chord progressions and melodic motifs given (by kind of section), as
    /// a restyle and an extension do; the rest is drawn.
    func compose(_ interpretation: Interpretation, duration: Double, seed: Int64,
                 progressions known: [SectionKind: [ChordSymbol]], motifs: [SectionKind: MelodyWriter.Motif]) -> Score {
        var keyChoices = choices(.key, seed: seed)
        let harmonyWriter = HarmonyWriter(style: style, preset: preset, moods: interpretation.moods)
        let key = interpretation.key?.value ?? harmonyWriter.chooseKey(&keyChoices)
        let metre = interpretation.timeSignature.value
        let barLength = metre.barLengthInQuarters
        let secondsPerQuarter = 60 / (interpretation.bpm.value * metre.beatLengthInQuarters)
        let totalBars = max(1, Int((duration / (barLength * secondsPerQuarter)).rounded(.down)))
        var formChoices = choices(.form, seed: seed)
        let sections = FormPlanner.plan(template: style.form, requested: interpretation.sections, totalBars: totalBars,
                                        phrase: style.phraseBars(for: key.mode), barSeconds: barLength * secondsPerQuarter, &formChoices)

        var harmonyChoices = choices(.harmony, seed: seed)
        var progressions = known
        let chords = harmonyWriter.chords(for: sections, key: key, barLength: barLength, known: &progressions, &harmonyChoices)
        var score = Score(key: key, bpm: interpretation.bpm.value, timeSignature: metre, genre: interpretation.genre.value,
                          duration: duration, sections: sections, chords: chords, parts: [])
        score.progressions = progressions
        score.motifs = motifs
        (score.parts, score.motifs) = arrange(score, interpretation: interpretation, seed: seed)
        return score
    }

    /// Writes every part over the score's form and chords, reusing the score's motifs where it has
    /// them; returns the parts and the motifs, now including any drawn.
    func arrange(_ score: Score, interpretation: Interpretation, seed: Int64) -> (parts: [Score.Part], motifs: [SectionKind: MelodyWriter.Motif]) {
        let metre = score.timeSignature
        let barLength = score.barLength
        let arrangement = interpretation.arrangement
        var style = self.style
        // A shuffle asked for swings the off-beats, whatever the genre's own swing.
        if arrangement.feels.contains("shuffle") { style.swing = max(style.swing, 0.33) }
        let drumStyle = drumGrooves(interpretation)
        let programs = instrumentPrograms(interpretation, seed: seed)
        let dynamics = Dynamics(sections: score.sections, barLength: barLength, moods: interpretation.moods,
                                beatLength: metre.beatLengthInQuarters, hasDrums: !drumStyle.grooves.isEmpty)

        // Melody: one motif per kind of section, so a chorus sounds like the chorus each time.
        var melodyChoices = choices(.melody, seed: seed)
        let melodyWriter = MelodyWriter(style: style, key: score.key, timeSignature: metre, moods: interpretation.moods,
                                         program: programs[.melody])
        let (melody, motifs) = melodyWriter.line(for: score, motifs: score.motifs, dynamics: dynamics, &melodyChoices)

        // Drums first: a bass that locks to the kick needs to know where it falls.
        var drumChoices = choices(.drums, seed: seed)
        let drumWriter = DrumWriter(style: drumStyle, timeSignature: metre, barLength: barLength,
                                    quarterNotesPerMinute: score.quarterNotesPerMinute, arrangement: arrangement)
        let grooves = drumStyle.grooves.isEmpty ? [:] : drumWriter.chooseGrooves(for: Set(score.sections.map(\.kind)), &drumChoices)
        let drums = grooves.isEmpty ? [] : drumWriter.notes(sections: score.sections, grooves: grooves,
                                                            velocity: { dynamics.velocity(.drums, at: $0) }, &drumChoices)
        func kickSteps(_ bar: Int) -> [Int] {
            let kind = score.sections.last { $0.startBar <= bar }?.kind ?? .verse
            return grooves[kind].map { DrumWriter.kickSteps($0, bar: bar, stepsPerBar: metre.stepsPerBar) } ?? metre.beatSteps
        }

        let accompaniment = Accompaniment(style: style, key: score.key, timeSignature: metre, barLength: barLength,
                                          quarterNotesPerMinute: score.quarterNotesPerMinute)
        var bassChoices = choices(.bass, seed: seed)
        var compChoices = choices(.comping, seed: seed)
        let plan = ArrangementPlan.draw(style: style, metre: metre, bass: &bassChoices, comping: &compChoices)
        let bass = accompaniment.bass(chords: score.chords, plan: plan, kickSteps: kickSteps, velocity: { dynamics.velocity(.bass, at: $0) }, &bassChoices)
            .filter { dynamics.section(at: $0.start) != .breakdown }
        let comping = accompaniment.comping(chords: score.chords, plan: plan, velocity: { dynamics.velocity(.harmony, at: $0) }, &compChoices)
        let texture = accompaniment.texture(chords: score.chords, velocity: { dynamics.velocity(.texture, at: $0) })
            .filter { style.texture == .arpeggio || Self.padSections.contains(dynamics.section(at: $0.start)) }

        var parts = [
            Score.Part(role: .drums, program: drumKit(interpretation), notes: drums),
            Score.Part(role: .bass, program: programs[.bass] ?? 33, notes: bass),
            Score.Part(role: .harmony, program: programs[.harmony] ?? 0, notes: comping),
            Score.Part(role: .melody, program: programs[.melody] ?? 73, notes: melody),
            Score.Part(role: .texture, program: programs[.texture] ?? 48, notes: texture),
        ]
        Ending.apply(to: &parts, score: score, accompaniment: accompaniment, melodyWriter: melodyWriter, dynamics: dynamics)
        // A part the prompt refuses stays, silent, so every take has its five stems summing to the mix.
        for index in parts.indices where !arrangement.allows(parts[index].role) { parts[index].notes = [] }
        let humanizer = Humanizer(style: style, secondsPerQuarter: score.secondsPerQuarter,
                                  finalBarStart: Double(score.bars - 1) * barLength, compound: metre.isCompound)
        for index in parts.indices {
            // A stream per part, so one part's note count does not shift another's feel.
            var humanizeChoices = choices(.humanize, seed: seed &+ Int64(index))
            humanizer.apply(to: &parts[index], &humanizeChoices)
        }
        Production.apply(to: &parts, score: score, style: style, interpretation: interpretation)
        return (parts, motifs)
    }

    /// Where sustained pads play: the big and the open sections. Verses and intros stay lighter, so
    /// the chorus lifts (and a pad, GM's most expensive sound to render, plays half the time).
    static let padSections: Set<SectionKind> = [.chorus, .drop, .bridge, .breakdown, .outro, .solo]
}
