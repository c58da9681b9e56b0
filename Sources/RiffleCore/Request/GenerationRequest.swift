/// What to generate: a prompt and the parameters the common music-generation APIs take.
///
/// Codable with the APIs' snake_case names (`time_signature`, `num_variations`, `top_k`,
/// `guidance_scale`, ...). Decoding is lenient and collects every problem it meets, then checks
/// every range, so one error lists all that is wrong (see ``RequestValidationError``). A value built
/// in code is checked with ``validate(knownGenres:)``.
public struct GenerationRequest: Sendable, Hashable {
    /// What the music should be. Required, not blank, at most 2000 characters.
    public var prompt: String
    /// Length of each take in seconds, 5 to 300.
    public var duration: Double
    /// A genre preset's name; `nil` leaves the genre to the prompt.
    public var genre: String?
    /// Beats per minute, 30 to 300; `nil` takes it from the prompt or the preset.
    public var tempo: Double?
    /// `nil` lets the engine choose.
    public var key: MusicalKey?
    /// `nil` lets the engine choose.
    public var timeSignature: TimeSignature?
    /// Takes in the batch, 1 to 8.
    public var numVariations: Int
    /// The seed of the first take; take *i* uses `seed + i`. `nil` (or -1 in JSON) picks one at random,
    /// and ``resolvingSeed(using:)`` records the one picked.
    public var seed: Int64?
    /// Sampling temperature, 0.05 to 2.0: lower is more predictable.
    public var temperature: Double
    /// Keep only the k likeliest choices, 0 to 250; 0 turns it off.
    public var topK: Int
    /// Keep the likeliest choices up to this total probability, 0 to 1; 0 turns it off.
    public var topP: Double
    /// Classifier-free guidance, 1 to 15: higher follows the prompt more closely. `nil` takes the
    /// genre preset's (see ``RequestNormaliser``); a normalised request always has one.
    public var guidanceScale: Double?
    /// Output sample rate in Hz: 22050, 32000, 44100 or 48000.
    public var sampleRate: Int
    public var format: AudioFormat
    /// The engine to generate with ("composer", "musicgen"); `nil`: the default one, or musicgen when
    /// `model` is given.
    public var engine: String?
    /// The engine's model: for MusicGen an installed model's name or a snapshot folder; `nil`: its default.
    public var model: String?

    public init(
        prompt: String,
        duration: Double = Defaults.duration,
        genre: String? = nil,
        tempo: Double? = nil,
        key: MusicalKey? = nil,
        timeSignature: TimeSignature? = nil,
        numVariations: Int = Defaults.numVariations,
        seed: Int64? = nil,
        temperature: Double = Defaults.temperature,
        topK: Int = Defaults.topK,
        topP: Double = Defaults.topP,
        guidanceScale: Double? = nil,
        sampleRate: Int = Defaults.sampleRate,
        format: AudioFormat = Defaults.format,
        engine: String? = nil,
        model: String? = nil
    ) {
        self.prompt = prompt
        self.duration = duration
        self.genre = genre
        self.tempo = tempo
        self.key = key
        self.timeSignature = timeSignature
        self.numVariations = numVariations
        self.seed = seed
        self.temperature = temperature
        self.topK = topK
        self.topP = topP
        self.guidanceScale = guidanceScale
        self.sampleRate = sampleRate
        self.format = format
        self.engine = engine
        self.model = model
    }

    /// The engine this request goes to: the one it names, musicgen when it names only a model.
    public var engineName: String? { engine ?? (model != nil ? "musicgen" : nil) }

    /// The values a field takes when the request leaves it out.
    public enum Defaults {
        public static let duration: Double = 30
        public static let numVariations = 4
        public static let temperature: Double = 1.0
        /// MusicGen's default: sample among the 250 likeliest.
        public static let topK = 250
        public static let topP: Double = 0
        /// Guidance where neither the request nor a genre preset says.
        public static let guidanceScale: Double = 3
        public static let sampleRate = 44100
        public static let format = AudioFormat.flac
    }

    /// The accepted range of every bounded field, for validation, help texts and the studio's sliders.
    public enum Limits {
        public static let promptLength = 2000
        public static let duration: ClosedRange<Double> = 5...300
        public static let tempo: ClosedRange<Double> = 30...300
        public static let numVariations: ClosedRange<Int> = 1...8
        public static let seed: ClosedRange<Int64> = 0...Int64.max
        public static let temperature: ClosedRange<Double> = 0.05...2.0
        public static let topK: ClosedRange<Int> = 0...250
        public static let topP: ClosedRange<Double> = 0...1
        public static let guidanceScale: ClosedRange<Double> = 1...15
        public static let sampleRates = [22050, 32000, 44100, 48000]
        /// Engine names are short lowercase words; model names or folders at most a path's length.
        public static let engineNameLength = 40
        public static let modelLength = 4096
    }

    /// The seed of variation `index` (0-based) of a request whose seed is `base`.
    ///
    /// Wraps within 0...Int64.max, so every variation's seed is itself a valid, reproducible seed.
    public static func seed(_ base: Int64, variation index: Int) -> Int64 {
        (base &+ Int64(index)) & Int64.max
    }

    /// This request with a concrete seed: the given one, or a random one when it has none.
    public func resolvingSeed<G: RandomNumberGenerator>(using generator: inout G) -> GenerationRequest {
        var resolved = self
        if resolved.seed == nil {
            resolved.seed = Int64.random(in: Limits.seed, using: &generator)
        }
        return resolved
    }

    /// This request with a concrete seed drawn from the system's generator when it has none.
    public func resolvingSeed() -> GenerationRequest {
        var generator = SystemRandomNumberGenerator()
        return resolvingSeed(using: &generator)
    }
}
