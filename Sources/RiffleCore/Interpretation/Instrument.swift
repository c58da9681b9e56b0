/// An instrument a prompt can ask for, as a General MIDI program with the part it plays.
public struct Instrument: Sendable, Hashable, Codable, CustomStringConvertible {
    /// The part of the arrangement an instrument plays; each part renders to its own stem.
    public enum Role: String, Sendable, Hashable, Codable, CaseIterable {
        case drums, bass, harmony, melody, texture
    }

    /// The canonical name shown back to the user ("rhodes", "pedal steel").
    public var name: String
    /// General MIDI program number, 0-127; for the drums, the GM bank-128 kit (0 standard, 40 brushes).
    public var program: Int
    public var role: Role

    public var description: String { name }

    /// The parts this instrument can carry on its own, for "solo piano" and "just guitar": a piano
    /// plays bass, chords and tune; a cello a bass line and a tune; a trumpet only a tune.
    public var playableRoles: Set<Role> {
        if role == .drums { return [.drums] }
        switch program {
        case 0...7, 16...20, 24...31: return [.bass, .harmony, .melody]              // keyboards, organs, guitars
        case 46: return [.bass, .harmony, .melody, .texture]                         // harp
        case 8...15, 21, 104...107: return [.harmony, .melody]                       // mallets, accordion, sitar, banjo, koto
        case 32...39, 43, 58: return [.bass]                                         // basses, contrabass, tuba
        case 41: return [.harmony, .melody]                                          // viola: inner voices
        case 42, 57: return [.bass, .melody]                                         // cello, trombone
        case 48...51: return [.bass, .harmony, .melody, .texture]                    // string sections
        case 52...54: return [.harmony, .melody, .texture]                           // choir and voices
        case 60, 61: return [.harmony, .melody, .texture]                            // horn, brass section
        case 88...103: return [.harmony, .texture]                                   // pads and effects
        default: return [.melody, role]
        }
    }
}

