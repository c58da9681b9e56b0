import Foundation
import RiffleCore

/// Writes the lead line: a motif per kind of section built from the genre's rhythm cells, laid out
/// in four-bar phrases (statement, variation, contrast, cadence) along a contour, fitted to the
/// chords underneath and kept inside the lead instrument's range.
struct MelodyWriter {
    let style: ComposerStyle
    let key: MusicalKey
    let timeSignature: TimeSignature
    let moods: [String]
    /// The lead instrument's General MIDI program, whose comfortable range bounds the line; `nil`
    /// bounds it by the range every melody instrument the preset lists can play.
    var program: Int? = nil

    /// A bar of melody: onsets on the sixteenth grid, how long each note sounds (sixteenths) and the
    /// scale steps from each note to the next.
    struct Figure: Sendable, Hashable, Codable {
        var onsets: [Int]
        var lengths: [Int]
        var steps: [Int]
    }

    /// A section's melodic idea: a one-bar motif and what its phrases do with it.
    ///
    /// Everything after `steps` is optional so that scores kept by older versions still decode.
    struct Motif: Sendable, Hashable, Codable {
        var onsets: [Int]
        /// Scale steps from each note to the next (one fewer than the onsets).
        var steps: [Int]
        /// Sixteenths each note sounds; `nil`: until the next onset.
        var lengths: [Int]? = nil
        /// The rhythm cells the motif was built from.
        var cells: [String]? = nil
        /// The phrase's "B" bar.
        var contrast: Figure? = nil
        var contour: MelodyStyle.Contour? = nil
        var plan: [PhrasePlan.Bar]? = nil

        var figure: Figure {
            let lengths = self.lengths ?? onsets.indices.map { index in
                (index + 1 < onsets.count ? onsets[index + 1] : 16) - onsets[index]
            }
            return Figure(onsets: onsets, lengths: lengths, steps: steps)
        }
    }

    private var stepsPerBar: Int { timeSignature.stepsPerBar }

    /// How busy the line is, after the moods have had their say.
    var density: Double {
        var density = style.density
        if !Set(moods).isDisjoint(with: ["calm", "dreamy", "sad"]) { density *= 0.7 }
        if !Set(moods).isDisjoint(with: ["energetic", "aggressive", "happy", "groovy"]) { density = min(1, density * 1.3) }
        return density
    }

    /// The sounding MIDI range the line keeps to.
    var range: ClosedRange<Int> {
        program.map(InstrumentRange.of) ?? InstrumentRange.common(style.instruments[.melody] ?? [])
    }

    /// The range as scale indices (see ``midiPitch(_:)``).
    var bounds: ClosedRange<Int> {
        let range = self.range
        let indices = (-28...42).filter { range.contains(midiPitch($0)) }
        guard let low = indices.first, let high = indices.last else { return 0...7 }
        return low...high
    }

    /// Where the line sits, as a scale index above the tonic of MIDI octave 4 (C4 = 60): a little
    /// below the middle of the instrument's range, leaving room for choruses and contours to climb.
    var centre: Int {
        let bounds = self.bounds
        var centre = bounds.lowerBound + (bounds.count * 2) / 5
        if moods.contains("dark") || moods.contains("sad") { centre -= 2 }
        if moods.contains("bright") || moods.contains("happy") { centre += 2 }
        return min(max(centre, bounds.lowerBound + 2), max(bounds.lowerBound + 2, bounds.upperBound - 6))
    }

    var cells: RhythmCells {
        RhythmCells(style: style.melody, timeSignature: timeSignature, notesPerBeat: 2 * density)
    }

    /// A section's motif: a bar of cells, its melodic steps, a contrasting bar, a contour and a plan.
    func motif(_ choices: inout Choices, busier: Bool) -> Motif {
        let rhythm = cells.bar(&choices, busier: busier)
        let steps = self.steps(count: rhythm.onsets.count - 1, &choices)
        let contrastRhythm = cells.bar(&choices, busier: busier)
        // The contrast moves the other way overall, so the phrase answers itself.
        var contrastSteps = self.steps(count: contrastRhythm.onsets.count - 1, &choices)
        if steps.reduce(0, +).signum() != 0, contrastSteps.reduce(0, +).signum() == steps.reduce(0, +).signum() {
            contrastSteps = contrastSteps.map { -$0 }
        }
        let (contour, plan) = PhraseShape.draw(style.melody, &choices)
        return Motif(onsets: rhythm.onsets, steps: steps, lengths: rhythm.lengths, cells: rhythm.cells,
                     contrast: Figure(onsets: contrastRhythm.onsets, lengths: contrastRhythm.lengths, steps: contrastSteps),
                     contour: contour, plan: plan.bars)
    }

