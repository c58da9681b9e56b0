import RiffleCore

/// Ways to reshape a groove: fitting it to another metre, the feels a prompt names, the drum
/// voices it asks for, a lighter hand at fast tempos, and the small per-take changes a drummer
/// makes to a written part.
extension Groove {
    /// The groove with every lane passed through `transform` (given the lane's drum note); a lane
    /// the transform returns `nil` for is dropped.
    func mapLanes(_ transform: (Int, String) -> String?) -> Groove {
        var copy = self
        for (path, note) in Self.laneNotes {
            guard let pattern = self[keyPath: path] else { continue }
            copy[keyPath: path] = transform(note, pattern).flatMap { $0.contains(where: { $0 != "." }) ? $0 : nil }
        }
        return copy
    }

    /// Applies `transform` to each bar of `stepsPerBar` steps of a lane.
    static func perBar(_ pattern: String, _ stepsPerBar: Int, _ transform: ([Character]) -> [Character]) -> String {
        let marks = Array(pattern)
        guard stepsPerBar > 0, marks.count % stepsPerBar == 0 else { return pattern }
        return String(stride(from: 0, to: marks.count, by: stepsPerBar).flatMap { transform(Array(marks[$0..<($0 + stepsPerBar)])) })
    }

    // MARK: Metre

    /// This groove's first 4/4 bar recast for `metre`: each beat group of the new bar takes a beat
    /// of the old one (3/4: the downbeat and two backbeats, a waltz; 6/8: the downbeat and the
    /// backbeat, each stretched to three eighths; 7/8: two, two and three eighths), so a genre's
    /// kit, hat density and kick keep their character in a metre the preset has no groove for.
    func adapted(to metre: TimeSignature) -> Groove {
        let groups: [(length: Int, source: Int)]
        switch (metre.beatsPerBar, metre.beatUnit) {
        case (2, 4): groups = [(4, 0), (4, 1)]
        case (3, 4): groups = [(4, 0), (4, 1), (4, 3)]
        case (5, 4): groups = [(4, 0), (4, 1), (4, 3), (4, 2), (4, 3)]
        case (6, 8): groups = [(6, 0), (6, 1)]
        case (7, 8): groups = [(4, 0), (4, 1), (6, 2)]
        case (12, 8): groups = [(6, 0), (6, 1), (6, 2), (6, 3)]
        default: groups = metre.beatSteps.indices.map { (metre.stepsPerBeat, $0 % 4) }
        }
        var result = mapLanes { note, pattern in
            var source = Array(pattern.prefix(16))
            while source.count < 16 { source += source.isEmpty ? Array(repeating: ".", count: 16) : source }
            var bar: [Character] = []
            for group in groups {
                for step in 0..<group.length {
                    // Three eighths to a beat: the third repeats the second ("x.x." becomes "x.x.x.").
                    let from = step < 4 ? step : step - 2
                    let mark = source[group.source * 4 + from]
                    // The kick keeps only the beats: a syncopated rock kick landing on a waltz's
                    // "and" would blur three into six.
                    bar.append(note == GMDrum.kick && step > 0 ? "." : mark)
                }
            }
            return String(bar)
        }
        result.metre = metre
        return result
    }

    // MARK: Feels a prompt names