/// The instrument words Riffle understands, each mapped to a General MIDI program.
///
/// GM has no pedal steel, reese or 808: each maps to the nearest program, and the Composer's
/// articulation (bends, detune, long decay) does the rest. Plurals are not listed: the prompt reader
/// finds "guitars" and "saxes" through their singular (``Plural``, ``irregular``).
public enum InstrumentVocabulary {
    /// Phrases (lower case, as they appear in prompts) and the instrument each names.
    public static let phrases: [String: Instrument] = {
        var table: [String: Instrument] = [:]
        func add(_ name: String, _ program: Int, _ role: Instrument.Role, _ spellings: [String] = []) {
            let instrument = Instrument(name: name, program: program, role: role)
            for phrase in [name] + spellings { table[phrase] = instrument }
        }
        add("piano", 0, .harmony, ["grand piano", "keys", "keyboard", "acoustic piano", "pianist"])
        add("rhodes", 4, .harmony, ["electric piano", "e-piano", "wurlitzer", "epiano", "wurli"])
        add("harpsichord", 6, .harmony)
        add("organ", 16, .harmony, ["hammond", "b3", "hammond organ", "organist"])
        add("church organ", 19, .harmony, ["pipe organ"])
        add("accordion", 21, .melody)
        add("harmonica", 22, .melody, ["blues harp"])
        add("nylon guitar", 24, .harmony, ["classical guitar", "spanish guitar", "ukulele", "uke", "flamenco guitar"])
        add("acoustic guitar", 25, .harmony, ["steel guitar", "folk guitar", "mandolin"])
        add("pedal steel", 26, .melody, ["pedal steel guitar", "lap steel", "slide guitar"])
        add("electric guitar", 27, .harmony, ["clean guitar", "guitar", "rhythm guitar", "guitarist"])
        add("lead guitar", 29, .melody, ["guitar lead", "shred guitar"])
        add("distorted guitar", 30, .harmony, ["distortion guitar", "overdriven guitar", "power chords", "heavy guitar"])
        add("upright bass", 32, .bass, ["double bass", "acoustic bass", "walking bass"])
        add("bass guitar", 33, .bass, ["electric bass", "bass", "fingered bass", "bassist"])
        add("slap bass", 36, .bass)
        add("synth bass", 38, .bass, ["bassline", "bass line", "synth-bass"])
        add("808", 38, .bass, ["808s", "808 bass"])
        add("sub bass", 38, .bass, ["sub", "sub-bass"])
        add("reese bass", 39, .bass, ["reese"])
        add("violin", 40, .melody, ["fiddle", "violinist"])
        add("viola", 41, .melody)
        add("cello", 42, .melody, ["celli", "cellist", "violoncello"])
        add("contrabass", 43, .bass)
        add("harp", 46, .texture, ["harpist"])
        add("strings", 48, .texture, ["string section", "string ensemble", "string"])
        add("pizzicato", 45, .texture, ["pizzicato strings", "pluck", "plucks"])
        add("choir", 52, .texture, ["vocals", "voices", "ooh", "aah", "vocal pad", "choral"])
        add("trumpet", 56, .melody, ["trumpeter", "cornet", "flugelhorn"])
        add("muted trumpet", 59, .melody, ["harmon mute"])
        add("trombone", 57, .melody, ["bones"])
        add("tuba", 58, .bass, ["sousaphone"])
        add("french horn", 60, .texture, ["horn", "horns"])
        add("brass", 61, .texture, ["brass section", "horn section"])
        add("sax", 65, .melody, ["saxophone", "alto sax", "saxophonist", "alto saxophone", "saxes"])
        add("soprano sax", 64, .melody, ["soprano saxophone"])
        add("tenor sax", 66, .melody, ["tenor saxophone"])
        add("baritone sax", 67, .melody, ["bari sax", "baritone saxophone"])
        add("oboe", 68, .melody)
        add("bassoon", 70, .bass)
        add("clarinet", 71, .melody)
        add("piccolo", 72, .melody)
        add("flute", 73, .melody, ["flautist", "flutist"])
        add("recorder", 74, .melody)
        add("pan flute", 75, .melody, ["pan pipes", "panpipes"])
        add("ocarina", 79, .melody)
        add("chiptune lead", 80, .melody, ["square lead", "square wave"])
        add("synth lead", 81, .melody, ["lead synth", "saw lead", "lead"])
        add("synth", 90, .texture, ["synthesizer", "polysynth", "poly synth", "synth chords"])
        add("pad", 89, .texture, ["synth pad", "warm pad"])
        add("arp", 81, .melody, ["arpeggio", "arpeggiator", "arpeggios"])
        add("celesta", 8, .melody, ["celeste"])
        add("glockenspiel", 9, .melody, ["glock"])
        add("music box", 10, .melody)
        add("vibraphone", 11, .melody, ["vibraphonist"])
        add("marimba", 12, .melody)
        add("xylophone", 13, .melody)
        add("bells", 14, .melody, ["tubular bells", "chimes", "bell"])
        add("kalimba", 108, .melody, ["mbira", "thumb piano"])
        add("banjo", 105, .harmony)
        add("sitar", 104, .melody)
        add("koto", 107, .melody)
        add("bagpipes", 109, .melody, ["bagpipe"])
        add("steel drums", 114, .melody, ["steel pan", "steelpan", "steel drum"])
        return table
    }()

    /// Spellings the plural rule cannot reach.
    static let irregular: [String: String] = ["saxophones": "sax", "pianos": "piano", "celli": "cello", "pianists": "piano"]

    /// The longest phrase, in words, so matching knows how far to look ahead.
    public static let longestPhrase = phrases.keys.map { $0.split(separator: " ").count }.max() ?? 1
}

/// English plurals, undone: the candidates a word may be the plural of, most likely first.
enum Plural {
    /// "guitars" → "guitar"; "saxes" → "saxe", "sax"; "ukuleles" → "ukulele"; "harmonies" → "harmony".
    /// Only the last word of a phrase changes. Callers keep a candidate only if they know it.
    static func singulars(of phrase: String) -> [String] {
        guard phrase.hasSuffix("s"), phrase.count > 3, !phrase.hasSuffix("ss") else { return [] }
        var candidates = [String(phrase.dropLast())]
        if phrase.hasSuffix("es") { candidates.append(String(phrase.dropLast(2))) }
        if phrase.hasSuffix("ies") { candidates.append(String(phrase.dropLast(3)) + "y") }
        return candidates
    }
}
