import Foundation
import RiffleApp
import RiffleCore

/// A job as `GET /v1/jobs/{id}` answers it.
struct JobView: Encodable, Sendable {
    struct Result: Encodable, Sendable {
        var id: String
        var url: String
        var duration: Double
        var sampleRate: Int
        var format: String
        var seed: Int64
        var score: Double?

        enum CodingKeys: String, CodingKey {
            case id, url, duration, format, seed, score
            case sampleRate = "sample_rate"
        }

        init(_ take: TakeSummary, links: Links) {
            id = take.id
            url = links.audio(take.id)
            duration = take.duration
            sampleRate = take.sampleRate
            format = take.format
            seed = take.seed
            score = take.score
        }
    }

    struct Metadata: Encodable, Sendable {
        var engine: String
        var model: String?
        /// Seconds the engine took for the batch so far (the slowest take's).
        var inferenceTime: Double?
        var prompt: String
        var interpretation: Interpretation?

        enum CodingKeys: String, CodingKey {
            case engine, model, prompt, interpretation
            case inferenceTime = "inference_time"
        }
    }

    var jobID: String
    var kind: String
    var status: String
    var progress: Double
    var stage: String?
    var etaSeconds: Double?
    var createdAt: Date
    var startedAt: Date?
    var finishedAt: Date?
    var error: String?
    var request: GenerationRequest
    var parentTrackID: String?
    var results: [Result]
    var metadata: Metadata
    var webhookURL: String?

    enum CodingKeys: String, CodingKey {
        case kind, status, progress, stage, error, request, results, metadata
        case jobID = "job_id"
        case etaSeconds = "eta_seconds"
        case createdAt = "created_at"
        case startedAt = "started_at"
        case finishedAt = "finished_at"
        case parentTrackID = "parent_track_id"
        case webhookURL = "webhook_url"
    }

    /// The status the API reports: the library's, with "interrupted" (a job a crash or kill cut off,
    /// resumable with retry) kept as it is.
    init(job: JobRecord, takes: [TakeSummary], interpretation: Interpretation?, live: JobBoard.Progress?, webhookURL: String?,
         links: Links) {
        jobID = job.id
        kind = job.kind.rawValue
        status = (live?.status ?? job.status).rawValue
        let finished = job.status.isFinished && live == nil
        let expected = job.kind == .generate ? job.request.numVariations : 1
        if let live {
            progress = live.fraction
            stage = live.stage
            etaSeconds = live.secondsLeft
        } else {
            progress = job.status == .completed ? 1 : (finished ? Double(takes.count) / Double(max(expected, 1)) : 0)
            stage = finished ? nil : "queued"
        }
        createdAt = job.createdAt
        startedAt = job.startedAt
        finishedAt = job.finishedAt
        error = live?.error ?? job.error
        request = job.request
        parentTrackID = job.parentTakeID
        results = takes.sorted { $0.variation < $1.variation }.map { Result($0, links: links) }
        metadata = Metadata(engine: job.engine.description, model: job.model, inferenceTime: takes.map(\.inferenceSeconds).max(),
                            prompt: job.prompt, interpretation: interpretation)
        self.webhookURL = webhookURL
    }
}

/// What `POST /v1/music/generate` and the edits answer: 202 and where to look.
struct SubmittedJob: Encodable, Sendable {
    var jobID: String
    var status: String
    /// Seconds the job is expected to take, from the engine's recent speed; `nil` before any job ran.
    var estimatedTime: Double?
    var createdAt: Date
    var url: String

    enum CodingKeys: String, CodingKey {
        case status, url
        case jobID = "job_id"
        case estimatedTime = "estimated_time"
        case createdAt = "created_at"
    }
}

/// A page of `GET /v1/jobs`.
struct JobPage: Encodable, Sendable {
    var data: [JobView]
    var hasMore: Bool
    /// Pass as `after` for the next page.
    var nextCursor: String?

    enum CodingKeys: String, CodingKey {
        case data
        case hasMore = "has_more"
        case nextCursor = "next_cursor"
    }
}