    /// The groove in the feel named: "one-drop" (kick and snare or rim together on the middle of
    /// the bar only), "half-time" (the backbeat lanes stretched over twice the time), "double-time"
    /// (squeezed into half), "four-on-the-floor" (a kick on every beat). Other feels leave it alone.
    func feel(_ name: String, metre: TimeSignature) -> Groove {
        let bar = metre.stepsPerBar
        let backbeatLanes: Set<Int> = [GMDrum.kick, GMDrum.snare, GMDrum.clap, GMDrum.rim]
        switch name {
        case "one-drop":
            let drop = String((0..<bar).map { $0 == bar / 2 ? "X" : "." })
            var result = self
            result.kick = drop
            if rim != nil || snare == nil { result.rim = drop; result.snare = nil } else { result.snare = drop }
            result.clap = nil
            return result
        case "half-time":
            return mapLanes { note, pattern in
                guard backbeatLanes.contains(note) else { return pattern }
                return Self.perBar(pattern, bar) { marks in (0..<bar).map { $0 % 2 == 0 ? marks[$0 / 2] : "." } }
            }
        case "double-time":
            return mapLanes { note, pattern in
                guard backbeatLanes.contains(note) else { return pattern }
                return Self.perBar(pattern, bar) { marks in (0..<bar).map { marks[(2 * $0) % bar] } }
            }
        case "four-on-the-floor":
            var result = self
            let beats = Set(metre.beatSteps)
            result.kick = String((0..<bar).map { beats.contains($0) ? ($0 == 0 ? "X" : "x") : "." })
            return result
        default:
            return self
        }
    }

    // MARK: Voices a prompt names

    /// The groove with `voice` playing: kept as written where the groove has it, else a lane the
    /// voice usually plays in this metre (a ride asked for takes over the hi-hat's part).
    func featuring(_ voice: DrumVoice, metre: TimeSignature) -> Groove {
        let bar = metre.stepsPerBar
        let beats = metre.beatSteps
        let half = metre.stepsPerBeat / 2
        func lane(_ hits: [Int: Character]) -> String { String((0..<bar).map { hits[$0] ?? "." }) }
        let backbeat = lane(Dictionary(uniqueKeysWithValues: beats.dropFirst().enumerated().filter { beats.count < 4 || $0.offset % 2 == 0 }.map { ($0.element, "x") }))
        let onBeats = lane(Dictionary(uniqueKeysWithValues: beats.enumerated().map { ($0.element, $0.offset == 0 ? "X" : "x") }))
        let offBeats = lane(Dictionary(uniqueKeysWithValues: beats.map { ($0 + half, "x") }))
        let eighths = lane(Dictionary(uniqueKeysWithValues: stride(from: 0, to: bar, by: 2).map { ($0, beats.contains($0) ? "x" : "o") }))
        let fourFour = bar == 16
        var result = self
        switch voice {
        case .kick: if kick == nil { result.kick = lane([0: "X", bar / 2: "x"]) }
        case .snare: if snare == nil { result.snare = backbeat }
        case .clap: if clap == nil { result.clap = backbeat }
        case .rim: if rim == nil { result.rim = snare == nil ? backbeat : offBeats }
        case .hiHat: if hat == nil { result.hat = eighths }
        case .openHat: if openHat == nil { result.openHat = offBeats }
        case .ride:
            if ride == nil { result.ride = hat ?? eighths; result.hat = hat == nil ? nil : backbeat }
        case .crash: if crash == nil { result.crash = "X" + String(repeating: ".", count: 2 * bar - 1) }
        case .shaker: if shaker == nil { result.shaker = eighths }
        case .tambourine: if tambourine == nil { result.tambourine = backbeat }
        case .conga: if conga == nil { result.conga = fourFour ? "..x.x..x..x.x..x" : offBeats }
        case .bongo: if bongo == nil { result.bongo = fourFour ? "x.o.x.o.x.o.x.o." : eighths }
        case .cowbell: if cowbell == nil { result.cowbell = onBeats }
        case .toms, .taiko: if toms == nil { result.toms = fourFour ? "X..x..x.X......." : onBeats }
        case .clave:
            // Son clave, three strokes then two, across two bars.
            if clave == nil { result.clave = fourFour ? "X.....x.....x.......x...x......." : onBeats }
        case .timbale: if timbale == nil { result.timbale = fourFour ? "x.xx.x.xx.x.x.x." : eighths }
        }
        return result
    }

    // MARK: Tempo

