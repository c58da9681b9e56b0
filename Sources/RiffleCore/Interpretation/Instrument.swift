/// An instrument a prompt can ask for, as a General MIDI program with the part it plays.
public struct Instrument: Sendable, Hashable, Codable, CustomStringConvertible {
    /// The part of the arrangement an instrument plays; each part renders to its own stem.
    public enum Role: String, Sendable, Hashable, Codable, CaseIterable {
        case drums, bass, harmony, melody, texture
    }

    /// The canonical name shown back to the user ("rhodes", "pedal steel").
    public var name: String
    /// General MIDI program number, 0-127.
    public var program: Int
    public var role: Role

    public var description: String { name }
}

/// The instrument words Riffle understands, each mapped to a General MIDI program.
///
/// GM has no pedal steel, reese or 808: each maps to the nearest program, and the Composer's
/// articulation (bends, detune, long decay) does the rest.
public enum InstrumentVocabulary {
    /// Phrases (lower case, as they appear in prompts) and the instrument each names.
    public static let phrases: [String: Instrument] = {
        var table: [String: Instrument] = [:]
        func add(_ name: String, _ program: Int, _ role: Instrument.Role, _ spellings: [String] = []) {
            let instrument = Instrument(name: name, program: program, role: role)
            for phrase in [name] + spellings { table[phrase] = instrument }
        }
        add("piano", 0, .harmony, ["grand piano", "keys"])
        add("rhodes", 4, .harmony, ["electric piano", "e-piano", "wurlitzer", "epiano"])
        add("harpsichord", 6, .harmony)
        add("organ", 16, .harmony, ["hammond", "b3", "hammond organ"])
        add("church organ", 19, .harmony, ["pipe organ"])
        add("accordion", 21, .melody)
        add("harmonica", 22, .melody)
        add("nylon guitar", 24, .harmony, ["classical guitar", "spanish guitar", "ukulele"])
        add("acoustic guitar", 25, .harmony, ["steel guitar", "folk guitar"])
        add("pedal steel", 26, .melody, ["pedal steel guitar", "lap steel", "slide guitar"])
        add("electric guitar", 27, .harmony, ["clean guitar", "guitar"])
        add("distorted guitar", 30, .harmony, ["distortion guitar", "overdriven guitar", "power chords", "heavy guitar"])
        add("upright bass", 32, .bass, ["double bass", "acoustic bass", "walking bass"])
        add("bass guitar", 33, .bass, ["electric bass", "bass", "fingered bass"])
        add("slap bass", 36, .bass)
        add("synth bass", 38, .bass, ["bassline"])
        add("808", 38, .bass, ["808s", "808 bass"])
        add("sub bass", 38, .bass, ["sub"])
        add("reese bass", 39, .bass, ["reese"])
        add("violin", 40, .melody, ["fiddle"])
        add("viola", 41, .melody)
        add("cello", 42, .melody)
        add("harp", 46, .texture)
        add("timpani", 47, .drums)
        add("strings", 48, .texture, ["string section", "orchestra", "string ensemble"])
        add("pizzicato", 45, .texture, ["pizzicato strings", "pluck", "plucks"])
        add("choir", 52, .texture, ["vocals", "voices", "ooh", "aah", "vocal pad"])
        add("trumpet", 56, .melody)
        add("trombone", 57, .melody)
        add("french horn", 60, .texture, ["horn", "horns"])
        add("brass", 61, .texture, ["brass section"])
        add("sax", 65, .melody, ["saxophone", "alto sax"])
        add("tenor sax", 66, .melody)
        add("oboe", 68, .melody)
        add("clarinet", 71, .melody)
        add("flute", 73, .melody, ["flutes"])
        add("pan flute", 75, .melody, ["pan pipes"])
        add("synth lead", 81, .melody, ["lead synth", "saw lead", "lead"])
        add("pad", 89, .texture, ["pads", "synth pad", "warm pad"])
        add("arp", 81, .melody, ["arpeggio", "arpeggiator", "arps"])
        add("glockenspiel", 9, .melody)
        add("music box", 10, .melody)
        add("vibraphone", 11, .melody, ["vibes"])
        add("marimba", 12, .melody)
        add("bells", 14, .melody, ["tubular bells", "chimes", "bell"])
        add("kalimba", 108, .melody)
        add("banjo", 105, .harmony)
        add("sitar", 104, .melody)
        add("steel drums", 114, .melody, ["steel pan", "steelpan"])
        return table
    }()

    /// The longest phrase, in words, so matching knows how far to look ahead.
    public static let longestPhrase = phrases.keys.map { $0.split(separator: " ").count }.max() ?? 1
}
