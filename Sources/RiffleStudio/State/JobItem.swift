import RiffleCore

/// A job as the jobs pane shows it: its progress while it runs, its takes once it has them.
public struct JobItem: Equatable, Sendable {
    public var id: String
    /// generate, repaint, extend, restyle.
    public var kind: String
    /// The name of the engine that makes (or made) its takes: what its takes' menu can offer follows it.
    public var engine: String
    public var prompt: String
    public var status: JobStatus
    /// 0 to 1 while it runs.
    public var fraction: Double
    public var stage: String
    public var secondsLeft: Double?
    public var error: String?
    /// Best score first.
    public var takes: [TakeItem]
    /// Whether its takes are listed under it.
    public var expanded: Bool
    /// The take an edit (repaint, extend, restyle) was made from: its lineage.
    public var parentTakeID: String?
    /// How many takes the job asked for; `nil` when not known.
    public var expectedTakes: Int?

    public init(id: String, kind: String = "generate", engine: String = EngineSelection.composer.engine, prompt: String, status: JobStatus,
                fraction: Double = 0, stage: String = "", secondsLeft: Double? = nil, error: String? = nil, takes: [TakeItem] = [],
                expanded: Bool = false, parentTakeID: String? = nil, expectedTakes: Int? = nil) {
        self.parentTakeID = parentTakeID
        self.expectedTakes = expectedTakes
        self.id = id
        self.kind = kind
        self.engine = engine
        self.prompt = prompt
        self.status = status
        self.fraction = fraction
        self.stage = stage
        self.secondsLeft = secondsLeft
        self.error = error
        self.takes = takes
        self.expanded = expanded
    }
}

/// A take in the jobs pane.
public struct TakeItem: Equatable, Sendable {
    public var id: String
    /// Its place in the batch, from 0.
    public var variation: Int
    public var seed: Int64
    /// Quality score, 0 to 1.
    public var score: Double?
    /// 1 to 5 stars.
    public var rating: Int?
    public var picked: Bool
    public var duration: Double
    /// "F# minor · 124 BPM · techno · 4/4": what it was made as, what tells takes of a batch apart first.
    public var summary: String
    /// The audio file's format as stored: "flac", "wav", "ogg", "mp3".
    public var format: String
    /// What the score is made of, as measured: the jobs pane shows the selected take's.
    public var scoreParts: [ScorePart]

    public init(id: String, variation: Int, seed: Int64, score: Double?, rating: Int?, picked: Bool, duration: Double, summary: String = "",
                format: String = "flac", scoreParts: [ScorePart] = []) {
        self.format = format
        self.scoreParts = scoreParts
        self.id = id
        self.variation = variation
        self.seed = seed
        self.score = score
        self.rating = rating
        self.picked = picked
        self.duration = duration
        self.summary = summary
    }
}

/// One measured part of a take's quality score: "tempo" 0.98 "121.5 BPM measured, 122.0 asked".
public struct ScorePart: Equatable, Sendable {
    public var name: String
    /// 0 to 1.
    public var score: Double
    public var detail: String

    public init(name: String, score: Double, detail: String) {
        self.name = name
        self.score = score
        self.detail = detail
    }
}

/// The highlighted row of the jobs pane: a job, or one of its takes.
public enum JobSelection: Equatable, Sendable {
    case job(String)
    case take(jobID: String, takeID: String)

    public var jobID: String {
        switch self {
        case .job(let id), .take(let id, _): id
        }
    }

    public var takeID: String? {
        if case .take(_, let id) = self { return id }
        return nil
    }
}

/// A job's progress, as the job queue reports it.
public struct JobProgress: Equatable, Sendable {
    public var jobID: String
    public var status: JobStatus
    public var fraction: Double
    public var stage: String
    public var secondsLeft: Double?
    public var error: String?

    public init(jobID: String, status: JobStatus, fraction: Double, stage: String, secondsLeft: Double? = nil, error: String? = nil) {
        self.jobID = jobID
        self.status = status
        self.fraction = fraction
        self.stage = stage
        self.secondsLeft = secondsLeft
        self.error = error
    }
}

extension StudioState {
    /// The rows of the jobs pane in order: each job, then its takes when it is unfolded.
    public var jobRows: [JobSelection] {
        jobs.flatMap { job in [JobSelection.job(job.id)] + (job.expanded ? job.takes.map { .take(jobID: job.id, takeID: $0.id) } : []) }
    }

    public func job(_ id: String) -> JobItem? { jobs.first { $0.id == id } }

    /// The take the highlight is on, or the best take of the highlighted job.
    public var selectedTake: TakeItem? {
        guard let selection, let job = job(selection.jobID) else { return nil }
        if let takeID = selection.takeID { return job.takes.first { $0.id == takeID } }
        return job.takes.first
    }
}

extension JobItem {
    /// Whether `r` can finish it, as the application core's resume allows: a batch that stopped
    /// (failed, cancelled, interrupted), or one that completed without some takes (they failed).
    public var isResumable: Bool {
        guard kind == "generate" else { return false }
        if status.isResumable { return true }
        return status == .completed && expectedTakes.map { takes.count < $0 } == true
    }
}
