import Foundation
import GRDB
import RiffleAudio
import RiffleCore
import RiffleEngine

/// A job as the library keeps it: one request (a batch of takes, or an edit of a take) and how it went.
///
/// Structured values are typed columns: the request, the engine and the outputs are JSON documents
/// that GRDB encodes and decodes, so a row that does not decode is an error, never a silent `nil`.
public struct JobRecord: Codable, Sendable, Hashable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "job"

    /// What the job makes.
    public enum Kind: String, Codable, Sendable, Hashable, CaseIterable {
        case generate, repaint, extend, restyle, stems
    }

    public var id: String
    public var kind: Kind
    public var status: JobStatus
    public var prompt: String
    /// The normalised request, with the seed resolved.
    public var request: GenerationRequest
    /// For an edit: the take it starts from.
    public var parentTakeID: String?
    /// The engine that makes (or made) its takes.
    public var engine: EngineIdentity
    /// The engine's SoundFont or model (``MusicEngine/model``).
    public var model: String?
    /// The files asked for beside each take.
    public var outputs: TakeOutputs
    /// What the cache compares (see ``CacheKey``); `nil` for jobs that are never answered from it.
    public var cacheKey: String?
    public var error: String?
    public var createdAt: Date
    public var startedAt: Date?
    public var finishedAt: Date?
    /// The process working on the job while it is pending or processing.
    public var ownerPID: Int32?

    public init(id: String, kind: Kind, status: JobStatus = .pending, prompt: String, request: GenerationRequest,
                parentTakeID: String? = nil, engine: EngineIdentity, model: String? = nil, outputs: TakeOutputs = TakeOutputs(),
                cacheKey: String? = nil, error: String? = nil, createdAt: Date = Date(), startedAt: Date? = nil,
                finishedAt: Date? = nil, ownerPID: Int32? = getpid()) {
        self.id = id
        self.kind = kind
        self.status = status
        self.prompt = prompt
        self.request = request
        self.parentTakeID = parentTakeID
        self.engine = engine
        self.model = model
        self.outputs = outputs
        self.cacheKey = cacheKey
        self.error = error
        self.createdAt = createdAt
        self.startedAt = startedAt
        self.finishedAt = finishedAt
        self.ownerPID = ownerPID
    }

    enum CodingKeys: String, CodingKey {
        case id, kind, status, prompt, request, engine, model, outputs, error
        case cacheKey = "cache_key"
        case ownerPID = "owner_pid"
        case parentTakeID = "parent_take_id"
        case createdAt = "created_at"
        case startedAt = "started_at"
        case finishedAt = "finished_at"
    }
}

/// The files a job writes beside each take's audio.
public struct TakeOutputs: Codable, Sendable, Hashable {
    /// Each part (drums, bass, ...) as its own file.
    public var stems: Bool
    /// A Standard MIDI File, when the engine composes notes.
    public var midi: Bool

    public init(stems: Bool = false, midi: Bool = true) {
        self.stems = stems
        self.midi = midi
    }
}

/// A finished take as the library keeps it: its files, what made it, and what the user thinks of it.
public struct TakeRecord: Codable, Sendable, Hashable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "take"

    public var id: String
    public var jobID: String
    /// Its place in the batch, from 0.
    public var variation: Int
    public var seed: Int64
    public var duration: Double
    public var sampleRate: Int
    public var format: String
    public var audioPath: String
    public var midiPath: String?
    /// Stem name to file; `nil` when the take has no stems on disk.
    public var stems: [String: String]?
    /// What the engine understood.
    public var interpretation: Interpretation
    /// The engine's own state for edits (opaque).
    public var engineState: Data?
    /// Integrated loudness, LUFS, and true peak, dBTP.
    public var loudness: Double
    public var truePeak: Double
    /// Quality score 0-1 and its parts, once scored.
    public var score: Double?
    public var scoreParts: [QualityScore.Part]?
    /// Where each part of the form starts; empty when the engine does not know.
    public var sections: [Take.Section]
    /// The user's stars, 1-5.
    public var rating: Int?
    public var picked: Bool
    /// For a take made by editing another: that take.
    public var parentTakeID: String?
    /// Seconds the engine took.
    public var inferenceSeconds: Double
    public var createdAt: Date

    public init(id: String, jobID: String, variation: Int, seed: Int64, duration: Double, sampleRate: Int, format: String,
                audioPath: String, midiPath: String?, stems: [String: String]?, interpretation: Interpretation, engineState: Data?,
                loudness: Double, truePeak: Double, score: Double? = nil, scoreParts: [QualityScore.Part]? = nil,
                sections: [Take.Section] = [], rating: Int? = nil, picked: Bool = false, parentTakeID: String? = nil,
                inferenceSeconds: Double, createdAt: Date = Date()) {
        self.id = id
        self.jobID = jobID
        self.variation = variation
        self.seed = seed
        self.duration = duration
        self.sampleRate = sampleRate
        self.format = format
        self.audioPath = audioPath
        self.midiPath = midiPath
        self.stems = stems
        self.interpretation = interpretation
        self.engineState = engineState
        self.loudness = loudness
        self.truePeak = truePeak
        self.score = score
        self.scoreParts = scoreParts
        self.sections = sections
        self.rating = rating
        self.picked = picked
        self.parentTakeID = parentTakeID
        self.inferenceSeconds = inferenceSeconds
        self.createdAt = createdAt
    }

    enum CodingKeys: String, CodingKey {
        case id, variation, seed, duration, format, stems, interpretation, loudness, score, sections, rating, picked
        case jobID = "job_id"
        case sampleRate = "sample_rate"
        case audioPath = "audio_path"
        case midiPath = "midi_path"
        case engineState = "engine_state"
        case truePeak = "true_peak"
        case scoreParts = "score_parts"
        case parentTakeID = "parent_take_id"
        case inferenceSeconds = "inference_seconds"
        case createdAt = "created_at"
    }

    /// Its stems' files in part order (drums, bass, harmony, melody, texture): the order of the
    /// studio's lanes and of the player's mute mask. Parts an engine names otherwise follow, sorted.
    public var orderedStemPaths: [(name: String, path: String)] {
        guard let stems else { return [] }
        let known = Instrument.Role.allCases.map(\.rawValue)
        let names = known.filter { stems[$0] != nil } + stems.keys.filter { !known.contains($0) }.sorted()
        return names.map { ($0, stems[$0]!) }
    }

    /// Its folder of stems: beside the audio, named after it ("take-1-stems").
    public var stemsFolder: URL {
        URL(fileURLWithPath: URL(fileURLWithPath: audioPath).deletingPathExtension().path + "-stems")
    }
}

/// One lane of a take's waveform as the library keeps it: the mix (lane 0) or a stem.
public struct WaveformRecord: Codable, Sendable, Hashable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "waveform"

    public var takeID: String
    /// 0 for the mix, then the stems in the take's part order.
    public var lane: Int
    /// "mix", or the stem's name.
    public var name: String
    /// ``WaveformPeaks`` in their stored form.
    public var peaks: Data

    public init(takeID: String, lane: Int, name: String, peaks: Data) {
        self.takeID = takeID
        self.lane = lane
        self.name = name
        self.peaks = peaks
    }

    enum CodingKeys: String, CodingKey {
        case lane, name, peaks
        case takeID = "take_id"
    }
}