    /// The groove as a human can play it at `sixteenthsPerSecond`: above ten hits a second,
    /// runs of sixteenths in any lane thin to eighths (a lone syncopated sixteenth stays: it is a
    /// rhythm, not a blur).
    func playable(sixteenthsPerSecond: Double) -> Groove {
        guard sixteenthsPerSecond > Self.fastestSixteenths else { return self }
        return mapLanes { _, pattern in
            let marks = Array(pattern)
            return String(marks.indices.map { step in
                guard step % 2 == 1, marks[step] != "." else { return marks[step] }
                let before = marks[step - 1] != ".", after = step + 1 < marks.count && marks[step + 1] != "."
                return before || after ? "." : marks[step]
            })
        }
    }

    /// Sixteenths a second above which a lane may not run: 10 (150 quarter notes a minute; trap hats at 140 keep their rolls, salsa at 180 plays eighths).
    static let fastestSixteenths = 10.0

    // MARK: A drummer's liberties

    /// How a take plays the written part: the hats' subdivision, the ghost notes, the kick.
    struct Variation: Hashable {
        enum Hats: CaseIterable { case written, eighths, sixteenths, quarters }
        enum Ghosts: CaseIterable { case written, added, removed }
        enum Kick: CaseIterable { case written, pushed, anticipated, sparse }
        var hats: Hats = .written
        var ghosts: Ghosts = .written
        var kick: Kick = .written

        static let written = Variation()
    }

    /// The groove played with `variation` (only in 4/4: other metres keep their written grouping,
    /// which is what says the metre).
    func varied(_ variation: Variation, metre: TimeSignature) -> Groove {
        let bar = metre.stepsPerBar
        guard variation != .written, bar == 16 else { return self }
        var result = self
        // The time-keeping lane: hats, else the ride.
        let timePath: WritableKeyPath<Groove, String?>? = hat != nil ? \.hat : (ride != nil ? \.ride : nil)
        if let timePath, let pattern = self[keyPath: timePath] {
            result[keyPath: timePath] = Self.perBar(pattern, bar) { marks in
                marks.indices.map { step -> Character in
                    let beat = step % 4 == 0
                    switch variation.hats {
                    case .written: return marks[step]
                    case .eighths: return step % 2 == 0 ? (marks[step] == "." ? (beat ? "x" : "o") : marks[step]) : "."
                    case .sixteenths: return marks[step] != "." ? marks[step] : (step % 2 == 1 ? "o" : "x")
                    case .quarters: return beat ? (marks[step] == "." ? "x" : marks[step]) : "."
                    }
                }
            }
        }
        let ghostPath: WritableKeyPath<Groove, String?> = snare != nil ? \.snare : \.rim
        if let pattern = self[keyPath: ghostPath], variation.ghosts != .written {
            result[keyPath: ghostPath] = Self.perBar(pattern, bar) { marks in
                marks.indices.map { step -> Character in
                    switch variation.ghosts {
                    case .removed: return marks[step] == "o" ? "." : marks[step]
                    case .added:
                        // Ghosts a sixteenth around the backbeat, where a drummer's left hand drifts.
                        let next = marks[(step + 1) % marks.count], previous = marks[(step + marks.count - 1) % marks.count]
                        return marks[step] == "." && step % 4 != 0 && (next == "X" || previous == "X") ? "o" : marks[step]
                    case .written: return marks[step]
                    }
                }
            }
        }
        if let pattern = kick, variation.kick != .written {
            result.kick = Self.perBar(pattern, bar) { marks in
                var marks = marks
                switch variation.kick {
                case .pushed: if marks[bar / 2 - 2] == "." { marks[bar / 2 - 2] = "x" }
                case .anticipated: if marks[bar - 2] == "." { marks[bar - 2] = "x" }
                case .sparse:
                    for step in marks.indices where step % (bar / 2) != 0 && marks[step] != "." && step % 4 != 0 { marks[step] = "." }
                case .written: break
                }
                return marks
            }
        }
        return result
    }
}
