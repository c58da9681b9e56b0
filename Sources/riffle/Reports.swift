import Foundation
import RiffleApp
import RiffleAudio
import RiffleCore
import RiffleEngine

/// A take as the generate, edit and resume reports give it (JSON: the common music APIs' result).
struct TakeReport: Codable, Sendable {
    var id: String
    var path: String
    var duration: Double
    var sampleRate: Int
    var format: String
    var seed: Int64
    var key: String
    var midiPath: String?
    var stems: [String: String]?
    var loudness: Take.MeasuredLoudness
    var score: Double?
    var sections: [Take.Section]

    enum CodingKeys: String, CodingKey {
        case id, path, duration, format, seed, key, stems, loudness, score, sections
        case sampleRate = "sample_rate"
        case midiPath = "midi_path"
    }

    init(_ record: TakeRecord) {
        id = record.id
        path = record.audioPath
        duration = record.duration
        sampleRate = record.sampleRate
        format = record.format
        seed = record.seed
        key = record.interpretation.key?.value.description ?? ""
        midiPath = record.midiPath
        stems = record.stems
        loudness = .init(integrated: record.loudness, truePeak: record.truePeak)
        score = record.score
        sections = record.sections
    }

    /// The same take where an export put its files.
    func exported(_ files: GenerationService.ExportedTake) -> TakeReport {
        var copy = self
        copy.path = files.audio
        copy.midiPath = files.midi
        copy.stems = files.stems
        return copy
    }

    /// One line: id, score, seed, key, loudness, path.
    var line: String {
        let loudness = String(format: "%.1f LUFS, %.1f dBTP", self.loudness.integrated, self.loudness.truePeak)
        let score = self.score.map { String(format: "score %.2f  ", $0) } ?? ""
        return "\(id)  \(score)seed \(seed)  \(key)  \(loudness)  \(path)"
    }
}

/// The `--json` answer of generate, resume and the edits: shaped like the common music APIs'
/// completion response.
struct GenerateReport: Encodable {
    var jobID: String
    var status: String
    var cached: Bool
    var results: [TakeReport]
    var errors: [String]
    var metadata: Metadata

    enum CodingKeys: String, CodingKey {
        case status, cached, results, errors, metadata
        case jobID = "job_id"
    }

    struct Metadata: Encodable {
        var engine: String
        var inferenceTime: Double
        var prompt: String
        var interpretation: Summary?

        enum CodingKeys: String, CodingKey {
            case engine, prompt, interpretation
            case inferenceTime = "inference_time"
        }
    }

    struct Summary: Encodable {
        var genre: String
        var bpm: Double
        var key: String?
        var timeSignature: String
        var instruments: [String]
        var moods: [String]

        enum CodingKeys: String, CodingKey {
            case genre, bpm, key, instruments, moods
            case timeSignature = "time_signature"
        }
    }

    init(job: JobRecord, results: [TakeReport], interpretation: Interpretation?, cached: Bool) {
        jobID = job.id
        status = job.status.rawValue
        self.cached = cached
        self.results = results
        errors = job.error.map { [$0] } ?? []
        let seconds = cached ? 0 : job.finishedAt.flatMap { end in job.startedAt.map { end.timeIntervalSince($0) } } ?? 0
        metadata = Metadata(engine: job.engine.description, inferenceTime: (seconds * 1000).rounded() / 1000, prompt: job.request.prompt,
                            interpretation: interpretation.map { reading in
                                Summary(genre: reading.genre.value, bpm: reading.bpm.value, key: reading.key?.value.description,
                                        timeSignature: reading.timeSignature.value.description,
                                        instruments: reading.instruments.map(\.name), moods: reading.moods)
                            })
    }
}

/// What `show` and `list` print about a job, as JSON.
struct JobSummary: Encodable {
    var job: JobRecord
    var takes: [TakeSummary]
}

/// A take without its engine state (opaque bytes nobody reading JSON wants).
struct TakeSummary: Encodable {
    var id: String
    var seed: Int64
    var duration: Double
    var sampleRate: Int
    var format: String
    var path: String
    var midiPath: String?
    var stems: [String: String]?
    var loudness: Double
    var truePeak: Double
    var score: Double?
    var scoreParts: [QualityScore.Part]?
    var sections: [Take.Section]
    var rating: Int?
    var picked: Bool
    var parentTakeID: String?

    init(_ take: TakeRecord) {
        id = take.id
        seed = take.seed
        duration = take.duration
        sampleRate = take.sampleRate
        format = take.format
        path = take.audioPath
        midiPath = take.midiPath
        stems = take.stems
        loudness = take.loudness
        truePeak = take.truePeak
        score = take.score
        scoreParts = take.scoreParts
        sections = take.sections
        rating = take.rating
        picked = take.picked
        parentTakeID = take.parentTakeID
    }

    enum CodingKeys: String, CodingKey {
        case id, seed, duration, format, path, stems, loudness, score, sections, rating, picked
        case sampleRate = "sample_rate"
        case midiPath = "midi_path"
        case truePeak = "true_peak"
        case scoreParts = "score_parts"
        case parentTakeID = "parent_take_id"
    }
}

/// A take's line in listings: id, stars, pick mark, seed, loudness, path.
func takeLine(_ take: TakeRecord) -> String {
    let stars = take.rating.map { String(repeating: "★", count: $0) + String(repeating: "☆", count: 5 - $0) } ?? "     "
    let loudness = String(format: "%.1f LUFS %.1f dBTP", take.loudness, take.truePeak)
    let score = take.score.map { String(format: "score %.2f  ", $0) } ?? ""
    let parent = take.parentTakeID.map { "  from \($0)" } ?? ""
    return "  \(take.id)  \(stars) \(take.picked ? "✓" : " ")  \(score)seed \(take.seed)  \(formatDuration(take.duration))  \(loudness)  \(take.audioPath)\(parent)"
}
