import Foundation
import RiffleCore

/// Drums: the genre's grooves bar by bar, shaped by the section (sparser intros and breakdowns, a
/// roll into a drop, a crash on each new section) with a fill before every change.
struct DrumWriter {
    let style: ComposerStyle
    let timeSignature: TimeSignature
    let barLength: Double

    private var stepsPerBar: Int { timeSignature.stepsPerBar }

    /// The grooves usable in this metre: the preset's, else one built from the metre's beats.
    var grooves: [Groove] {
        let fitting = style.grooves(fitting: stepsPerBar)
        return fitting.isEmpty ? [Self.plainGroove(timeSignature)] : fitting
    }

    /// A groove for a metre the preset has none for: kick on the first beat (and the middle one in
    /// long bars), snare on the others, hats on every eighth.
    static func plainGroove(_ metre: TimeSignature) -> Groove {
        let steps = metre.stepsPerBar
        var kick = Array(repeating: Character("."), count: steps)
        var snare = kick
        var hat = kick
        let beats = metre.beatSteps
        for (position, step) in beats.enumerated() {
            if position == 0 || (beats.count >= 4 && position == beats.count / 2) { kick[step] = position == 0 ? "X" : "x" } else { snare[step] = "x" }
        }
        for step in stride(from: 0, to: steps, by: 2) { hat[step] = step == 0 ? "X" : "x" }
        return Groove(kick: String(kick), snare: String(snare), hat: String(hat))
    }

    /// Which groove each kind of section plays: a draw weighted by the preset, once per kind.
    func chooseGrooves(for kinds: Set<SectionKind>, _ choices: inout Choices) -> [SectionKind: Groove] {
        let available = grooves
        var chosen: [SectionKind: Groove] = [:]
        for kind in SectionKind.allCases where kinds.contains(kind) {
            chosen[kind] = choices.pick(available.enumerated().map { index, groove in
                (groove, conditioned: log(max(groove.weight ?? 1, 0.01)) - 0.2 * Double(index), unconditioned: 0.0)
            })
        }
        return chosen
    }

    /// The kick's steps in a groove, for a bass that locks to it.
    static func kickSteps(_ groove: Groove) -> [Int] {
        guard let kick = groove.kick else { return [] }
        return kick.enumerated().compactMap { $0.element == "." ? nil : $0.offset }
    }

    func notes(sections: [Score.Section], grooves: [SectionKind: Groove], velocity: (Double) -> Int,
               _ choices: inout Choices) -> [ScoreNote] {
        var notes: [ScoreNote] = []
        for (sectionIndex, section) in sections.enumerated() {
            guard let groove = grooves[section.kind] else { continue }
            let next = sectionIndex + 1 < sections.count ? sections[sectionIndex + 1] : nil
            for barInSection in 0..<section.bars {
                let bar = section.startBar + barInSection
                let barStart = Double(bar) * barLength
                let isLastBar = barInSection == section.bars - 1
                let fillFrom = isLastBar && next != nil ? fillStart(&choices) : stepsPerBar
                let halfway = barInSection >= section.bars / 2
                for lane in groove.lanes {
                    guard playsLane(lane.note, in: section.kind, secondHalf: halfway) else { continue }
                    for (step, mark) in lane.pattern.enumerated() where mark != "." && step < fillFrom {
                        let accent = mark == "X" ? 14 : mark == "o" ? -30 : 0
                        let start = barStart + Double(step) * 0.25
                        notes.append(ScoreNote(start: start, length: 0.2, pitch: lane.note, velocity: velocity(start) + accent))
                    }
                }
                if section.kind == .build { notes += roll(barStart: barStart, progress: Double(barInSection) / Double(max(1, section.bars)), velocity: velocity) }
                if fillFrom < stepsPerBar { notes += fill(barStart: barStart, from: fillFrom, velocity: velocity, &choices) }
                if barInSection == 0 && (sectionIndex > 0 || section.kind != .intro) && playsLane(GMDrum.crash, in: section.kind, secondHalf: false) {
                    notes.append(ScoreNote(start: barStart, length: 1, pitch: GMDrum.crash, velocity: velocity(barStart) + 6))
                }
            }
        }
        // The final chord gets a crash and a kick of its own.
        if let last = sections.last {
            let finalBar = Double(last.endBar - 1) * barLength
            notes.removeAll { $0.start >= finalBar - 1e-9 }
            notes.append(ScoreNote(start: finalBar, length: 2, pitch: GMDrum.crash, velocity: velocity(finalBar) + 10))
            notes.append(ScoreNote(start: finalBar, length: 0.5, pitch: GMDrum.kick, velocity: velocity(finalBar) + 10))
        }
        return notes
    }

    /// Sections thin the kit out: intros and breakdowns keep time without the backbeat.
    private func playsLane(_ note: Int, in kind: SectionKind, secondHalf: Bool) -> Bool {
        switch kind {
        case .intro: return secondHalf ? true : ![GMDrum.snare, GMDrum.clap, GMDrum.crash].contains(note)
        case .breakdown: return [GMDrum.closedHat, GMDrum.shaker, GMDrum.ride, GMDrum.rim].contains(note)
        case .build: return note == GMDrum.kick || note == GMDrum.closedHat
        default: return true
        }
    }

    /// Where the fill starts: the last beat, the last two, or the last half-beat.
    private func fillStart(_ choices: inout Choices) -> Int {
        let beat = timeSignature.stepsPerBeat
        return stepsPerBar - choices.pick([(beat, conditioned: 1.0, unconditioned: 0.0),
                                           (2 * beat, conditioned: 0.2, unconditioned: 0.0),
                                           (beat / 2, conditioned: 0.0, unconditioned: 0.0)])
    }

    private func fill(barStart: Double, from step: Int, velocity: (Double) -> Int, _ choices: inout Choices) -> [ScoreNote] {
        let toms = choices.chance(0.5)
        let voices = toms ? [GMDrum.highTom, GMDrum.midTom, GMDrum.lowTom] : [GMDrum.snare]
        var notes: [ScoreNote] = []
        let count = stepsPerBar - step
        for offset in 0..<count {
            let start = barStart + Double(step + offset) * 0.25
            let voice = voices[min(voices.count - 1, offset * voices.count / max(1, count))]
            // A crescendo into the next section.
            let swell = Int(Double(offset) / Double(max(1, count)) * 20) - 10
            notes.append(ScoreNote(start: start, length: 0.2, pitch: voice, velocity: velocity(start) + swell))
        }
        return notes
    }

    /// A snare roll that speeds up and swells across a build: quarters, then eighths, then sixteenths.
    private func roll(barStart: Double, progress: Double, velocity: (Double) -> Int) -> [ScoreNote] {
        let spacing = progress < 0.5 ? 4 : (progress < 0.75 ? 2 : 1)
        return stride(from: 0, to: stepsPerBar, by: spacing).map { step in
            let start = barStart + Double(step) * 0.25
            return ScoreNote(start: start, length: 0.2, pitch: GMDrum.snare, velocity: velocity(start) - 20 + Int(progress * 30))
        }
    }
}

