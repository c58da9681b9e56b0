import Foundation
import RiffleApp
import RiffleAudio
import RiffleCore

/// A take ("track", as the APIs call it) as `GET /v1/music/{track_id}` answers it.
struct TrackView: Encodable, Sendable {
    struct ScorePart: Encodable, Sendable {
        var name: String
        var score: Double
        var detail: String
    }

    var id: String
    var jobID: String
    var status: String
    var audioURL: String
    var downloadURL: String
    var waveformURL: String
    var midiURL: String?
    var duration: Double
    var sampleRate: Int
    var format: String
    var seed: Int64
    var variation: Int
    var genre: String
    var tempo: Double
    var key: String?
    var timeSignature: String
    var prompt: String
    var engine: String
    var model: String?
    var createdAt: Date
    var score: Double?
    var scoreParts: [ScorePart]
    var loudness: Double
    var truePeak: Double
    var rating: Int?
    var pick: Bool
    var parent: String?
    var stems: [String: String]
    var sections: [Section]

    struct Section: Encodable, Sendable {
        var name: String
        var start: Double
    }

    enum CodingKeys: String, CodingKey {
        case id, status, duration, format, seed, variation, genre, tempo, key, prompt, engine, model, score, loudness
        case rating, pick, parent, stems, sections
        case jobID = "job_id"
        case audioURL = "audio_url"
        case downloadURL = "download_url"
        case waveformURL = "waveform_url"
        case midiURL = "midi_url"
        case sampleRate = "sample_rate"
        case timeSignature = "time_signature"
        case createdAt = "created_at"
        case scoreParts = "score_parts"
        case truePeak = "true_peak"
    }

    init(take: TakeRecord, job: JobRecord?, links: Links) {
        id = take.id
        jobID = take.jobID
        status = "completed"
        audioURL = links.audio(take.id)
        downloadURL = links.download(take.id, format: take.format)
        waveformURL = links.waveform(take.id)
        midiURL = take.midiPath == nil ? nil : links.midi(take.id)
        duration = take.duration
        sampleRate = take.sampleRate
        format = take.format
        seed = take.seed
        variation = take.variation
        genre = take.interpretation.genre.value
        tempo = take.interpretation.bpm.value
        key = take.interpretation.key?.value.description
        timeSignature = take.interpretation.timeSignature.value.description
        prompt = job?.prompt ?? ""
        engine = job?.engine.description ?? ""
        model = job?.model
        createdAt = take.createdAt
        score = take.score
        scoreParts = (take.scoreParts ?? []).map { ScorePart(name: $0.name, score: $0.score, detail: $0.detail) }
        loudness = take.loudness
        truePeak = take.truePeak
        rating = take.rating
        pick = take.picked
        parent = take.parentTakeID
        stems = Dictionary(uniqueKeysWithValues: take.orderedStemPaths.map { ($0.name, links.stem(take.id, $0.name)) })
        sections = take.sections.map { Section(name: $0.name, start: $0.start) }
    }
}
