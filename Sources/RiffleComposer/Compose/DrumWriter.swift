import Foundation
import RiffleCore

/// Drums: the genre's grooves bar by bar, shaped by the section (sparser intros and breakdowns, a
/// roll into a drop, a crash on each new section) with a fill before every change.
struct DrumWriter {
    let style: ComposerStyle
    let timeSignature: TimeSignature
    let barLength: Double
    /// The beat in quarter notes per minute: fast tempos thin sixteenth runs to eighths.
    var quarterNotesPerMinute: Double = 120
    /// What the prompt asks of the kit: feels and voices.
    var arrangement = ArrangementRequest()

    private var stepsPerBar: Int { timeSignature.stepsPerBar }

    /// Sixteenth notes a second at this tempo.
    var sixteenthsPerSecond: Double { quarterNotesPerMinute * 4 / 60 }

    /// The grooves usable in this metre: the preset's written for it (tagged ones first), else its
    /// others recast for the metre, else one built from the metre's beats.
    var grooves: [Groove] {
        let tagged = style.grooves.filter { $0.metre == timeSignature }
        if !tagged.isEmpty { return tagged }
        let fitting = style.grooves(fitting: timeSignature)
        if !fitting.isEmpty { return fitting }
        let sources = style.grooves.filter { $0.steps % 16 == 0 && $0.metre == nil || $0.metre == .common }
        if !sources.isEmpty { return sources.map { $0.adapted(to: timeSignature) } }
        return [Self.plainGroove(timeSignature)]
    }

    /// A groove for a metre the preset has none for: the standard kit's recast for the metre.
    static func plainGroove(_ metre: TimeSignature) -> Groove {
        let standard = ComposerStyle.standard.grooves[0]
        return metre == .common ? standard : standard.adapted(to: metre)
    }

    /// Which groove each kind of section plays: a draw weighted by the preset, once per kind, then
    /// how this take plays it (hats, ghosts, kick: one draw for the take, so the drummer stays the
    /// same player), the feels and voices the prompt asks for, and what the tempo allows.
    func chooseGrooves(for kinds: Set<SectionKind>, _ choices: inout Choices) -> [SectionKind: Groove] {
        let available = grooves
        let variation = Self.chooseVariation(&choices)
        var chosen: [SectionKind: Groove] = [:]
        for kind in SectionKind.allCases where kinds.contains(kind) {
            // Gentle preferences: at the default guidance the likeliest groove plays about half the
            // sections, so two takes of a prompt rarely share a drum part; high guidance or a low
            // temperature settles on the preset's first.
            var groove = choices.pick(available.enumerated().map { index, groove in
                (groove, conditioned: 0.35 * log(max(groove.weight ?? 1, 0.01)) - 0.05 * Double(index), unconditioned: 0.0)
            })
            groove = groove.varied(variation, metre: timeSignature)
            for feel in arrangement.feels { groove = groove.feel(feel, metre: timeSignature) }
            for voice in arrangement.drumVoices { groove = groove.featuring(voice, metre: timeSignature) }
            chosen[kind] = groove.playable(sixteenthsPerSecond: sixteenthsPerSecond)
        }
        return chosen
    }

    /// The take's liberties with the written grooves: each as written likeliest under the preset,
    /// every option equal in the unconditioned view.
    static func chooseVariation(_ choices: inout Choices) -> Groove.Variation {
        func draw<T: CaseIterable & Equatable>(_ written: T) -> T {
            choices.pick(T.allCases.map { ($0, conditioned: $0 == written ? 0.35 : 0.0, unconditioned: 0.0) })
        }
        return Groove.Variation(hats: draw(Groove.Variation.Hats.written), ghosts: draw(Groove.Variation.Ghosts.written),
                                kick: draw(Groove.Variation.Kick.written))
    }

    /// The kick's steps in a groove, for a bass that locks to it.
    static func kickSteps(_ groove: Groove, bar: Int, stepsPerBar: Int) -> [Int] {
        guard let kick = groove.kick else { return [] }
        return Groove.bar(bar, of: kick, stepsPerBar: stepsPerBar).enumerated().compactMap { $0.element == "." ? nil : $0.offset }
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
                    // Lanes of several bars carry on across the piece (a two-bar clave keeps its side).
                    for (step, mark) in Groove.bar(bar, of: lane.pattern, stepsPerBar: stepsPerBar).enumerated() where mark != "." && step < fillFrom {
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
        case .intro: return secondHalf ? true : ![GMDrum.snare, GMDrum.clap, GMDrum.crash, GMDrum.lowTom].contains(note)
        case .breakdown: return [GMDrum.closedHat, GMDrum.shaker, GMDrum.ride, GMDrum.rim, GMDrum.clave, GMDrum.conga, GMDrum.bongo].contains(note)
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
        // Toms a little likelier than the snare, so a cold take settles on one fill.
        let toms = choices.chance(0.6)
        let voices = toms ? [GMDrum.highTom, GMDrum.midTom, GMDrum.lowTom] : [GMDrum.snare]
        var notes: [ScoreNote] = []
        let spacing = sixteenthsPerSecond > Groove.fastestSixteenths ? 2 : 1
        let count = (stepsPerBar - step + spacing - 1) / spacing
        for offset in 0..<count {
            let start = barStart + Double(step + offset * spacing) * 0.25
            let voice = voices[min(voices.count - 1, offset * voices.count / max(1, count))]
            // A crescendo into the next section.
            let swell = Int(Double(offset) / Double(max(1, count)) * 20) - 10
            notes.append(ScoreNote(start: start, length: 0.2, pitch: voice, velocity: velocity(start) + swell))
        }
        return notes
    }

    /// A snare roll that speeds up and swells across a build: quarters, then eighths, then sixteenths.
    private func roll(barStart: Double, progress: Double, velocity: (Double) -> Int) -> [ScoreNote] {
        let fastest = sixteenthsPerSecond > Groove.fastestSixteenths ? 2 : 1
        let spacing = max(fastest, progress < 0.5 ? 4 : (progress < 0.75 ? 2 : 1))
        return stride(from: 0, to: stepsPerBar, by: spacing).map { step in
            let start = barStart + Double(step) * 0.25
            return ScoreNote(start: start, length: 0.2, pitch: GMDrum.snare, velocity: velocity(start) - 20 + Int(progress * 30))
        }
    }
}

