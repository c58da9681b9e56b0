import RiffleCore

/// The rhythms each bass pattern comes in: a take draws one and keeps it, so two takes of a prompt
/// play different bass lines on the same chords, and each stays one player's part.
enum BassPatterns {
    /// Which chord tone a hit plays.
    enum Tone { case root, fifth, octave, next, approach }

    /// One note of a bar's figure: where it starts and how long it lasts, in sixteenths.
    struct Hit: Hashable {
        var step: Int
        var length: Double
        var tone: Tone
    }

    /// Cells written as "0r7 8f7": step, tone (r root, f fifth, o octave, n the next chord's root,
    /// a a semitone below it) and length in sixteenths.
    static func cell(_ text: String) -> [Hit] {
        text.split(separator: " ").map { word in
            let tone = word.first { $0.isLetter }!
            let parts = word.split(separator: tone)
            let tones: [Character: Tone] = ["r": .root, "f": .fifth, "o": .octave, "n": .next, "a": .approach]
            return Hit(step: Int(parts[0])!, length: Double(parts[1])!, tone: tones[tone]!)
        }
    }

    /// The figures for `pattern` in a bar of sixteen steps (4/4), the genre's classic first.
    static let fourFour: [ComposerStyle.BassPattern: [[Hit]]] = [
        .root: ["0r15", "0r7 8r7", "0r5 6r10", "0r11 12f3"].map(cell),
        .rootFifth: ["0r7 8f7", "0r5 6r2 8f7", "0r7 8f5 14r2", "0r3 4f3 8r3 12f3", "0r6 6f2 8r6 14a2"].map(cell),
        .octave: ["0r1.6 2o1.6 4r1.6 6o1.6 8r1.6 10o1.6 12r1.6 14o1.6", "0r3.5 4r1.6 6o1.6 8r3.5 12r1.6 14o1.6",
                  "0r1.6 2o0.8 3o0.8 4r1.6 6o0.8 7o0.8 8r1.6 10o0.8 11o0.8 12r1.6 14o0.8 15o0.8"].map(cell),
        .octavePump: ["0r1 2o1 4r1 6o1 8r1 10o1 12r1 14o1", "0r1 2o1 3o1 4r1 6o1 7o1 8r1 10o1 11o1 12r1 14o1 15o1",
                      "0r3 2o1 6o1 8r3 10o1 14o1"].map(cell),
        .syncopated: ["0r2.5 3r2.5 6o1.5 10r1.5 12f1.5 14r1.5", "0r1.5 3r2.5 6r3.5 10f1 11o2 14r1.5",
                      "0r5 6o1 7r2.5 10f3.5 14a1.5"].map(cell),
        .tumbao: ["6f5.5 12n4", "0r3.5 6f5.5 12n4", "6f3.5 10f1.5 12n4"].map(cell),
        .bossa: ["0r5.5 6f1.5 8f5.5 14r1.5", "0r5.5 6f1.5 8r7.5", "0r5.5 6r1.5 8f5.5 14a1.5"].map(cell),
        .reggae: ["0r5.6 6r1.6 8f3.6 14o1.6", "0r5.5 8f3.5 10r1.5 12o3.5", "2r1.5 4r3.5 10f1.5 12r3.5",
                  "0r3.5 4r1.5 6f1.5 8r5.5 14a1.5", "0r7.5 10f1.5 12o1.5 14r1.5"].map(cell),
        .sustained: ["0r16", "0r9.5 10r6", "0r7.5 8f7.5"].map(cell),
    ]

    /// How many figures a take can draw from for `pattern` in `metre`.
    static func count(_ pattern: ComposerStyle.BassPattern, metre: TimeSignature) -> Int {
        switch pattern {
        case .walking, .kick, .eightOhEight: 3
        default: figures(pattern, metre: metre).count
        }
    }

    /// The figures for `pattern` in `metre`: the 4/4 ones (cut to the bar in 2/4), else figures
    /// built from the metre's beats.
    static func figures(_ pattern: ComposerStyle.BassPattern, metre: TimeSignature) -> [[Hit]] {
        let bar = metre.stepsPerBar
        if let written = fourFour[pattern], bar == 16 { return written }
        if let written = fourFour[pattern], bar == 8 {
            return written.map { $0.filter { $0.step < 8 }.map { Hit(step: $0.step, length: min($0.length, Double(8 - $0.step)), tone: $0.tone) } }
                .filter { !$0.isEmpty }
        }
        let beats = metre.beatSteps
        func length(_ index: Int) -> Double { Double((index + 1 < beats.count ? beats[index + 1] : bar) - beats[index]) * 0.9 }
        let strong = beats.enumerated().map { Hit(step: $0.element, length: length($0.offset), tone: $0.offset == 0 ? .root : ($0.offset % 2 == 0 ? .octave : .fifth)) }
        let whole = [Hit(step: 0, length: Double(bar) * 0.95, tone: .root)]
        let pickup = [Hit(step: 0, length: Double(beats.last ?? 0) * 0.95, tone: .root), Hit(step: beats.last ?? 0, length: length(beats.count - 1), tone: .fifth)]
        let eighths = stride(from: 0, to: bar, by: 2).map { Hit(step: $0, length: 1.6, tone: ($0 / 2) % 2 == 0 ? .root : .octave) }
        switch pattern {
        case .root, .sustained: return [whole, pickup]
        case .octave, .octavePump: return [eighths, strong]
        default: return [strong, pickup, whole]
        }
    }
}
