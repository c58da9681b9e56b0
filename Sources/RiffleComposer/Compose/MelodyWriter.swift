import RiffleCore

/// Writes the lead line: a motif per kind of section, stated, varied and brought to a cadence in
/// four-bar phrases, fitted to the chords underneath.
struct MelodyWriter {
    let style: ComposerStyle
    let key: MusicalKey
    let timeSignature: TimeSignature
    let moods: [String]

    /// A one-bar idea: onsets on the sixteenth grid and the melodic steps between its notes.
    struct Motif: Sendable, Hashable, Codable {
        var onsets: [Int]
        /// Scale steps from each note to the next (one fewer than the onsets).
        var steps: [Int]
    }

    private var stepsPerBar: Int { timeSignature.stepsPerBar }

    /// How busy the line is, after the moods have had their say.
    var density: Double {
        var density = style.density
        if !Set(moods).isDisjoint(with: ["calm", "dreamy", "sad"]) { density *= 0.7 }
        if !Set(moods).isDisjoint(with: ["energetic", "aggressive", "happy", "groovy"]) { density = min(1, density * 1.3) }
        return density
    }

    /// Where the line sits, as a scale index above the tonic of MIDI octave 4 (C4 = 60).
    var centre: Int {
        var centre = 7 + 2 // the third above the octave
        if moods.contains("dark") || moods.contains("sad") { centre -= 2 }
        if moods.contains("bright") || moods.contains("happy") { centre += 2 }
        return centre
    }

    func motif(_ choices: inout Choices, busier: Bool) -> Motif {
        let beats = Set(timeSignature.beatSteps)
        let density = min(1, self.density * (busier ? 1.25 : 1))
        var onsets: [Int] = []
        for step in 0..<stepsPerBar {
            let weight = beats.contains(step) ? 1.0 : (step % 2 == 0 ? 0.55 : 0.2)
            // The downbeat always speaks, so the motif is recognisable when it comes back.
            if step == 0 || choices.chance(density * weight) { onsets.append(step) }
        }
        let steps = (0..<max(0, onsets.count - 1)).map { _ in
            choices.pick((-4...4).map { interval in
                let size = abs(interval)
                let conditioned: Double = size == 0 ? -0.5 : size == 1 ? 1.5 : size == 2 ? 0.8 : size == 3 ? -0.3 : -1.2
                return (interval, conditioned: conditioned, unconditioned: 0)
            })
        }
        return Motif(onsets: onsets, steps: steps)
    }

    /// The whole lead line over `score`'s form and chords, reusing `motifs` (by kind of section)
    /// where given; returns the notes and the motifs, now including any drawn.
    func line(for score: Score, motifs known: [SectionKind: Motif], dynamics: Dynamics,
              _ choices: inout Choices) -> (notes: [ScoreNote], motifs: [SectionKind: Motif]) {
        let barLength = score.barLength
        var motifs = known
        var melody: [ScoreNote] = []
        for section in score.sections {
            let lift: Int
            switch section.kind {
            case .verse: lift = 0
            case .chorus, .drop: lift = 2
            case .bridge: lift = 1
            case .solo: lift = 3
            case .outro: lift = 0
            case .intro, .build, .breakdown: continue
            }
            let motifKind: SectionKind = section.kind == .outro ? (motifs[.chorus] != nil ? .chorus : .verse) : section.kind
            let motif = motifs[motifKind] ?? self.motif(&choices, busier: section.kind == .solo || section.kind == .drop)
            motifs[motifKind] = motif
            let sectionChords = score.chords.filter { $0.start >= Double(section.startBar) * barLength - 1e-9 && $0.start < Double(section.endBar) * barLength - 1e-9 }
            guard !sectionChords.isEmpty else { continue }
            melody += notes(section: section, motif: motif, chords: sectionChords, barLength: barLength, lift: lift,
                            velocity: dynamics.velocity(.melody, at: Double(section.startBar) * barLength), &choices)
        }
        return (melody, motifs)
    }

    /// The notes of a section: phrases of four bars built from `motif` (A, A', A, cadence).
    func notes(section: Score.Section, motif: Motif, chords: [Score.Chord], barLength: Double, lift: Int,
               velocity: Int, _ choices: inout Choices) -> [ScoreNote] {
        var notes: [ScoreNote] = []
        var previous = centre + lift
        for barInSection in 0..<section.bars {
            let bar = section.startBar + barInSection
            let barStart = Double(bar) * barLength
            let phrasePosition = barInSection % 4
            let isCadence = phrasePosition == 3 || barInSection == section.bars - 1
            var onsets = motif.onsets
            var steps = motif.steps
            if isCadence {
                // Half the motif, then a long note to close the phrase.
                onsets = Array(onsets.prefix(max(1, onsets.count / 2)))
                steps = Array(steps.prefix(max(0, onsets.count - 1)))
            } else if phrasePosition == 1, !steps.isEmpty {
                // The answer: the same rhythm with its last move redrawn.
                steps[steps.count - 1] = choices.pick((-3...3).map { ($0, conditioned: $0 == -steps[steps.count - 1] ? 1.0 : 0.0, unconditioned: 0.0) })
            }
            var index = 0
            for (position, onset) in onsets.enumerated() {
                let time = barStart + Double(onset) * 0.25
                let chord = chords.last { $0.start <= time + 1e-9 } ?? chords[0]
                let tones = chordScaleIndices(chord)
                // Where the motif goes, then pulled to the chord on strong beats and at the start.
                let target = position == 0 ? previous : previous + steps[position - 1]
                let strong = timeSignature.beatSteps.contains(onset)
                let lastOfPhrase = isCadence && position == onsets.count - 1
                let candidates = (target - 3)...(target + 3)
                let low = centre + lift - 6
                let high = centre + lift + 7
                index = choices.pick(candidates.map { candidate in
                    let degree = ((candidate % 7) + 7) % 7
                    let isTone = tones.contains(degree)
                    var logit = -0.7 * Double(abs(candidate - target))
                    if isTone { logit += strong ? 2.0 : 0.6 }
                    // Melodies lean on the tonic triad: it is how a tune says which key it is in.
                    if degree == 0 || degree == 2 || degree == 4 { logit += degree == 0 ? 0.6 : 0.3 }
                    if lastOfPhrase && ((candidate % 7) + 7) % 7 == (barInSection == section.bars - 1 ? 0 : tones.first ?? 0) { logit += 2 }
                    if candidate < low || candidate > high { logit -= 4 }
                    let unconditioned = -0.4 * Double(abs(candidate - target)) + (candidate < low || candidate > high ? -4 : 0)
                    return (candidate, conditioned: logit, unconditioned: unconditioned)
                })
                previous = index
                let next = position + 1 < onsets.count ? Double(onsets[position + 1]) * 0.25 : barLength
                var length = next - Double(onset) * 0.25
                if !lastOfPhrase { length = min(length, 2) * 0.9 }
                let accent = onset == 0 ? 8 : (strong ? 4 : 0)
                notes.append(ScoreNote(start: time, length: length, pitch: midiPitch(index), velocity: velocity + accent))
            }
        }
        return notes
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
}
