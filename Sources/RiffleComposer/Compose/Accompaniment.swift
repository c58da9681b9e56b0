import RiffleCore

/// Bass, comping and texture parts, written chord by chord in the style's patterns.
struct Accompaniment {
    let style: ComposerStyle
    let key: MusicalKey
    let timeSignature: TimeSignature
    let barLength: Double

    /// The beat, in quarter notes per minute, which sets how fast arpeggios run.
    let quarterNotesPerMinute: Double

    private var stepsPerBar: Int { timeSignature.stepsPerBar }

    /// Sixteenths between arpeggio notes: eighths, or quarters at slow tempos, where running
    /// eighths would make the piece feel (and measure) twice as fast as it is.
    private var arpeggioSpacing: Int { quarterNotesPerMinute < 96 ? 4 : 2 }

    /// The chord's tones as MIDI pitches, each placed in the octave from `low`.
    func voicing(_ chord: Score.Chord, from low: Int) -> [Int] {
        chord.intervals.map { interval in
            let pitchClass = (key.tonicPitchClass + interval) % 12
            return low + ((pitchClass - low) % 12 + 12) % 12
        }.sorted()
    }

    /// The chord's root as a MIDI pitch in the octave from `low`.
    func rootPitch(_ chord: Score.Chord, from low: Int) -> Int {
        let pitchClass = (key.tonicPitchClass + chord.intervals[0]) % 12
        return low + ((pitchClass - low) % 12 + 12) % 12
    }

    /// The chord's root in the bass register (A1 to G#2).
    func bassRoot(_ chord: Score.Chord) -> Int {
        rootPitch(chord, from: 33)
    }

    /// Pitches for chord tones given as intervals above the tonic, each in the octave from `low`.
    func pitches(_ intervals: [Int], from low: Int) -> [Int] {
        intervals.map { interval in
            let pitchClass = ((key.tonicPitchClass + interval) % 12 + 12) % 12
            return low + ((pitchClass - low) % 12 + 12) % 12
        }.sorted()
    }

    /// The comping chord as the take voices it: its colour on the subdominant chords (ii and IV,
    /// an added ninth, or the third suspended to the second), which adds the key's own third or
    /// fifth, so the colour never blurs the key; then placed from the voicing's low note, the middle
    /// tone raised an octave when open.
    func comped(_ chord: Score.Chord, _ voicing: Voicing, index: Int) -> [Int] {
        var intervals = chord.intervals
        let scale = key.mode.intervals
        let degree = chord.symbol.degree
        let second = scale[(degree + 1) % 7] + (degree + 1 >= 7 ? 12 : 0)
        // In a minor key the ii's second is the relative major's tonic: only the iv is coloured.
        let colourable = degree == 3 || (degree == 1 && key.mode.intervals[2] == 4)
        switch voicing.colour {
        case .ninth where colourable:
            if intervals.count >= 4 { intervals.remove(at: 2) }
            intervals.append(second + 12)
        case .suspended where colourable && intervals.count == 3:
            intervals[1] = second
        default:
            break
        }
        var voiced = pitches(intervals, from: voicing.low)
        if voicing.open, voiced.count >= 3 {
            voiced[1] += 12
            voiced.sort()
        }
        return voiced
    }

    // MARK: Bass

