/// Words for the drum kit and its voices.
///
/// A kit word ("drums", "brushes", "808 drums") asks for the drums: the interpretation lists it as an
/// instrument with role `.drums` whose program is the GM bank-128 kit (0 standard, 8 room, 16 power,
/// 24 electronic, 25 TR-808, 32 jazz, 40 brush, 48 orchestral), and a kit other than the standard
/// one also sets `arrangement.drumKit`. A voice word ("claps", "ride", "congas") goes to
/// `arrangement.drumVoices`; naming a voice also means the prompt wants drums.
enum DrumWords {
    /// A phrase that names the kit: the kit it implies (`nil`: the genre's own) and voices it brings.
    struct Kit: Sendable, Hashable {
        /// Shown to the user as the instrument's name.
        var name: String
        var kit: Int?
        var voices: [DrumVoice] = []
        /// The genre it implies when the prompt names none ("jazz drums").
        var genre: String?

        /// The instrument the interpretation lists for it.
        var instrument: Instrument { Instrument(name: name, program: kit ?? 0, role: .drums) }
    }

    /// Kit phrases, lower case; plurals are found through the singular.
    static let kits: [String: Kit] = {
        var table: [String: Kit] = [:]
        func add(_ kit: Kit, _ spellings: [String]) { for phrase in [kit.name] + spellings { table[phrase] = kit } }
        // The genre's kit, just asked for.
        add(Kit(name: "drums", kit: nil), ["drum", "drum kit", "kit", "percussion", "drummer", "drum set", "drumkit"])
        // Played live: the room kit, an open acoustic sound; a breakbeat is a sampled live kit.
        add(Kit(name: "live drums", kit: 8), ["acoustic drums", "real drums", "room kit", "breakbeat", "breakbeats",
                                              "amen break", "funky drummer"])
        add(Kit(name: "rock drums", kit: 16, genre: "rock"), ["power kit", "big drums", "arena drums"])
        add(Kit(name: "drum machine", kit: 24), ["electronic drums", "electronic kit", "909", "tr-909", "909 drums",
                                                 "linndrum", "drum machines"])
        add(Kit(name: "808 drums", kit: 25), ["808 kit", "tr-808", "808 drum machine", "808 percussion"])
        add(Kit(name: "jazz kit", kit: 32, genre: "jazz"), ["jazz drums"])
        add(Kit(name: "brushes", kit: 40), ["brush kit", "brushed drums", "brush drums", "brushed snare"])
        // The GS orchestra kit plays timpani on the tom keys.
        add(Kit(name: "orchestral percussion", kit: 48), ["orchestral drums", "concert percussion"])
        add(Kit(name: "timpani", kit: 48, voices: [.toms]), ["timpanis", "kettle drums", "kettledrums"])
        add(Kit(name: "hand percussion", kit: nil, voices: [.conga, .bongo, .shaker]), ["hand drums"])
        add(Kit(name: "latin percussion", kit: nil, voices: [.conga, .bongo, .timbale, .cowbell, .clave]), [])
        return table
    }()

    /// Voice phrases, lower case; plurals ("kicks", "hats", "congas") are found through the singular.
    static let voices: [String: DrumVoice] = {
        let groups: [DrumVoice: [String]] = [
            .kick: ["kick", "kick drum", "bass drum"],
            .snare: ["snare", "snare drum"],
            .hiHat: ["hi-hat", "hi hat", "hihat", "hat", "closed hat", "closed hi-hat"],
            .openHat: ["open hat", "open hi-hat", "open hihat"],
            .ride: ["ride", "ride cymbal"],
            .crash: ["crash", "crash cymbal", "cymbal"],
            .clap: ["clap", "handclap", "hand clap"],
            .rim: ["rim", "rimshot", "rim shot", "rim click", "sidestick", "side stick"],
            .shaker: ["shaker", "maracas", "egg shaker"],
            .tambourine: ["tambourine", "tamb"],
            .conga: ["conga", "conga drum"],
            .bongo: ["bongo"],
            .cowbell: ["cowbell"],
            .toms: ["tom", "tom-tom", "tom fill"],
            .taiko: ["taiko", "taiko drum"],
            .clave: ["clave"],
            .timbale: ["timbale"],
        ]
        var table: [String: DrumVoice] = [:]
        for (voice, spellings) in groups { for phrase in spellings { table[phrase] = voice } }
        return table
    }()
}
