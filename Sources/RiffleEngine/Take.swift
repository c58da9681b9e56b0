import Foundation
import RiffleCore

/// One generated piece of music: the mastered audio and what is known about it.
public struct Take: Sendable {
    /// The mastered mix.
    public var audio: AudioBuffer
    /// The parts, in a fixed order, each as loud as it is in the mix: their sum is ``audio``.
    /// Empty when the engine makes no stems.
    public var stems: [Stem]
    /// A Standard MIDI File of the take, when the engine composes notes.
    public var midi: Data?
    /// The seed that reproduces this take from its request.
    public var seed: Int64
    /// The request as the engine used it (for an edited take: the parent's, with the edit applied).
    public var request: GenerationRequest
    /// What the engine understood from the request.
    public var interpretation: Interpretation
    public var engine: EngineIdentity
    /// The form, for section markers on the waveform; empty when the engine does not know it.
    public var sections: [Section]
    /// Measured on the final audio.
    public var loudness: MeasuredLoudness
    /// What the engine needs to edit this take later. Opaque to everyone else: store it, give it back.
    public var engineState: Data?

    public init(audio: AudioBuffer, stems: [Stem], midi: Data?, seed: Int64, request: GenerationRequest,
                interpretation: Interpretation, engine: EngineIdentity, sections: [Section],
                loudness: MeasuredLoudness, engineState: Data?) {
        self.audio = audio
        self.stems = stems
        self.midi = midi
        self.seed = seed
        self.request = request
        self.interpretation = interpretation
        self.engine = engine
        self.sections = sections
        self.loudness = loudness
        self.engineState = engineState
    }

    /// One part of the arrangement as audio.
    public struct Stem: Sendable {
        /// "drums", "bass", "harmony", "melody", "texture".
        public var name: String
        public var audio: AudioBuffer

        public init(name: String, audio: AudioBuffer) {
            self.name = name
            self.audio = audio
        }
    }

    /// A part of the form and where it starts.
    public struct Section: Sendable, Hashable, Codable {
        /// "intro", "verse", "chorus"...
        public var name: String
        /// Seconds from the start.
        public var start: Double

        public init(name: String, start: Double) {
            self.name = name
            self.start = start
        }
    }

    /// Loudness figures of the final audio.
    public struct MeasuredLoudness: Sendable, Hashable, Codable {
        /// Integrated loudness, LUFS.
        public var integrated: Double
        /// True peak, dBTP.
        public var truePeak: Double

        public init(integrated: Double, truePeak: Double) {
            self.integrated = integrated
            self.truePeak = truePeak
        }
    }
}