    func bass(chords: [Score.Chord], plan: ArrangementPlan, kickSteps: (Int) -> [Int], velocity: (Double) -> Int,
              _ choices: inout Choices) -> [ScoreNote] {
        var notes: [ScoreNote] = []
        let figures = BassPatterns.figures(plan.bass, metre: timeSignature)
        let figure = figures.isEmpty ? [] : figures[plan.bassFigure % figures.count]
        for (index, chord) in chords.enumerated() {
            let root = bassRoot(chord)
            // The chord's own fifth (diminished on a ii° or vii°), so the bass stays in the key.
            let fifth = root + (chord.intervals.count > 2 ? chord.intervals[2] - chord.intervals[0] : 7)
            let end = chord.start + chord.length
            let nextRoot = index + 1 < chords.count ? bassRoot(chords[index + 1]) : root
            // A step below the next root: a semitone where the key has it, else a whole tone.
            let scale = Set(key.mode.intervals.map { (key.tonicPitchClass + $0) % 12 })
            let approach = scale.contains((nextRoot - 1) % 12) ? nextRoot - 1 : nextRoot - 2
            for barStart in bars(in: chord) {
                let bar = Int((barStart / barLength + 1e-9).rounded(.down))
                // Where the chord starts within this bar, in steps (not 0 for a chord changing mid-bar).
                let entry = max(0, (chord.start - barStart) * 4)
                let span = min(barLength, end - barStart) - entry * 0.25
                func add(_ step: Double, _ length: Double, _ pitch: Int, _ accent: Int = 0) {
                    let start = barStart + step * 0.25
                    guard start >= chord.start - 1e-9, start < end - 1e-9 else { return }
                    notes.append(ScoreNote(start: start, length: min(length, end - start), pitch: pitch, velocity: velocity(start) + accent))
                }
                switch plan.bass {
                case .sustained where plan.bassFigure == 0:
                    if abs(barStart + entry * 0.25 - chord.start) < 1e-6 { add(entry, chord.length * 0.98, root) }
                case .walking:
                    walk(bar: barStart, chord: chord, root: root, fifth: fifth, nextRoot: nextRoot, figure: plan.bassFigure, add: add, &choices)
                case .kick, .eightOhEight:
                    let kicks = kickSteps(bar).filter { plan.bass == .kick || plan.bassFigure != 2 || $0 % timeSignature.stepsPerBeat == 0 || $0 == 0 }
                    for (position, step) in kicks.enumerated() {
                        let next = position + 1 < kicks.count ? kicks[position + 1] : stepsPerBar
                        var pitch = root
                        if plan.bass == .kick && plan.bassFigure == 1 && step % 4 != 0 { pitch = root + 12 }
                        if plan.bass == .kick && plan.bassFigure == 2 && position == kicks.count - 1 && position > 0 { pitch = fifth }
                        // The 808 jumps an octave on the last hit of every other bar, where a glide would go.
                        if plan.bass == .eightOhEight && plan.bassFigure == 1 && bar % 2 == 1 && position == kicks.count - 1 && position > 0 { pitch = root + 12 }
                        let hold = plan.bass == .eightOhEight ? 0.99 : 0.95
                        add(Double(step), Double(next - step) * 0.25 * hold, pitch, step == 0 ? 6 : 0)
                    }
                    if kicks.isEmpty || entry > 0 { add(entry, span * 0.9, root) }
                default:
                    for hit in figure {
                        let pitch: Int
                        switch hit.tone {
                        case .root: pitch = root
                        case .fifth: pitch = fifth
                        case .octave: pitch = root + 12
                        case .next: pitch = nextRoot
                        case .approach: pitch = approach
                        }
                        add(Double(hit.step), hit.length * 0.25, pitch, hit.step == 0 ? 6 : 0)
                    }
                    // A chord arriving mid-bar is announced by its root if the figure has no note there.
                    if entry > 0, !figure.contains(where: { abs(Double($0.step) - entry) < 0.01 }) {
                        let nextHit = figure.map { Double($0.step) }.filter { $0 > entry }.min() ?? Double(stepsPerBar)
                        add(entry, (nextHit - entry) * 0.25 * 0.95, root)
                    }
                }
            }
        }
        return notes
    }

    /// A walking bass bar: chord tones and steps on the beats, approaching the next root by a
    /// semitone or a step. Figure 1 is a two-feel (half notes, root and fifth), figure 2 adds a
    /// skipped eighth before the last beat.
    private func walk(bar barStart: Double, chord: Score.Chord, root: Int, fifth: Int, nextRoot: Int, figure: Int,
                      add: (Double, Double, Int, Int) -> Void, _ choices: inout Choices) {
        let beats = timeSignature.beatSteps
        let beatLength = Double(timeSignature.stepsPerBeat) * 0.25
        if figure == 1 {
            for (position, beat) in beats.enumerated() where position % 2 == 0 {
                add(Double(beat), beatLength * 1.9, position == 0 ? root : fifth, position == 0 ? 6 : 0)
            }
            return
        }
        var pitch = root
        for (position, beat) in beats.enumerated() {
            if position == 0 {
                pitch = root
            } else if position == beats.count - 1 {
                pitch = nextRoot + choices.pick([(-1, conditioned: 1.0, unconditioned: 0.0), (1, conditioned: 0.8, unconditioned: 0.0),
                                                 (-2, conditioned: 0.3, unconditioned: 0.0), (2, conditioned: 0.3, unconditioned: 0.0)])
            } else {
                let tones = voicing(chord, from: root)
                pitch = choices.pick(tones.map { ($0, conditioned: 0.0, unconditioned: 0.0) } + [(pitch + 2, conditioned: 0.5, unconditioned: 0.0)])
            }
            let skip = figure == 2 && position == beats.count - 2
            add(Double(beat), beatLength * (skip ? 0.45 : 0.9), pitch, position == 0 ? 6 : 0)
            if skip { add(Double(beat) + Double(timeSignature.stepsPerBeat) / 2, beatLength * 0.4, pitch, -8) }
        }
    }

    // MARK: Harmony (comping)

