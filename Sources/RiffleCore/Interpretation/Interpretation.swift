/// What an engine understood from a request: the musical facts it will compose to, each with where it
/// came from, plus the words of the prompt it did not use. Shown to the user as they type.
public struct Interpretation: Sendable, Hashable, Codable {
    /// Where a value came from; explicit parameters beat the prompt, the prompt beats the preset.
    public enum Source: String, Sendable, Hashable, Codable {
        /// An explicit request parameter.
        case request
        /// Words in the prompt.
        case prompt
        /// The genre preset's default.
        case preset
        /// Nothing said: the engine's own default (or, for the key, its choice at generation time).
        case fallback
    }

    /// A value and where it came from.
    public struct Sourced<Value: Sendable & Hashable & Codable>: Sendable, Hashable, Codable {
        public var value: Value
        public var source: Source

        public init(_ value: Value, from source: Source) {
            self.value = value
            self.source = source
        }
    }

    /// The genre preset's canonical name.
    public var genre: Sourced<String>
    public var bpm: Sourced<Double>
    /// `nil` when neither request nor prompt names a key: the engine picks one per take, from the seed.
    public var key: Sourced<MusicalKey>?
    public var timeSignature: Sourced<TimeSignature>
    /// Canonical mood names, in the order the prompt gives them ("dark", "dreamy").
    public var moods: [String]
    /// Instruments the prompt asks for, in its order, without repeats.
    public var instruments: [Instrument]
    /// Sections the prompt asks for ("with a drop and a breakdown").
    public var sections: [SectionKind]
    /// Prompt words that meant nothing to the interpreter, in order: the user may want to rephrase them.
    public var unusedWords: [String]
    /// Things the user should know: an out-of-range tempo ignored, a second genre set aside.
    public var notes: [String]
    /// Parts refused, ensemble, drum kit and voices, feels: see ``ArrangementRequest``.
    public var arrangement = ArrangementRequest()
    /// Style words understood ("80s", "gated reverb", "ballad"), canonical, in the prompt's order.
    public var styles: [String] = []
    /// What the style words ask of the mix.
    public var sound = SoundHints()

    /// One line for the status bar: "house · 124 BPM · F# minor · 4/4 · rhodes, pad · dark", then,
    /// when the prompt says so, the ensemble, the parts left out, and the style words and feels:
    /// "classical · 100 BPM · key auto · 4/4 · string quartet · no drums · sad · ballad".
    public var summary: String {
        var parts = [genre.value, "\(formatted(bpm.value)) BPM", key.map { $0.value.description } ?? "key auto", timeSignature.value.description]
        if let ensemble = arrangement.ensemble { parts.append(ensemble) }
        // "solo piano" already says piano.
        let named = instruments.map(\.name).filter { name in arrangement.ensemble.map { !$0.hasSuffix(" " + name) } ?? true }
        if !named.isEmpty { parts.append(named.joined(separator: ", ")) }
        if !arrangement.excluded.isEmpty { parts.append("no " + arrangement.excluded.map(Self.partName).joined(separator: ", ")) }
        if !moods.isEmpty { parts.append(moods.joined(separator: ", ")) }
        let colour = styles + arrangement.feels
        if !colour.isEmpty { parts.append(colour.joined(separator: ", ")) }
        return parts.joined(separator: " · ")
    }

    /// A part as a listener names it: the harmony part is the chords, the texture the pads.
    static func partName(_ role: Instrument.Role) -> String {
        switch role {
        case .drums: "drums"
        case .bass: "bass"
        case .harmony: "chords"
        case .melody: "melody"
        case .texture: "pads"
        }
    }
}
