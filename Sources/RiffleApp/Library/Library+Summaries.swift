import Foundation
import GRDB
import RiffleCore

/// What a listing shows of a take: its numbers, without the JSON columns (interpretation, sections,
/// score parts) whose decoding is most of the cost of reading a whole ``TakeRecord``. A server polled
/// hundreds of times a second reads these.
public struct TakeSummary: Sendable, Hashable, Codable, FetchableRecord {
    public var id: String
    public var jobID: String
    public var variation: Int
    public var seed: Int64
    public var duration: Double
    public var sampleRate: Int
    public var format: String
    public var score: Double?
    public var inferenceSeconds: Double

    public init(_ take: TakeRecord) {
        id = take.id
        jobID = take.jobID
        variation = take.variation
        seed = take.seed
        duration = take.duration
        sampleRate = take.sampleRate
        format = take.format
        score = take.score
        inferenceSeconds = take.inferenceSeconds
    }

    enum CodingKeys: String, CodingKey {
        case id, variation, seed, duration, format, score
        case jobID = "job_id"
        case sampleRate = "sample_rate"
        case inferenceSeconds = "inference_seconds"
    }

    static let columns = "id, job_id, variation, seed, duration, sample_rate, format, score, inference_seconds"
}

extension Library {
    /// The takes of `ids`' jobs as summaries, keyed by job, each list in batch order: one query.
    public func takeSummaries(ofJobs ids: [String]) throws(Failure) -> [String: [TakeSummary]] {
        guard !ids.isEmpty else { return [:] }
        return try read { db in
            let marks = Array(repeating: "?", count: ids.count).joined(separator: ",")
            let takes = try TakeSummary.fetchAll(db, sql: "SELECT \(TakeSummary.columns) FROM take WHERE job_id IN (\(marks)) ORDER BY variation",
                                                 arguments: StatementArguments(ids))
            return Dictionary(grouping: takes, by: \.jobID)
        }
    }

    /// How the engine read job `id`'s request: its first take's interpretation (every take of a batch
    /// has the same), or `nil` before it has a take.
    public func interpretation(ofJob id: String) throws(Failure) -> Interpretation? {
        try read { db in
            guard let text = try String.fetchOne(db, sql: "SELECT interpretation FROM take WHERE job_id = ? ORDER BY variation LIMIT 1",
                                                 arguments: [id]) else { return nil }
            return try JSONDecoder().decode(Interpretation.self, from: Data(text.utf8))
        }
    }
}
