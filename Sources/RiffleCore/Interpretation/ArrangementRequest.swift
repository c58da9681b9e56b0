/// What a prompt says about the arrangement beyond naming instruments: parts it refuses ("no drums",
/// "solo piano"), an ensemble it names ("string quartet"), the drum kit and voices it asks for, and
/// rhythmic feels ("one drop", "half-time").
///
/// Empty when the prompt says none of this; the genre preset decides everything then.
public struct ArrangementRequest: Sendable, Hashable, Codable {
    /// Parts that must not play ("no drums", "without bass", "a cappella").
    public var excluded: [Instrument.Role]
    /// A GM program the prompt fixes for a part, beating the preset's list and the instruments named
    /// in passing ("string quartet" fixes all four; "solo piano" puts the piano on bass, harmony and
    /// melody).
    public var programs: [Instrument.Role: Int]
    /// The ensemble named, as shown to the user ("string quartet"); `nil` when none was.
    public var ensemble: String?
    /// The GM drum kit asked for (bank 128 program: 0 standard, 8 room, 16 power, 24 electronic,
    /// 25 TR-808, 32 jazz, 40 brush, 48 orchestral); `nil` leaves the preset's.
    public var drumKit: Int?
    /// Drum voices the prompt names ("claps", "ride", "congas"): the drums feature them.
    public var drumVoices: [DrumVoice]
    /// Rhythmic feels named ("one-drop", "half-time", "double-time", "four-on-the-floor", "shuffle").
    public var feels: [String]

    public init(excluded: [Instrument.Role] = [], programs: [Instrument.Role: Int] = [:], ensemble: String? = nil,
                drumKit: Int? = nil, drumVoices: [DrumVoice] = [], feels: [String] = []) {
        self.excluded = excluded
        self.programs = programs
        self.ensemble = ensemble
        self.drumKit = drumKit
        self.drumVoices = drumVoices
        self.feels = feels
    }

    /// Whether the prompt said nothing about the arrangement.
    public var isEmpty: Bool { self == ArrangementRequest() }

    /// Whether `role` may play.
    public func allows(_ role: Instrument.Role) -> Bool { !excluded.contains(role) }
}

/// A drum or percussion voice a prompt can name.
public enum DrumVoice: String, Sendable, Hashable, Codable, CaseIterable {
    case kick, snare, hiHat = "hi-hat", openHat = "open-hat", ride, crash, clap, rim, shaker, tambourine, conga, bongo,
         cowbell, toms, taiko, clave, timbale
}

/// How a take should sound once it is played: hints from style words ("80s", "gated reverb",
/// "vinyl", "lo-fi") that the mix honours. Each is a nudge from 0 (the genre's own sound).
public struct SoundHints: Sendable, Hashable, Codable {
    /// -1 (dark, rolled off) to 1 (bright, airy).
    public var brightness: Double
    /// 0 (the genre's room) to 1 (a big hall on everything).
    public var reverb: Double
    /// -1 (narrow, near mono) to 1 (wide).
    public var width: Double
    /// 0 (clean) to 1 (worn tape and vinyl: lows and highs rolled off, saturation).
    public var vintage: Double
    /// Gated reverb on the snare, the 1980s drum sound.
    public var gatedReverb: Bool

    public init(brightness: Double = 0, reverb: Double = 0, width: Double = 0, vintage: Double = 0, gatedReverb: Bool = false) {
        self.brightness = brightness
        self.reverb = reverb
        self.width = width
        self.vintage = vintage
        self.gatedReverb = gatedReverb
    }

    /// Whether no hint was given.
    public var isNeutral: Bool { self == SoundHints() }
}
