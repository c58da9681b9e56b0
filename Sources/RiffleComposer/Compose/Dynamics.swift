import RiffleCore

/// How loud each part plays where: sections rise and fall (a quiet intro, a full chorus), moods
/// shift the whole piece.
struct Dynamics {
    let sections: [Score.Section]
    let barLength: Double
    let moods: [String]
    /// The felt beat in quarter notes (1.5 in compound metres).
    let beatLength: Double
    /// Without drums the comping carries the pulse, so it plays out and the pads step back.
    let hasDrums: Bool

    func section(at quarter: Double) -> SectionKind {
        let bar = Int((quarter / barLength + 1e-9).rounded(.down))
        return sections.last { $0.startBar <= bar }?.kind ?? .verse
    }

    /// How loud `role` plays at `quarter`: the section's level, the moods, and a lift on the beat
    /// (on-beat notes a little louder than the ones between, as players do, which also makes the
    /// pulse easy to hear).
    func velocity(_ role: Instrument.Role, at quarter: Double) -> Int {
        let base: Double
        switch role {
        case .drums: base = 96
        case .bass: base = 92
        case .harmony: base = 72
        case .melody: base = 90
        case .texture: base = 58
        }
        let scale: Double
        switch section(at: quarter) {
        case .intro: scale = 0.82
        case .verse: scale = 0.9
        case .chorus, .solo: scale = 1.0
        case .drop: scale = 1.05
        case .build: scale = 0.9
        case .breakdown: scale = 0.75
        case .bridge: scale = 0.88
        case .outro: scale = 0.85
        }
        var velocity = base * scale
        if !hasDrums && role == .harmony { velocity += 12 }
        if !hasDrums && role == .texture { velocity -= 10 }
        let inBeat = quarter.truncatingRemainder(dividingBy: beatLength)
        if role != .drums { velocity += inBeat < 0.01 || inBeat > beatLength - 0.01 ? 6 : -6 }
        if !Set(moods).isDisjoint(with: ["aggressive", "energetic", "epic"]) { velocity += 8 }
        if !Set(moods).isDisjoint(with: ["calm", "dreamy", "sad"]) { velocity -= 10 }
        return Int(velocity.rounded())
    }
}
