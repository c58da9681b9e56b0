/// Style words: an era, a production trick or a purpose ("80s", "gated reverb", "vinyl", "ballad",
/// "workout") that colours whatever genre is playing. Each nudges the mix (``SoundHints``) and may
/// bring moods, a tempo, instruments, a kit or a feel of its own.
///
/// Moods and tempo from a style are defaults: the prompt's own mood and tempo words win ("a happy
/// ballad" is not sad). Instruments come in only for parts the prompt leaves free.
struct StyleModifier: Sendable, Hashable {
    /// The canonical style word shown to the user and stored in `Interpretation.styles`.
    var name: String
    var sound = SoundHints()
    var moods: [String] = []
    /// A place in the genre's tempo range, 0 to 1.
    var tempo: Double?
    /// Where the beat must stay when the tempo comes from this style, whatever the genre's range: a
    /// ballad is slow even in a genre whose slowest is 98 BPM.
    var tempoLimits: ClosedRange<Double>?
    var instruments: [Instrument] = []
    var drumKit: Int?
    var feels: [String] = []
    /// The genre it implies when the prompt names none ("acid jazz").
    var genre: String?
    /// The style meant by its negation ("no reverb" is "dry").
    var opposite: String?

    /// Style phrases, lower case.
    static let phrases: [String: StyleModifier] = {
        var table: [String: StyleModifier] = [:]
        func add(_ style: StyleModifier, _ spellings: [String] = []) { for phrase in [style.name] + spellings { table[phrase] = style } }
        func sound(brightness: Double = 0, reverb: Double = 0, width: Double = 0, vintage: Double = 0, gated: Bool = false) -> SoundHints {
            SoundHints(brightness: brightness, reverb: reverb, width: width, vintage: vintage, gatedReverb: gated)
        }
        // Eras. The 80s: big gated snares, bright wide chorus and reverb.
        add(StyleModifier(name: "80s", sound: sound(brightness: 0.3, reverb: 0.4, width: 0.4, gated: true), moods: ["nostalgic"]),
            ["80's", "eighties", "1980s", "1980's"])
        // The 70s: warm, close, a little tape.
        add(StyleModifier(name: "70s", sound: sound(brightness: -0.3, width: -0.2, vintage: 0.4), moods: ["nostalgic"]),
            ["70's", "seventies", "1970s", "1970's"])
        add(StyleModifier(name: "90s", sound: sound(brightness: 0.1, width: 0.2, vintage: 0.2), moods: ["nostalgic"]),
            ["90's", "nineties", "1990s", "1990's"])
        add(StyleModifier(name: "60s", sound: sound(brightness: -0.4, width: -0.5, vintage: 0.6), moods: ["nostalgic"]),
            ["60's", "sixties", "1960s", "1960's"])
        // Production.
        add(StyleModifier(name: "gated reverb", sound: sound(reverb: 0.3, gated: true)), ["gated drums", "gated snare", "gated reverb drums"])
        add(StyleModifier(name: "vinyl", sound: sound(brightness: -0.2, vintage: 0.6), moods: ["nostalgic"]),
            ["vinyl crackle", "crackle", "crackly", "record crackle", "dusty vinyl"])
        add(StyleModifier(name: "tape", sound: sound(brightness: -0.2, vintage: 0.5), moods: ["nostalgic"]),
            ["tape hiss", "cassette", "tape saturation", "tape warmth", "vhs"])
        add(StyleModifier(name: "vintage", sound: sound(brightness: -0.2, vintage: 0.4), moods: ["nostalgic"]), ["old school", "retro"])
        add(StyleModifier(name: "lush", sound: sound(reverb: 0.4, width: 0.5), moods: ["warm"]))
        add(StyleModifier(name: "wide", sound: sound(width: 0.6)), ["stereo", "widescreen", "wide stereo"])
        add(StyleModifier(name: "narrow", sound: sound(width: -0.6)), ["mono", "monophonic mix"])
        // Reverb only adds to the genre's room; dry is recorded for the mix to honour as it can.
        add(StyleModifier(name: "dry", opposite: "reverb"), ["close mic", "close-miked", "intimate mix"])
        add(StyleModifier(name: "reverb", sound: sound(reverb: 0.6), opposite: "dry"),
            ["reverby", "reverb-drenched", "washed out", "cavernous", "cathedral", "wet", "hall reverb", "lots of reverb"])
        add(StyleModifier(name: "airy", sound: sound(brightness: 0.5, reverb: 0.2)), ["bright", "crisp", "sparkly", "shimmering", "shimmer"])
        add(StyleModifier(name: "muffled", sound: sound(brightness: -0.6)), ["muted", "underwater", "filtered", "lo-pass", "low-pass", "dull"])
        add(StyleModifier(name: "warm", sound: sound(brightness: -0.3)), ["warmth"])
        add(StyleModifier(name: "slowed + reverb", sound: sound(brightness: -0.2, reverb: 0.7), moods: ["dreamy"], tempo: 0.05),
            ["slowed and reverb", "slowed reverb", "slowed + reverbed", "slowed"])
        // Sounds.
        // Acid: a TB-303 line (GM synth bass 1) and a squelchy bass-and-lead voice on top.
        add(StyleModifier(name: "acid", sound: sound(brightness: 0.2), moods: ["hypnotic"],
                          instruments: [Instrument(name: "acid bass", program: 38, role: .bass), Instrument(name: "acid lead", program: 87, role: .melody)]),
            ["tb-303", "303", "acid bassline", "squelchy"])
        add(StyleModifier(name: "acid jazz", moods: ["groovy"], genre: "jazz"))
        add(StyleModifier(name: "chiptune", sound: sound(brightness: 0.4, width: -0.3), moods: ["happy"],
                          instruments: [Instrument(name: "chiptune lead", program: 80, role: .melody)], drumKit: 24),
            ["8-bit", "8bit", "chip tune", "video game", "retro game", "gameboy"])
        // Purposes.
        // A ballad: slow, warm and sad by default, played softer (the sad mood lowers the dynamics).
        add(StyleModifier(name: "ballad", sound: sound(brightness: -0.1, reverb: 0.3), moods: ["warm", "sad"], tempo: 0.1, tempoLimits: 56...80), ["slow jam"])
        add(StyleModifier(name: "power ballad", sound: sound(reverb: 0.5, width: 0.4, gated: true), moods: ["epic", "warm"], tempo: 0.15, tempoLimits: 60...88))
        add(StyleModifier(name: "anthem", sound: sound(brightness: 0.2, reverb: 0.4, width: 0.4), moods: ["uplifting", "epic"]),
            ["anthemic", "stadium", "arena", "festival"])
        add(StyleModifier(name: "workout", sound: sound(brightness: 0.2), moods: ["energetic"], tempo: 0.9, tempoLimits: 120...300, feels: ["four-on-the-floor"]),
            ["gym", "fitness", "cardio", "running", "training montage", "spin class"])
        add(StyleModifier(name: "lullaby", sound: sound(brightness: -0.3, reverb: 0.3), moods: ["calm", "warm"], tempo: 0.05, tempoLimits: 50...76),
            ["bedtime", "sleep", "sleepy"])
        // A night piece: slow, quiet and dreamy, classical unless a genre is named.
        add(StyleModifier(name: "nocturne", sound: sound(brightness: -0.2, reverb: 0.3), moods: ["calm", "dreamy"], tempo: 0.2, tempoLimits: 50...80,
                          genre: "classical"), ["nocturnes"])
        add(StyleModifier(name: "study", sound: sound(brightness: -0.2), moods: ["calm"], tempo: 0.3), ["focus", "studying", "concentration"])
        return table
    }()
}
