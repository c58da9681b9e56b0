import RiffleCore

/// One bar of drums as step patterns, one character per sixteenth note.
///
/// "X" is an accent, "x" a normal hit, "o" a ghost note, "." a rest. A 4/4 bar has 16 steps, 3/4 and
/// 6/8 have 12, 7/8 has 14, 5/4 has 20, 12/8 has 24; a groove is used only in a metre it fits.
public struct Groove: Sendable, Hashable, Decodable {
    public var kick: String?
    public var snare: String?
    public var clap: String?
    public var rim: String?
    public var hat: String?
    public var openHat: String?
    public var ride: String?
    public var shaker: String?
    public var tambourine: String?
    public var conga: String?
    /// How often this groove is chosen relative to the others.
    public var weight: Double?

    enum CodingKeys: String, CodingKey {
        case kick, snare, clap, rim, hat, ride, shaker, tambourine, conga, weight
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
        shaker = try lane(.shaker)
        tambourine = try lane(.tambourine)
        conga = try lane(.conga)
        weight = container.contains(.weight) ? try container.decodeNumber(forKey: .weight) : nil
        if lanes.isEmpty {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "a groove needs at least one drum pattern"))
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

    /// Each instrument's pattern with its General MIDI drum note.
    public var lanes: [(note: Int, pattern: String)] {
        [(GMDrum.kick, kick), (GMDrum.snare, snare), (GMDrum.clap, clap), (GMDrum.rim, rim),
         (GMDrum.closedHat, hat), (GMDrum.openHat, openHat), (GMDrum.ride, ride), (GMDrum.shaker, shaker),
         (GMDrum.tambourine, tambourine), (GMDrum.conga, conga)]
            .compactMap { note, pattern in pattern.map { (note, $0) } }
    }

    /// The bar length in sixteenths: the longest lane.
    public var steps: Int { lanes.map(\.pattern.count).max() ?? 0 }
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
    public static let conga = 63
    public static let shaker = 70
}