    /// Scale steps between successive notes: mostly steps, leaps as often as the style leaps and
    /// then a step back the other way, repeated notes as often as the style repeats.
    func steps(count: Int, after previous: Int = 0, _ choices: inout Choices) -> [Int] {
        let melody = style.melody
        var last = previous
        var steps: [Int] = []
        for _ in 0..<max(0, count) {
            let step = choices.pick((-5...5).map { interval in
                let size = abs(interval)
                var conditioned: Double
                switch size {
                case 0: conditioned = log(max(0.02, melody.repeats)) + 1
                case 1: conditioned = 1.5
                case 2: conditioned = 0.9
                default: conditioned = log(max(0.02, melody.leaps)) + 1.8 - 0.6 * Double(size - 2)
                }
                if abs(last) >= 3, interval != 0 {
                    // After a leap, a step back fills the gap; another leap the same way overshoots.
                    conditioned += interval.signum() != last.signum() && size <= 2 ? 1.5 : -1.5
                }
                let unconditioned: Double = [0, 0.8, 0.4, -0.5, -1, -1.5][size]
                return (interval, conditioned: conditioned, unconditioned: unconditioned)
            })
            steps.append(step)
            last = step
        }
        return steps
    }

    /// The whole lead line over `score`'s form and chords, reusing `motifs` (by kind of section)
    /// where given; returns the notes and the motifs, now including any drawn.
    func line(for score: Score, motifs known: [SectionKind: Motif], dynamics: Dynamics,
              _ choices: inout Choices) -> (notes: [ScoreNote], motifs: [SectionKind: Motif]) {
        let barLength = score.barLength
        var motifs = known
        var melody: [ScoreNote] = []
        var previous = centre
        for (index, section) in score.sections.enumerated() {
            guard let lift = Self.lift(section.kind) else { continue }
            let motifKind: SectionKind = section.kind == .outro ? (motifs[.chorus] != nil ? .chorus : .verse) : section.kind
            let motif = motifs[motifKind] ?? self.motif(&choices, busier: section.kind == .solo || section.kind == .drop)
            motifs[motifKind] = motif
            let sectionChords = score.chords.filter { $0.start >= Double(section.startBar) * barLength - 1e-9 && $0.start < Double(section.endBar) * barLength - 1e-9 }
            guard !sectionChords.isEmpty else { continue }
            let home = centre + lift
            // Out of a section without melody (an intro, a build) the line may lead in with a pickup.
            if section.startBar > 0, index > 0, Self.lift(score.sections[index - 1].kind) == nil,
               choices.chance(style.melody.pickups) {
                let barStart = Double(section.startBar - 1) * barLength
                let pickup = self.pickup(from: previous, toward: home, barStart: barStart,
                                         velocity: dynamics.velocity(.melody, at: barStart) - 6, &choices)
                melody += pickup
                previous = melody.last.map { self.index(of: $0.pitch) } ?? previous
            }
            let followed = index + 1 < score.sections.count && Self.lift(score.sections[index + 1].kind) != nil
            let written = notes(section: section, motif: motif, chords: sectionChords, barLength: barLength, lift: lift,
                                from: previous, leadsOn: followed,
                                velocity: dynamics.velocity(.melody, at: Double(section.startBar) * barLength), &choices)
            melody += written.notes
            previous = written.last
        }
        resolveWithinRange(&melody, finalBarStart: Double(score.bars - 1) * barLength)
        return (melody, motifs)
    }

    /// How far above the line's centre a section sings, or `nil` for sections without melody.
    static func lift(_ kind: SectionKind) -> Int? {
        switch kind {
        case .verse, .outro: 0
        case .chorus, .drop: 2
        case .bridge: 1
        case .solo: 3
        case .intro, .build, .breakdown: nil
        }
    }

