/// Where a job is: pending → processing → completed | failed | cancelled.
///
/// The one status type: the library stores it, the job queue reports it and every front end shows
/// it. A job found pending or processing when the library opens, with no live process working on
/// it, was cut off by a crash and becomes `interrupted`.
public enum JobStatus: String, Codable, Sendable, Hashable, CaseIterable {
    case pending, processing, completed, failed, cancelled, interrupted

    /// Whether the job will not change any more by itself.
    public var isFinished: Bool { self != .pending && self != .processing }

    /// Whether `resume` can finish it: it stopped before making every take.
    public var isResumable: Bool { self == .failed || self == .cancelled || self == .interrupted }
}
