import RiffleCore

/// Drums as step patterns, one character per sixteenth note, for one bar or several.
///
/// "X" is an accent, "x" a normal hit, "o" a ghost note, "." a rest. A 4/4 bar has 16 steps, 3/4 and
/// 6/8 have 12, 7/8 has 14, 5/4 has 20, 12/8 has 24. A lane may span several bars (32 steps: a
/// two-bar clave in 4/4); every lane's length must be a whole number of bars of the metre it plays
/// in, and each lane repeats on its own. `metre` says which metre the groove is for, which settles
/// what the length alone cannot (12 steps is a bar of 3/4 or of 6/8).
public struct Groove: Sendable, Hashable, Decodable {
    public var kick: String?
    public var snare: String?
    public var clap: String?
    public var rim: String?
    public var hat: String?
    public var openHat: String?
    public var ride: String?
    public var crash: String?
    public var shaker: String?
    public var tambourine: String?
    public var conga: String?
    public var bongo: String?
    public var cowbell: String?
    public var clave: String?
    public var timbale: String?
    public var toms: String?
    /// The metre this groove is written for; `nil` fits any metre its length and accents fit.
    public var metre: TimeSignature?
    /// How often this groove is chosen relative to the others.
    public var weight: Double?

    enum CodingKeys: String, CodingKey {
        case kick, snare, clap, rim, hat, ride, crash, shaker, tambourine, conga, bongo, cowbell, clave, timbale, toms, metre, weight
        case openHat = "open_hat"
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        func lane(_ key: CodingKeys) throws -> String? {
            guard let pattern = try container.decodeIfPresent(String.self, forKey: key) else { return nil }
            guard pattern.allSatisfy({ "Xxo.".contains($0) }) else {
                throw DecodingError.dataCorruptedError(forKey: key, in: container,
                    debugDescription: "\"\(pattern)\" may only use X (accent), x (hit), o (ghost) and . (rest)")
            }
            return pattern
        }
        kick = try lane(.kick)
        snare = try lane(.snare)
        clap = try lane(.clap)
        rim = try lane(.rim)
        hat = try lane(.hat)
        openHat = try lane(.openHat)
        ride = try lane(.ride)
        crash = try lane(.crash)
        shaker = try lane(.shaker)
        tambourine = try lane(.tambourine)
        conga = try lane(.conga)
        bongo = try lane(.bongo)
        cowbell = try lane(.cowbell)
        clave = try lane(.clave)
        timbale = try lane(.timbale)
        toms = try lane(.toms)
        metre = try container.decodeIfPresent(TimeSignature.self, forKey: .metre)
        weight = container.contains(.weight) ? try container.decodeNumber(forKey: .weight) : nil
        if lanes.isEmpty {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "a groove needs at least one drum pattern"))
        }
        if let metre, let lane = lanes.first(where: { $0.pattern.count % metre.stepsPerBar != 0 }) {
            throw DecodingError.dataCorruptedError(forKey: .metre, in: container,
                debugDescription: "a \(metre) groove's lanes last whole bars of \(metre.stepsPerBar) steps; \"\(lane.pattern)\" has \(lane.pattern.count)")
        }
    }

    public init(kick: String? = nil, snare: String? = nil, clap: String? = nil, rim: String? = nil, hat: String? = nil,
                openHat: String? = nil, ride: String? = nil, shaker: String? = nil, tambourine: String? = nil,
                conga: String? = nil, weight: Double? = nil) {
        self.kick = kick
        self.snare = snare
        self.clap = clap
        self.rim = rim
        self.hat = hat
        self.openHat = openHat
        self.ride = ride
        self.shaker = shaker
        self.tambourine = tambourine
        self.conga = conga
        self.weight = weight
    }

    /// The lanes by key path with their General MIDI drum notes, in a fixed order.
    static var laneNotes: [(WritableKeyPath<Groove, String?>, Int)] { [
        (\.kick, GMDrum.kick), (\.snare, GMDrum.snare), (\.clap, GMDrum.clap), (\.rim, GMDrum.rim),
        (\.hat, GMDrum.closedHat), (\.openHat, GMDrum.openHat), (\.ride, GMDrum.ride), (\.crash, GMDrum.crash),
        (\.shaker, GMDrum.shaker), (\.tambourine, GMDrum.tambourine), (\.conga, GMDrum.conga), (\.bongo, GMDrum.bongo),
        (\.cowbell, GMDrum.cowbell), (\.clave, GMDrum.clave), (\.timbale, GMDrum.timbale), (\.toms, GMDrum.lowTom),
    ] }

    /// Each instrument's pattern with its General MIDI drum note.
    public var lanes: [(note: Int, pattern: String)] {
        Self.laneNotes.compactMap { path, note in self[keyPath: path].map { (note, $0) } }
    }

    /// The pattern's length in sixteenths: the longest lane.
    public var steps: Int { lanes.map(\.pattern.count).max() ?? 0 }

    /// Whether the groove can play in `metre`: a tagged groove only in its own metre; an untagged
    /// one where every lane lasts whole bars and, for bars of three beats or two dotted ones (3/4,
    /// 6/8, 12/8), where its backbeat says the same (hits on the fourth eighth are compound).
    public func fits(_ metre: TimeSignature) -> Bool {
        if let tag = self.metre { return tag == metre }
        let bar = metre.stepsPerBar
        guard !lanes.isEmpty, lanes.allSatisfy({ !$0.pattern.isEmpty && $0.pattern.count % bar == 0 }) else { return false }
        if bar % 12 == 0, let compound = isCompoundFeel { return compound == metre.isCompound }
        return true
    }

    /// For a groove on a grid of twelve: `true` when its backbeat lanes hit the second dotted
    /// quarter (step 6 of 12) more than the quarter beats (steps 4 and 8), `false` the other way,
    /// `nil` when they do not say.
    var isCompoundFeel: Bool? {
        guard steps % 12 == 0 else { return nil }
        func votes(_ lanes: [String]) -> (compound: Int, simple: Int) {
            var compound = 0, simple = 0
            for lane in lanes {
                for (step, mark) in lane.enumerated() where mark != "." {
                    switch step % 12 {
                    case 6: compound += 1
                    case 4, 8: simple += 1
                    default: break
                    }
                }
            }
            return (compound, simple)
        }
        let backbeat = [kick, snare, clap, rim, tambourine].compactMap { $0 }
        var count = votes(backbeat)
        if count.compound == count.simple { count = votes(lanes.map(\.pattern)) }
        if count.compound == count.simple { return nil }
        return count.compound > count.simple
    }

    /// The lane's marks for bar `bar` of the piece (a two-bar lane alternates its halves).
    static func bar(_ bar: Int, of pattern: String, stepsPerBar: Int) -> Substring {
        let bars = max(1, pattern.count / stepsPerBar)
        let start = pattern.index(pattern.startIndex, offsetBy: (bar % bars) * stepsPerBar)
        return pattern[start..<pattern.index(start, offsetBy: min(stepsPerBar, pattern.count))]
    }
}

/// General MIDI percussion notes (channel 10).
public enum GMDrum {
    public static let kick = 36
    public static let rim = 37
    public static let snare = 38
    public static let clap = 39
    public static let closedHat = 42
    public static let lowTom = 45
    public static let openHat = 46
    public static let midTom = 47
    public static let crash = 49
    public static let highTom = 50
    public static let ride = 51
    public static let tambourine = 54
    public static let cowbell = 56
    public static let bongo = 60
    public static let conga = 63
    public static let timbale = 65
    public static let shaker = 70
    public static let guiro = 73
    public static let clave = 75
}
