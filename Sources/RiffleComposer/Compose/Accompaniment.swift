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

    // MARK: Bass

    func bass(chords: [Score.Chord], kickSteps: (Int) -> [Int], velocity: (Double) -> Int, _ choices: inout Choices) -> [ScoreNote] {
        var notes: [ScoreNote] = []
        for (index, chord) in chords.enumerated() {
            let root = bassRoot(chord)
            let fifth = root + 7
            let end = chord.start + chord.length
            let nextRoot = index + 1 < chords.count ? bassRoot(chords[index + 1]) : root
            for barStart in bars(in: chord) {
                let bar = Int((barStart / barLength).rounded(.down))
                // Where the chord starts within this bar, in steps (not 0 for a chord changing mid-bar).
                let entry = max(0, (chord.start - barStart) * 4)
                let span = min(barLength, end - barStart) - entry * 0.25
                func add(_ step: Double, _ length: Double, _ pitch: Int, _ accent: Int = 0) {
                    let start = barStart + step * 0.25
                    guard start >= chord.start - 1e-9, start < end - 1e-9 else { return }
                    notes.append(ScoreNote(start: start, length: min(length, end - start), pitch: pitch, velocity: velocity(start) + accent))
                }
                switch style.bass {
                case .root:
                    add(entry, span * 0.95, root, 6)
                case .sustained:
                    if abs(barStart + entry * 0.25 - chord.start) < 1e-6 { add(entry, chord.length * 0.98, root) }
                case .rootFifth:
                    let beats = timeSignature.beatSteps
                    for (position, beat) in beats.enumerated() where position % 2 == 0 {
                        let pitch = position == 0 ? root : (choices.chance(0.7) ? fifth : root + 12)
                        add(Double(beat), Double(timeSignature.stepsPerBeat) * 0.25 * 1.8, pitch, position == 0 ? 6 : 0)
                    }
                    // A pickup into the next beat, sometimes.
                    if let last = beats.last, choices.chance(0.4) {
                        add(Double(last + timeSignature.stepsPerBeat / 2), 0.4, root)
                    }
                case .walking:
                    let beats = timeSignature.beatSteps
                    var pitch = root
                    for (position, beat) in beats.enumerated() {
                        if position == 0 {
                            pitch = root
                        } else if position == beats.count - 1 {
                            // Approach the next chord's root from a semitone or a step away.
                            pitch = nextRoot + choices.pick([(-1, conditioned: 1.0, unconditioned: 0.0), (1, conditioned: 0.8, unconditioned: 0.0),
                                                             (-2, conditioned: 0.3, unconditioned: 0.0), (2, conditioned: 0.3, unconditioned: 0.0)])
                        } else {
                            let tones = voicing(chord, from: root)
                            pitch = choices.pick(tones.map { ($0, conditioned: 0.0, unconditioned: 0.0) } + [(pitch + 2, conditioned: 0.5, unconditioned: 0.0)])
                        }
                        add(Double(beat), Double(timeSignature.stepsPerBeat) * 0.25 * 0.9, pitch, position == 0 ? 6 : 0)
                    }
                case .octave:
                    for step in stride(from: 0, to: stepsPerBar, by: 2) {
                        add(Double(step), 0.4, (step / 2) % 2 == 0 ? root : root + 12, step == 0 ? 6 : 0)
                    }
                case .kick:
                    let kicks = kickSteps(bar)
                    for (position, step) in kicks.enumerated() {
                        let next = position + 1 < kicks.count ? kicks[position + 1] : stepsPerBar
                        add(Double(step), Double(next - step) * 0.25 * 0.95, root, step == 0 ? 6 : 0)
                    }
                    if kicks.isEmpty || entry > 0 { add(entry, span * 0.9, root) }
                case .reggae:
                    add(0, 1.4, root, 6)
                    add(6, 0.4, root)
                    if stepsPerBar >= 16 { add(8, 0.9, fifth) }
                    if stepsPerBar >= 16, choices.chance(0.5) { add(14, 0.4, root + 12) }
                }
            }
        }
        return notes
    }

    // MARK: Harmony (comping)

    func comping(chords: [Score.Chord], pattern: ComposerStyle.HarmonyPattern, velocity: (Double) -> Int,
                 _ choices: inout Choices) -> [ScoreNote] {
        var notes: [ScoreNote] = []
        // One rhythm for the whole piece keeps the groove steady.
        let compSteps = compRhythm(&choices)
        for chord in chords {
            let end = chord.start + chord.length
            let voiced = voicing(chord, from: 55)
            for barStart in bars(in: chord) {
                let entry = max(0, (chord.start - barStart) * 4)
                let span = min(barLength, end - barStart) - entry * 0.25
                func add(_ step: Double, _ length: Double, _ pitches: [Int], spread: Double = 0) {
                    let start = barStart + step * 0.25
                    guard start >= chord.start - 1e-9, start < end - 1e-9 else { return }
                    for (order, pitch) in pitches.enumerated() {
                        let onset = start + spread * Double(order)
                        notes.append(ScoreNote(start: onset, length: max(0.05, min(length, end - onset)), pitch: pitch, velocity: velocity(start)))
                    }
                }
                switch pattern {
                case .block:
                    add(entry, span * 0.98, voiced)
                case .comp:
                    for step in compSteps { add(Double(step), 0.7, voiced) }
                case .arpeggio:
                    let tones = voiced + [voiced[0] + 12]
                    for (index, step) in stride(from: 0, to: stepsPerBar, by: arpeggioSpacing).enumerated() {
                        add(Double(step), Double(arpeggioSpacing) * 0.25 * 1.2, [tones[index % tones.count]])
                    }
                case .strum:
                    // A guitar shape: root below, then the chord; strums fan out by a few milliseconds.
                    let shape = [rootPitch(chord, from: 40)] + voiced
                    for step in strumSteps() {
                        let down = step % 4 == 0
                        add(Double(step), 0.9, down ? shape : Array(shape.reversed().prefix(3)), spread: 0.02)
                    }
                case .power:
                    let root = rootPitch(chord, from: 40)
                    // Root, fifth and octave. The chord's first hit, and every hit of the home
                    // chord, adds the third: without thirds a riff does not say which key it is in.
                    let third = [root + 12 + chord.intervals[1] - chord.intervals[0]]
                    for step in stride(from: 0, to: stepsPerBar, by: 2) {
                        let first = barStart + Double(step) * 0.25 <= chord.start + 1e-9
                        add(Double(step), 0.45, [root, root + 7, root + 12] + (first || chord.symbol.degree == 0 ? third : []))
                    }
                case .skank:
                    for beat in timeSignature.beatSteps {
                        add(Double(beat + timeSignature.stepsPerBeat / 2), 0.3, voiced)
                    }
                }
            }
        }
        return notes
    }

    private func compRhythm(_ choices: inout Choices) -> [Int] {
        let beats = timeSignature.beatSteps
        let candidates: [[Int]] = [
            beats,
            [0, 6, 10].filter { $0 < stepsPerBar },
            beats.map { $0 + timeSignature.stepsPerBeat / 2 },
            [0] + beats.dropFirst().map { $0 - 2 },
        ]
        return choices.pick(candidates.enumerated().map { ($0.element, conditioned: $0.offset == 1 ? 1.0 : 0.0, unconditioned: 0.0) })
    }

    private func strumSteps() -> [Int] {
        stepsPerBar == 16 ? [0, 4, 6, 10, 12, 14] : timeSignature.beatSteps
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
