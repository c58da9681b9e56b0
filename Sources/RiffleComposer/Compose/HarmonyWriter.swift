import RiffleCore

/// Chooses the key when nobody named one, and the chords of every section.
struct HarmonyWriter {
    let style: ComposerStyle
    let preset: GenrePreset?
    let moods: [String]

    /// A key for a take whose request and prompt named none: a mode the genre uses (minor leaning
    /// for dark or sad prompts, major for bright or happy ones) on any of the twelve tonics.
    func chooseKey(_ choices: inout Choices) -> MusicalKey {
        let modes = MusicalKey.Mode.allCases
        let genreModes = preset?.modes ?? [.major, .minor]
        let minorMood = !Set(moods).isDisjoint(with: ["dark", "sad", "mysterious", "aggressive"])
        let majorMood = !Set(moods).isDisjoint(with: ["bright", "happy", "uplifting", "warm"])
        let mode = choices.pick(modes.map { mode in
            var logit = genreModes.firstIndex(of: mode).map { 2 - 0.6 * Double($0) } ?? -4
            if minorMood && [.minor, .dorian, .phrygian].contains(mode) { logit += 1.5 }
            if majorMood && [.major, .lydian, .mixolydian].contains(mode) { logit += 1.5 }
            let plain: Double = mode == .major || mode == .minor ? 0 : -3
            return (mode, conditioned: logit, unconditioned: plain)
        })
        // Tonics spelled the way musicians usually write them.
        let tonics: [(Character, Int)] = [("C", 0), ("D", -1), ("D", 0), ("E", -1), ("E", 0), ("F", 0),
                                          ("F", 1), ("G", 0), ("A", -1), ("A", 0), ("B", -1), ("B", 0)]
        let tonic = tonics[choices.pick(conditioned: Array(repeating: 0, count: 12), unconditioned: Array(repeating: 0, count: 12))]
        return MusicalKey(letter: tonic.0, accidental: tonic.1, mode: mode)
    }

    /// Chords for `sections`: one progression per kind of section, repeated each time it recurs,
    /// ending on a cadence into the tonic. Progressions in `known` are kept (a restyle keeps the
    /// harmony); the rest are drawn and added to it.
    func chords(for sections: [Score.Section], key: MusicalKey, barLength: Double,
                known progressions: inout [SectionKind: [ChordSymbol]], _ choices: inout Choices) -> [Score.Chord] {
        let loops = style.loops(for: key.mode)
        let slotsPerBar = style.chordsPerBar
        let slotLength = barLength / slotsPerBar
        var chords: [Score.Chord] = []
        for section in sections {
            let slots = max(1, Int((Double(section.bars) * slotsPerBar).rounded(.up)))
            let progression = progressions[section.kind] ?? progression(slots: slots, slotsPerBar: slotsPerBar, loops: loops, key: key, &choices)
            progressions[section.kind] = progression
            let sectionStart = Double(section.startBar) * barLength
            let sectionEnd = Double(section.endBar) * barLength
            for slot in 0..<slots {
                let start = sectionStart + Double(slot) * slotLength
                let symbol = progression[slot % progression.count]
                chords.append(Score.Chord(start: start, length: min(slotLength, sectionEnd - start), symbol: symbol,
                                          intervals: []))
            }
        }
        cadence(&chords, key: key, barLength: barLength, &choices)
        for index in chords.indices {
            let symbol = chords[index].symbol
            chords[index].intervals = symbol.intervals(in: key.mode, addSeventh: false)
            if symbol.seventh == nil, choices.chance(style.sevenths) {
                chords[index].intervals = symbol.intervals(in: key.mode, addSeventh: true)
            }
        }
        return chords
    }

    /// A progression of `length` chords. The style's loops condition each draw (the loop chosen for
    /// this section says which degree comes next, and every loop says which moves the genre makes);
    /// the unconditioned view is plain diatonic harmony.
    private func progression(slots: Int, slotsPerBar: Double, loops: [ChordLoop], key: MusicalKey,
                             _ choices: inout Choices) -> [ChordSymbol] {
        let loop = choices.pick(loops.enumerated().map { index, loop in
            (loop, conditioned: -0.4 * Double(index), unconditioned: 0.0)
        })
        // A progression spans four bars, or the loop if longer (a twelve-bar blues), and then
        // repeats: repetition is what makes a section.
        let length = min(slots, max(1, Int(4 * slotsPerBar), loop.chords.count))
        var moves = Set<[Int]>()
        for each in loops {
            for (index, chord) in each.chords.enumerated() {
                moves.insert([chord.degree, each.chords[(index + 1) % each.chords.count].degree])
            }
        }
        let generic: [Double] = [1.2, 0.3, -0.2, 0.8, 0.8, 0.5, -1.5]
        let sad = !Set(moods).isDisjoint(with: ["dark", "sad", "mysterious"])
        let minorQuality = (0..<7).map { degree in
            let third = ChordSymbol(degree: degree).intervals(in: key.mode, addSeventh: false)
            return third[1] - third[0] == 3
        }
        var result: [ChordSymbol] = []
        for slot in 0..<length {
            let wanted = loop.chords[slot % loop.chords.count]
            let previous = result.last?.degree
            let degree = choices.pick(conditioned: (0..<7).map { degree in
                var logit = generic[degree] * 0.5
                if degree == wanted.degree { logit += 3 }
                if let previous, moves.contains([previous, degree]) { logit += 1 }
                if sad && minorQuality[degree] { logit += 0.6 }
                // Home is where the key is heard from: the tonic comes back often, first of all.
                if degree == 0 { logit += slot == 0 ? 1.0 : 0.3 }
                return logit
            }, unconditioned: (0..<7).map { degree in generic[degree] + (slot == 0 && degree == 0 ? 1 : 0) })
            result.append(degree == wanted.degree ? wanted : ChordSymbol(degree: degree))
        }
        return result
    }

    /// The last chord becomes the tonic, struck at the start of the last bar; the one before it a
    /// dominant (an authentic cadence) or a subdominant (plagal), whichever the draw prefers.
    private func cadence(_ chords: inout [Score.Chord], key: MusicalKey, barLength: Double, _ choices: inout Choices) {
        guard let last = chords.last else { return }
        let finalBarStart = ((last.start + last.length) / barLength - 1).rounded(.down) * barLength
        chords.removeAll { $0.start >= finalBarStart }
        let tonicSeventh: ChordSymbol.Seventh? = style.sevenths > 0.6 ? .diatonic : nil
        if let penultimate = chords.indices.last {
            let approach = choices.pick([(4, conditioned: 1.5, unconditioned: 0.0), (3, conditioned: 0.5, unconditioned: 0.0)])
            let blues = chords[penultimate].symbol.seventh == .dominant
            chords[penultimate].symbol = ChordSymbol(degree: approach, seventh: blues ? .dominant : nil)
            chords[penultimate].length = min(chords[penultimate].length, finalBarStart - chords[penultimate].start)
        }
        chords.append(Score.Chord(start: finalBarStart, length: barLength, symbol: ChordSymbol(degree: 0, seventh: tonicSeventh), intervals: []))
    }
}
