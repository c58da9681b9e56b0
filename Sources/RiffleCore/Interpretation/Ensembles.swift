/// Named ensembles and what each fixes of the arrangement: a GM program per part (0-based, as in
/// ``InstrumentVocabulary``), the parts that stay silent and the drum kit.
///
/// An ensemble is the weakest thing a prompt says about the arrangement: an instrument named in the
/// same prompt takes its part ("string quartet with piano" puts the piano on the chords and lets it
/// play), a kit word replaces the kit, and "no drums" still silences them.
struct Ensemble: Sendable, Hashable {
    /// Shown to the user ("string quartet").
    var name: String
    var programs: [Instrument.Role: Int]
    var excluded: [Instrument.Role]
    var drumKit: Int?
    /// The genre it implies when the prompt names none.
    var genre: String?
    /// Another line-up when the genre is one of `classicalGenres` ("piano trio": violin and cello, not bass and drums).
    var classical: (programs: [Instrument.Role: Int], excluded: [Instrument.Role])? = nil

    static func == (a: Ensemble, b: Ensemble) -> Bool { a.name == b.name }
    func hash(into hasher: inout Hasher) { hasher.combine(name) }

    /// Genres in which a "piano trio" is the chamber one.
    static let classicalGenres: Set<String> = ["classical", "cinematic"]

    /// What the ensemble asks of the arrangement in `genre`.
    func arrangement(genre: String) -> ArrangementRequest {
        if let classical, Self.classicalGenres.contains(genre) {
            return ArrangementRequest(excluded: classical.excluded, programs: classical.programs, ensemble: name)
        }
        return ArrangementRequest(excluded: excluded, programs: programs, ensemble: name, drumKit: excluded.contains(.drums) ? nil : drumKit)
    }

    /// Ensemble phrases, lower case.
    static let phrases: [String: Ensemble] = {
        var table: [String: Ensemble] = [:]
        func add(_ ensemble: Ensemble, _ spellings: [String] = []) { for phrase in [ensemble.name] + spellings { table[phrase] = ensemble } }
        // First violin leads, viola fills the chords, second violin holds the long notes, cello the bass.
        add(Ensemble(name: "string quartet", programs: [.melody: 40, .harmony: 41, .texture: 40, .bass: 42],
                     excluded: [.drums], genre: "classical"), ["strings quartet"])
        add(Ensemble(name: "string trio", programs: [.melody: 40, .harmony: 41, .bass: 42], excluded: [.drums, .texture], genre: "classical"))
        // Jazz sense by default: piano carries tune and chords over upright bass and a jazz kit; in a
        // classical genre the chamber trio: violin tune, piano chords, cello bass.
        add(Ensemble(name: "piano trio", programs: [.melody: 0, .harmony: 0, .bass: 32], excluded: [.texture], drumKit: 32, genre: "jazz",
                     classical: (programs: [.melody: 40, .harmony: 0, .bass: 42], excluded: [.drums, .texture])))
        add(Ensemble(name: "jazz trio", programs: [.melody: 0, .harmony: 0, .bass: 32], excluded: [.texture], drumKit: 32, genre: "jazz"))
        // Tenor sax leads a rhythm section.
        add(Ensemble(name: "jazz quartet", programs: [.melody: 66, .harmony: 0, .bass: 32], excluded: [.texture], drumKit: 32, genre: "jazz"),
            ["jazz combo", "jazz quintet"])
        // The sax section leads, the brass section answers in chords, trombones hold the pads.
        add(Ensemble(name: "big band", programs: [.melody: 65, .harmony: 61, .texture: 57, .bass: 32], excluded: [], drumKit: 32, genre: "jazz"),
            ["jazz orchestra", "swing band"])
        // Strings carry the chords, a violin the tune, horns the sustained colour, contrabass the
        // bass; the orchestral kit plays timpani on its tom keys.
        add(Ensemble(name: "orchestra", programs: [.harmony: 48, .melody: 40, .texture: 60, .bass: 43], excluded: [], drumKit: 48,
                     genre: "cinematic"), ["symphony orchestra", "full orchestra", "symphonic orchestra", "philharmonic", "symphony",
                                       // The adjective asks for the same line-up ("orchestral pop"); "orchestral" also names the cinematic preset.
                                       "orchestral", "symphonic"])
        add(Ensemble(name: "string orchestra", programs: [.harmony: 48, .melody: 40, .texture: 49, .bass: 42], excluded: [.drums],
                     genre: "classical"), ["chamber orchestra", "string ensemble orchestra"])
        // Cornet lead over brass chords, horns and tuba; the genre's drums, if it has any.
        add(Ensemble(name: "brass band", programs: [.melody: 56, .harmony: 61, .texture: 60, .bass: 58], excluded: []),
            ["brass ensemble", "marching band"])
        add(Ensemble(name: "brass quintet", programs: [.melody: 56, .harmony: 60, .bass: 58], excluded: [.drums, .texture], genre: "classical"))
        // Flute leads, clarinet and horn fill, bassoon the bass; oboe would double the flute's register.
        add(Ensemble(name: "wind quintet", programs: [.melody: 73, .harmony: 71, .texture: 60, .bass: 70], excluded: [.drums], genre: "classical"),
            ["woodwind quintet", "wind ensemble"])
        // Voices alone: oohs on the tune, the choir on the chords; no instrument plays.
        add(Ensemble(name: "a cappella", programs: [.melody: 53, .harmony: 52], excluded: [.drums, .bass, .texture]),
            ["acapella", "a capella", "acappella", "accapella"])
        // Overdriven lead over distorted rhythm guitar, bass guitar and a power kit; nothing else.
        add(Ensemble(name: "power trio", programs: [.harmony: 30, .melody: 29, .bass: 33], excluded: [.texture], drumKit: 16, genre: "rock"))
        add(Ensemble(name: "rock band", programs: [.harmony: 30, .melody: 29, .bass: 33], excluded: [], drumKit: 0, genre: "rock"),
            ["garage band", "rock group"])
        return table
    }()
}