    /// The notes of a section: phrases of up to four bars following the motif's plan and contour.
    func notes(section: Score.Section, motif: Motif, chords: [Score.Chord], barLength: Double, lift: Int,
               from start: Int, leadsOn: Bool, velocity: Int, _ choices: inout Choices) -> (notes: [ScoreNote], last: Int) {
        var notes: [ScoreNote] = []
        let bounds = self.bounds
        var previous = min(max(start, bounds.lowerBound), bounds.upperBound)
        var lastInterval = 0
        let plan = motif.plan ?? [.motif, .variation, .motif, .cadence]
        let contour = motif.contour ?? .arch
        let home = centre + lift
        let groups = cells.groups
        for barInSection in 0..<section.bars {
            let barStart = Double(section.startBar + barInSection) * barLength
            let phrase = barInSection / 4
            let position = barInSection % 4
            let phraseBars = min(4, section.bars - phrase * 4)
            let closes = position == phraseBars - 1
            let lastPhrase = phrase == (section.bars - 1) / 4
            let kind: PhrasePlan.Bar = closes ? .cadence : (plan[position % plan.count] == .cadence ? .variation : plan[position % plan.count])
            var figure: Figure
            switch kind {
            case .motif: figure = motif.figure
            case .contrast: figure = motif.contrast ?? motif.figure
            case .variation, .cadence:
                figure = motif.figure
                // The variation keeps the rhythm and redraws the second half of the moves (more of
                // them in later phrases: A', then A'').
                let kept = max(0, figure.steps.count / 2 - phrase)
                if figure.steps.count > kept, kind == .variation {
                    figure.steps = Array(figure.steps.prefix(kept)) + steps(count: figure.steps.count - kept, after: figure.steps.prefix(kept).last ?? 0, &choices)
                }
            }
            var pickup = false
            if kind == .cadence {
                // The motif's first half, then a long note to the phrase end; before another phrase
                // it may hand over through a pickup in the last beat.
                pickup = (leadsOn || !lastPhrase) && groups.count > 1 && choices.chance(style.melody.pickups)
                let end = stepsPerBar - (pickup ? groups.last ?? 0 : 0)
                let half = stepsPerBar / 2
                let count = max(1, figure.onsets.filter { $0 < half }.count)
                figure.onsets = Array(figure.onsets.prefix(count))
                figure.lengths = Array(figure.lengths.prefix(count))
                figure.steps = Array(figure.steps.prefix(count - 1))
                figure.lengths[count - 1] = max(1, end - figure.onsets[count - 1])
            }
            let height = PhraseShape.height(contour, bar: position, of: max(phraseBars, 2))
            let anchor = min(max(home + height - 1, bounds.lowerBound + 1), bounds.upperBound - 1)
            for (index, onset) in figure.onsets.enumerated() where onset < stepsPerBar {
                let time = barStart + Double(onset) * 0.25
                let chord = chords.last { $0.start <= time + 1e-9 } ?? chords[0]
                let step = index == 0 ? min(max(anchor - previous, -2), 2) : figure.steps[index - 1]
                let target = previous + step
                let strong = timeSignature.beatSteps.contains(onset)
                let final = kind == .cadence && index == figure.onsets.count - 1
                let goal: Cadence? = !final ? nil : (barInSection == section.bars - 1 || phrase % 2 == 1) ? .home : .open
                let pitch = self.pitch(target: target, previous: previous, lastInterval: lastInterval, anchor: anchor,
                                       tones: chordScaleIndices(chord), strong: strong, cadence: goal,
                                       repeatIntended: step == 0, &choices)
                lastInterval = pitch - previous
                previous = pitch
                let sixteenths = min(figure.lengths[index], stepsPerBar - onset)
                let length = Double(sixteenths) * 0.25 * (final ? 1 : 0.92)
                let accent = onset == 0 ? 8 : (strong ? 4 : 0)
                notes.append(ScoreNote(start: time, length: length, pitch: midiPitch(pitch), velocity: velocity + accent))
            }
            if pickup {
                let upcoming = home + PhraseShape.height(contour, bar: 0, of: 4)
                let lead = self.pickup(from: previous, toward: upcoming, barStart: barStart, velocity: velocity - 4, &choices)
                notes += lead
                if let last = lead.last { previous = self.index(of: last.pitch) }
            }
        }
        return (notes, previous)
    }

    /// Where a phrase's last note is bound: home to the tonic, or open on the third or fifth degree
    /// (a question the next phrase answers, still inside the tonic triad so the key stays clear).
    enum Cadence { case home, open }

