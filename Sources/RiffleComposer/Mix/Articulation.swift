import Foundation
import RiffleCore

/// How a player shapes the notes beyond striking them: the sustain pedal, swells, slides and bends,
/// written as controller changes for ``Production``.
enum Articulation {
    /// Pianos, electric pianos, vibraphone and harp: what a player sustains with the pedal.
    static let pedalled: Set<Int> = [0, 1, 2, 3, 4, 5, 11, 46]
    /// Strings, choir, brass sections and pads: what swells under a phrase.
    static func swells(_ program: Int) -> Bool {
        (40...63).contains(program) || (88...95).contains(program) || (48...55).contains(program)
    }

    /// The sustain pedal, changed at every chord: up as the chord changes (the old harmony stops),
    /// down again just after the new chord strikes, so it rings without blurring into the next.
    ///
    /// Only under a part that holds its notes (block chords, arpeggios, a ballad's line): a part that
    /// comps in short stabs is played without pedal, as a pianist keeping a groove plays it. Held
    /// through, stabs ring into one wash, their rhythm is lost, and the pulse a listener (or a beat
    /// tracker) hears moves to whatever else accents the bar.
    static func pedal(_ part: Score.Part, chords: [Score.Chord]) -> [ScoreController] {
        let lengths = part.notes.map(\.length).sorted()
        guard pedalled.contains(part.program), !lengths.isEmpty, lengths[lengths.count / 2] >= 0.75,
              let first = part.notes.map(\.start).min(),
              let last = part.notes.map({ $0.start + $0.length }).max() else { return [] }
        var controllers: [ScoreController] = []
        for chord in chords where chord.start + chord.length > first && chord.start < last {
            let start = max(chord.start, first)
            if !controllers.isEmpty { controllers.append(ScoreController(time: start, kind: .sustain, value: 0)) }
            // An eighth of a quarter is 30-60 ms: after the strike, before the notes would be lifted.
            controllers.append(ScoreController(time: start + 0.125, kind: .sustain, value: 127))
        }
        if !controllers.isEmpty { controllers.append(ScoreController(time: last, kind: .sustain, value: 0)) }
        return controllers
    }

    /// Expression rising to the middle of every four-bar phrase and falling after it, in steps of
    /// a half quarter note where the part plays.
    static func swells(_ part: Score.Part, barLength: Double, depth: Double) -> [ScoreController] {
        guard depth > 0, swells(part.program), let first = part.notes.map(\.start).min(),
              let last = part.notes.map({ $0.start + $0.length }).max() else { return [] }
        let phrase = 4 * barLength
        let floor = 127 - 60 * min(1, depth)
        var controllers: [ScoreController] = []
        var previous = -1
        var time = (first / 0.5).rounded(.down) * 0.5
        while time < last {
            let position = time.truncatingRemainder(dividingBy: phrase) / phrase
            let value = Int((floor + (127 - floor) * sin(Double.pi * position)).rounded())
            if value != previous { controllers.append(ScoreController(time: time, kind: .expression, value: value)) }
            previous = value
            time += 0.5
        }
        controllers.append(ScoreController(time: last, kind: .expression, value: 127))
        return controllers
    }

    /// 808 slides: some pairs of bass notes close together become one note that glides from the
    /// first pitch to the second with the pitch wheel (bend range one octave, set first). `notes`
    /// loses the second note of each pair, which the first now holds.
    static func glides(_ notes: inout [ScoreNote], chance: Double, salt: UInt64) -> [ScoreController] {
        let range = 12
        var sorted = notes.sorted { ($0.start, $0.pitch) < ($1.start, $1.pitch) }
        var controllers: [ScoreController] = []
        var index = 0
        while index + 1 < sorted.count {
            let a = sorted[index], b = sorted[index + 1]
            let gap = b.start - (a.start + a.length)
            let interval = b.pitch - a.pitch
            let apart = index + 2 < sorted.count ? sorted[index + 2].start : .infinity
            guard b.start > a.start + 0.2, gap < 0.3, gap > -0.5, interval != 0, abs(interval) <= range,
                  Production.chance([salt, UInt64(bitPattern: Int64((a.start * 480).rounded())), UInt64(a.pitch), UInt64(b.pitch)]) < chance
            else {
                index += 1
                continue
            }
            // The slide takes the first part of the second note, as an 808's portamento does.
            let slide = min(0.25, b.length * 0.5)
            let target = Double(interval) / Double(range) * 8192
            let steps = 6
            for step in 1...steps {
                let fraction = Double(step) / Double(steps)
                // Eased: quick at first, settling onto the pitch.
                let eased = 1 - (1 - fraction) * (1 - fraction)
                controllers.append(ScoreController(time: b.start + slide * (fraction - 1.0 / Double(steps)), kind: .pitchBend,
                                                   value: Int((target * eased).rounded())))
            }
            let end = min(b.start + b.length, apart)
            sorted[index].length = end - a.start
            // Back to no bend before the next note strikes (or just after this one ends).
            controllers.append(ScoreController(time: min(apart, end + 0.1), kind: .pitchBend, value: 0))
            sorted.remove(at: index + 1)
            index += 1
        }
        notes = sorted
        return controllers.isEmpty ? [] : [ScoreController(time: 0, kind: .bendRange, value: range)] + controllers
    }

    /// Bends into some long lead notes: a guitar bends up from a semitone or a tone below, a sax,
    /// bowed string or brass scoops up from a semitone below, faster. Only notes alone in time
    /// (the wheel bends the whole channel) and at least a beat long.
    static func bends(_ part: Score.Part, chance: Double, secondsPerQuarter: Double, salt: UInt64) -> [ScoreController] {
        let guitar = (24...31).contains(part.program)
        let scoop = (40...44).contains(part.program) || (56...71).contains(part.program)
        guard guitar || scoop else { return [] }
        let notes = part.notes.sorted { $0.start < $1.start }
        var controllers: [ScoreController] = []
        for (index, note) in notes.enumerated() where note.length >= 0.9 {
            let previousEnd = index > 0 ? notes[index - 1].start + notes[index - 1].length : -.infinity
            let nextStart = index + 1 < notes.count ? notes[index + 1].start : .infinity
            guard previousEnd <= note.start + 1e-6, nextStart >= note.start + note.length - 1e-6 else { continue }
            let roll = Production.chance([salt, UInt64(bitPattern: Int64((note.start * 480).rounded())), UInt64(note.pitch), 7])
            guard roll < chance else { continue }
            // Whole-tone bends on half the guitar's bends; range 2 makes -8192 a whole tone.
            let depth = guitar && roll < chance / 2 ? -8192 : -4096
            // 150 ms for a guitar bend, 70 ms for a scoop, in quarters, and never past half the note.
            let duration = min(note.length / 2, (guitar ? 0.15 : 0.07) / secondsPerQuarter)
            let steps = 5
            for step in 0..<steps {
                let fraction = Double(step) / Double(steps)
                controllers.append(ScoreController(time: note.start + duration * fraction, kind: .pitchBend,
                                                   value: Int((Double(depth) * (1 - fraction)).rounded())))
            }
            controllers.append(ScoreController(time: note.start + duration, kind: .pitchBend, value: 0))
        }
        return controllers.isEmpty ? [] : [ScoreController(time: 0, kind: .bendRange, value: 2)] + controllers
    }
}
