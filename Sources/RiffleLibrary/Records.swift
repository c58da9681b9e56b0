import Foundation
import GRDB

/// A job as the library keeps it: one request (a batch of takes, or an edit of a take) and how it went.
public struct JobRecord: Codable, Sendable, Hashable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "job"

    /// Where a job is: pending → processing → completed | failed | cancelled. A job found
    /// processing when the library opens was cut off by a crash and becomes interrupted.
    public enum Status: String, Codable, Sendable, Hashable, CaseIterable {
        case pending, processing, completed, failed, cancelled, interrupted

        /// Whether the job will not change any more by itself.
        public var isFinished: Bool { self != .pending && self != .processing }
    }

    /// What the job makes.
    public enum Kind: String, Codable, Sendable, Hashable {
        case generate, repaint, extend, restyle, stems
    }

    public var id: String
    public var kind: Kind
    public var status: Status
    public var prompt: String
    /// The request as JSON, with the seed resolved.
    public var request: String
    /// For an edit: the take it starts from.
    public var parentTakeID: String?
    /// The engine's name and version.
    public var engine: String
    public var error: String?
    public var createdAt: Date
    public var startedAt: Date?
    public var finishedAt: Date?
    /// The process working on the job while it is pending or processing.
    public var ownerPID: Int32?

    public init(id: String, kind: Kind, status: Status = .pending, prompt: String, request: String, parentTakeID: String? = nil,
                engine: String, error: String? = nil, createdAt: Date = Date(), startedAt: Date? = nil, finishedAt: Date? = nil,
                ownerPID: Int32? = getpid()) {
        self.id = id
        self.kind = kind
        self.status = status
        self.prompt = prompt
        self.request = request
        self.parentTakeID = parentTakeID
        self.engine = engine
        self.error = error
        self.createdAt = createdAt
        self.startedAt = startedAt
        self.finishedAt = finishedAt
        self.ownerPID = ownerPID
    }

    enum CodingKeys: String, CodingKey {
        case id, kind, status, prompt, request, engine, error
        case ownerPID = "owner_pid"
        case parentTakeID = "parent_take_id"
        case createdAt = "created_at"
        case startedAt = "started_at"
        case finishedAt = "finished_at"
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
    /// Stem name to file, as JSON; `nil` when the take has no stems on disk.
    public var stems: String?
    /// What the engine understood, as JSON.
    public var interpretation: String
    /// The engine's own state for edits (opaque).
    public var engineState: Data?
    /// Integrated loudness, LUFS, and true peak, dBTP.
    public var loudness: Double
    public var truePeak: Double
    /// Quality score 0-1 and its parts as JSON, once scored.
    public var score: Double?
    public var scoreParts: String?
    /// The user's stars, 1-5.
    public var rating: Int?
    public var picked: Bool
    /// For a take made by editing another: that take.
    public var parentTakeID: String?
    /// Seconds the engine took.
    public var inferenceSeconds: Double
    public var createdAt: Date

    public init(id: String, jobID: String, variation: Int, seed: Int64, duration: Double, sampleRate: Int, format: String,
                audioPath: String, midiPath: String?, stems: String?, interpretation: String, engineState: Data?,
                loudness: Double, truePeak: Double, score: Double? = nil, scoreParts: String? = nil, rating: Int? = nil,
                picked: Bool = false, parentTakeID: String? = nil, inferenceSeconds: Double, createdAt: Date = Date()) {
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
        self.rating = rating
        self.picked = picked
        self.parentTakeID = parentTakeID
        self.inferenceSeconds = inferenceSeconds
        self.createdAt = createdAt
    }

    enum CodingKeys: String, CodingKey {
        case id, variation, seed, duration, format, stems, interpretation, loudness, score, rating, picked
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
}