    /// A scale index near `target`, pulled to the chord on strong beats, to the contour's `anchor`,
    /// away from needless repeats, and never outside the instrument's range.
    func pitch(target: Int, previous: Int, lastInterval: Int, anchor: Int, tones: [Int], strong: Bool, cadence: Cadence?,
               repeatIntended: Bool, _ choices: inout Choices) -> Int {
        let bounds = self.bounds
        var candidates = ((target - 3)...(target + 3)).filter { bounds.contains($0) }
        if candidates.isEmpty { candidates = [min(max(target, bounds.lowerBound), bounds.upperBound)] }
        return choices.pick(candidates.map { candidate in
            let degree = ((candidate % 7) + 7) % 7
            var logit = -0.7 * Double(abs(candidate - target))
            if tones.contains(degree) { logit += strong ? 2.0 : 0.6 }
            // Melodies lean on the tonic triad: it is how a tune says which key it is in.
            if degree == 0 || degree == 2 || degree == 4 { logit += degree == 0 ? 1.0 : 0.5 }
            switch cadence {
            case .home: if degree == 0 { logit += 2.5 }
            case .open: if degree == 4 || degree == 2 { logit += 1.5 }
            case nil: break
            }
            if candidate == previous && !repeatIntended { logit -= 1.5 }
            let move = candidate - previous
            if abs(lastInterval) >= 3, move != 0 {
                logit += move.signum() != lastInterval.signum() && abs(move) <= 2 ? 1.0 : -0.8
            }
            // The contour: a line that strays far from where the phrase is heading is pulled back.
            let stray = max(0, abs(candidate - anchor) - 3)
            logit -= 0.4 * Double(stray)
            let unconditioned = -0.4 * Double(abs(candidate - target)) - 0.3 * Double(stray)
            return (candidate, conditioned: logit, unconditioned: unconditioned)
        })
    }

    /// A few notes in the last beat of the bar at `barStart`, stepping from `previous` toward `goal`.
    func pickup(from previous: Int, toward goal: Int, barStart: Double, velocity: Int,
                _ choices: inout Choices) -> [ScoreNote] {
        let beatSteps = cells.groups.last ?? 4
        let patterns = beatSteps == 6 ? ["____x.", "__x.x.", "x.x.x."] : beatSteps == 4 ? ["__x.", "x.x.", "__xx"] : ["x" + String(repeating: ".", count: max(0, beatSteps - 1))]
        let pattern = choices.pick(patterns.enumerated().map { ($0.element, conditioned: 0.0, unconditioned: $0.offset == 0 ? 0.5 : 0.0) })
        let rhythm = RhythmCells.rhythm(of: [pattern])
        let first = stepsPerBar - beatSteps
        let direction = (goal - previous).signum() == 0 ? 1 : (goal - previous).signum()
        var current = goal - direction * rhythm.onsets.count
        var notes: [ScoreNote] = []
        for (onset, length) in zip(rhythm.onsets, rhythm.lengths) {
            let scaleIndex = min(max(current, bounds.lowerBound), bounds.upperBound)
            notes.append(ScoreNote(start: barStart + Double(first + onset) * 0.25, length: Double(length) * 0.25 * 0.9,
                                   pitch: midiPitch(scaleIndex), velocity: velocity))
            current += direction
        }
        return notes
    }

    /// Ending lands the line on the tonic nearest its last note; when that tonic would leave the
    /// instrument's range, the last note becomes the tonic inside it.
    func resolveWithinRange(_ notes: inout [ScoreNote], finalBarStart: Double) {
        let range = self.range
        guard let last = notes.lastIndex(where: { $0.start < finalBarStart - 1e-9 }) else { return }
        let pitch = notes[last].pitch
        let offset = ((pitch - key.tonicPitchClass) % 12 + 12) % 12
        let tonic = pitch - offset + (offset > 6 ? 12 : 0)
        guard !range.contains(tonic) else { return }
        let inside = stride(from: tonic - 36, through: tonic + 36, by: 12).filter(range.contains)
        if let nearest = inside.min(by: { abs($0 - pitch) < abs($1 - pitch) }) { notes[last].pitch = nearest }
    }

    /// The chord's tones as scale degrees 0-6, root first (chromatic tones round down to the scale).
    private func chordScaleIndices(_ chord: Score.Chord) -> [Int] {
        let scale = key.mode.intervals
        return chord.intervals.map { interval in
            let pc = ((interval % 12) + 12) % 12
            return scale.lastIndex { $0 <= pc } ?? 0
        }
    }

    /// MIDI pitch of scale index `index` above the tonic in octave 4.
    func midiPitch(_ index: Int) -> Int {
        let octave = index >= 0 ? index / 7 : (index - 6) / 7
        let degree = index - octave * 7
        return 60 + key.tonicPitchClass + 12 * octave + key.mode.intervals[degree] - (key.tonicPitchClass > 6 ? 12 : 0)
    }

    /// The scale index whose pitch is `pitch` (or the nearest scale tone below it).
    func index(of pitch: Int) -> Int {
        (-28...42).last { midiPitch($0) <= pitch } ?? 0
    }
}