    func comping(chords: [Score.Chord], plan: ArrangementPlan, velocity: (Double) -> Int,
                 _ choices: inout Choices) -> [ScoreNote] {
        var notes: [ScoreNote] = []
        let figures = CompPatterns.figures(plan.comping, metre: timeSignature)
        let figure = figures[plan.compFigure % figures.count]
        for (chordIndex, chord) in chords.enumerated() {
            let end = chord.start + chord.length
            let voiced = comped(chord, plan.voicing, index: chordIndex)
            for barStart in bars(in: chord) {
                let bar = Int((barStart / barLength + 1e-9).rounded(.down))
                let entry = max(0, (chord.start - barStart) * 4)
                func add(_ step: Double, _ length: Double, _ pitches: [Int], spread: Double = 0) {
                    let start = barStart + step * 0.25
                    guard start >= chord.start - 1e-9, start < end - 1e-9 else { return }
                    for (order, pitch) in pitches.enumerated() {
                        let onset = start + spread * Double(order)
                        notes.append(ScoreNote(start: onset, length: max(0.05, min(length, end - onset)), pitch: pitch, velocity: velocity(start)))
                    }
                }
                // A figure longer than a bar (a montuno) plays the half for this bar.
                let offset = figure.contains { $0.step >= stepsPerBar } ? (bar % 2) * stepsPerBar : 0
                let hits = figure.filter { $0.step >= offset && $0.step < offset + stepsPerBar }.map { (step: $0.step - offset, length: $0.length) }
                switch plan.comping {
                case .block, .comp, .stab, .offbeat, .skank:
                    for hit in hits { add(Double(hit.step), hit.length * 0.25, voiced) }
                case .arpeggio:
                    let tones = voiced + [voiced[0] + 12]
                    let order: [Int]
                    switch plan.voicing.arpeggio {
                    case .up: order = Array(tones.indices)
                    case .upDown: order = Array(tones.indices) + tones.indices.dropFirst().dropLast().reversed()
                    case .broken: order = tones.count >= 3 ? [0, 2, 1, 2] : Array(tones.indices)
                    }
                    let steps = hits.isEmpty ? stride(from: 0, to: stepsPerBar, by: arpeggioSpacing).map { (step: $0, length: Double(arpeggioSpacing) * 1.2) } : hits
                    for (index, hit) in steps.enumerated() {
                        add(Double(hit.step), hit.length * 0.25, [tones[order[index % order.count]]])
                    }
                case .strum:
                    // A guitar shape: root below, then the chord; strums fan out by a few milliseconds.
                    let shape = [rootPitch(chord, from: 40)] + voiced
                    for hit in hits {
                        let down = hit.step % 4 == 0
                        add(Double(hit.step), hit.length * 0.25, down ? shape : Array(shape.reversed().prefix(3)), spread: 0.02)
                    }
                case .power:
                    let root = rootPitch(chord, from: 40)
                    // Root, fifth and octave. The chord's first hit, and every hit of the home
                    // chord, adds the third: without thirds a riff does not say which key it is in.
                    let third = [root + 12 + chord.intervals[1] - chord.intervals[0]]
                    for hit in hits {
                        let first = barStart + Double(hit.step) * 0.25 <= chord.start + 1e-9
                        add(Double(hit.step), hit.length * 0.25, [root, root + 7, root + 12] + (first || chord.symbol.degree == 0 ? third : []))
                    }
                case .montuno:
                    // Broken octaves on the chord's root, answered by two other chord tones.
                    let root = rootPitch(chord, from: plan.voicing.low)
                    let answer = Array(voiced.filter { $0 % 12 != root % 12 }.prefix(2))
                    for (index, hit) in hits.enumerated() {
                        let pitches = index % 2 == 0 ? [root, root + 12] : answer
                        add(Double(hit.step), hit.length * 0.25, pitches)
                    }
                }
                // A chord arriving mid-bar sounds where it arrives when the figure has nothing there.
                if entry > 0, !hits.isEmpty, !hits.contains(where: { abs(Double($0.step) - entry) < 0.01 }) {
                    let nextHit = hits.map { Double($0.step) }.filter { $0 > entry }.min() ?? Double(stepsPerBar)
                    add(entry, (nextHit - entry) * 0.25 * 0.95, voiced)
                }
            }
        }
        return notes
    }

    // MARK: Texture

    func texture(chords: [Score.Chord], velocity: (Double) -> Int) -> [ScoreNote] {
        var notes: [ScoreNote] = []
        for chord in chords {
            let voiced = voicing(chord, from: 64)
            switch style.texture {
            case .none:
                break
            case .pad:
                // Three notes at most, as GM pads layer four to six voices a note: a seventh
                // chord loses its fifth, the note that says least about the chord and the key.
                let tones = chord.intervals.count > 3 ? [chord.intervals[0], chord.intervals[1], chord.intervals[3]] : chord.intervals
                for pitch in voicing(Score.Chord(start: chord.start, length: chord.length, symbol: chord.symbol, intervals: tones), from: 64) {
                    notes.append(ScoreNote(start: chord.start, length: chord.length * 0.99, pitch: pitch, velocity: velocity(chord.start)))
                }
            case .arpeggio:
                let tones = voiced + [voiced[0] + 12, voiced[1] + 12]
                let spacing = Double(arpeggioSpacing) * 0.25
                var time = chord.start
                var index = 0
                while time < chord.start + chord.length - 1e-9 {
                    notes.append(ScoreNote(start: time, length: spacing * 0.9, pitch: tones[index % tones.count], velocity: velocity(time)))
                    time += spacing
                    index += 1
                }
            }
        }
        return notes
    }

    /// The starts of the bars a chord sounds in (a chord may last two bars, or half of one).
    private func bars(in chord: Score.Chord) -> [Double] {
        var starts: [Double] = []
        var time = (chord.start / barLength + 1e-9).rounded(.down) * barLength
        while time < chord.start + chord.length - 1e-9 {
            starts.append(time)
            time += barLength
        }
        return starts
    }
}
