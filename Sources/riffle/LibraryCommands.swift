import ArgumentParser
import Foundation
import RiffleAudio
import RiffleCore
import RiffleLibrary

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
    var loudness: Double
    var truePeak: Double
    var score: Double?
    var scoreParts: [QualityScore.Part]?
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
        loudness = take.loudness
        truePeak = take.truePeak
        score = take.score
        scoreParts = take.scoreParts.flatMap { try? JSONDecoder().decode([QualityScore.Part].self, from: Data($0.utf8)) }
        rating = take.rating
        picked = take.picked
        parentTakeID = take.parentTakeID
    }

    enum CodingKeys: String, CodingKey {
        case id, seed, duration, format, path, loudness, score, rating, picked
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

/// Reports an id that names nothing, and exits with status 3.
func unknown(_ id: String) -> ExitCode {
    printError("riffle: no job or take with id \(id) (see `riffle list`)")
    return ExitStatus.unknownID
}

/// `riffle list`: the jobs in the library, newest first, with their takes.
struct ListCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "List the jobs and takes in the library, newest first.")

    @OptionGroup var libraryOptions: LibraryOptions

    @Flag(help: "Print JSON instead of text.")
    var json = false

    func run() throws {
        let library = try libraryOptions.open()
        let jobs = try library.jobs()
        if json {
            try printJSON(try jobs.map { JobSummary(job: $0, takes: try library.takes(ofJob: $0.id).map(TakeSummary.init)) })
            return
        }
        if jobs.isEmpty { print("The library at \(library.directory.path) is empty: `riffle generate PROMPT` makes a first batch.") }
        let dates = DateFormatter()
        dates.dateFormat = "yyyy-MM-dd HH:mm"
        for job in jobs {
            let kind = job.kind == .generate ? "" : "\(job.kind.rawValue) of \(job.parentTakeID ?? "?"): "
            print("\(job.id)  \(dates.string(from: job.createdAt))  \(job.status.rawValue)  \(kind)\(job.prompt)")
            if let error = job.error { print("  \(error)") }
            for take in try library.takes(ofJob: job.id) { print(takeLine(take)) }
        }
    }
}

/// `riffle show ID`: one job with its takes, or one take.
struct ShowCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "show", abstract: "Show a job and its takes, or one take.")

    @Argument(help: "A job id (j…) or a take id (j…-N).")
    var id: String

    @OptionGroup var libraryOptions: LibraryOptions

    @Flag(help: "Print JSON instead of text.")
    var json = false

    func run() throws {
        let library = try libraryOptions.open()
        if let job = try library.job(id) {
            let takes = try library.takes(ofJob: id)
            if json { return try printJSON(JobSummary(job: job, takes: takes.map(TakeSummary.init))) }
            print("job \(job.id): \(job.status.rawValue), \(job.kind.rawValue), engine \(job.engine)")
            print("prompt: \(job.prompt)")
            print("request: \(job.request)")
            if let error = job.error { print("error: \(error)") }
            for take in takes { print(takeLine(take)) }
        } else if let take = try library.take(id) {
            if json { return try printJSON(TakeSummary(take)) }
            print(takeLine(take))
            if let midi = take.midiPath { print("  MIDI: \(midi)") }
            for part in TakeSummary(take).scoreParts ?? [] {
                print("  \(part.name.padding(toLength: 9, withPad: " ", startingAt: 0)) \(String(format: "%.2f", part.score))  \(part.detail)")
            }
            print("  understood: \(take.interpretation)")
        } else {
            throw unknown(id)
        }
    }
}

/// `riffle rate ID N`: one to five stars.
struct RateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "rate", abstract: "Give a take 1 to 5 stars.")

    @Argument(help: "A take id (j…-N).")
    var id: String

    @Argument(help: "Stars, 1 to 5.")
    var stars: Int

    @OptionGroup var libraryOptions: LibraryOptions

    func run() throws {
        guard (1...5).contains(stars) else {
            printError("riffle: rating: \(stars) is out of range (allowed: 1 to 5)")
            throw ExitStatus.badInput
        }
        let library = try libraryOptions.open()
        guard try library.take(id) != nil else { throw unknown(id) }
        try library.rate(take: id, stars: stars)
    }
}

/// `riffle pick ID`: the take to keep from its batch.
struct PickCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "pick", abstract: "Mark a take as the pick of its batch.")

    @Argument(help: "A take id (j…-N).")
    var id: String

    @OptionGroup var libraryOptions: LibraryOptions

    func run() throws {
        let library = try libraryOptions.open()
        guard try library.take(id) != nil else { throw unknown(id) }
        try library.pick(take: id)
    }
}

/// `riffle delete ID`: a take, or a job with all its takes, and their files.
struct DeleteCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "delete", abstract: "Delete a take, or a job and all its takes, with their files.")

    @Argument(help: "A job id (j…) or a take id (j…-N).")
    var id: String

    @OptionGroup var libraryOptions: LibraryOptions

    func run() throws {
        let library = try libraryOptions.open()
        if try library.job(id) != nil {
            try library.delete(job: id)
        } else if try library.take(id) != nil {
            try library.delete(take: id)
        } else {
            throw unknown(id)
        }
    }
}

/// `riffle export ID --format F --out PATH`: a take in any format.
struct ExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "export", abstract: "Write a take to a file in any format.")

    @Argument(help: "A take id (j…-N).")
    var id: String

    @Option(help: "Format: \(AudioFormat.list) (default: from --out's extension).")
    var format: String?

    @Option(help: "The file to write.")
    var out: String

    @OptionGroup var libraryOptions: LibraryOptions

    func run() throws {
        let chosen = format.flatMap(AudioFormat.init(name:)) ?? AudioFormat(pathExtensionOf: out)
        guard let chosen else {
            printError("riffle: format: \"\(format ?? URL(fileURLWithPath: out).pathExtension)\" is not supported (allowed: one of: \(AudioFormat.list))")
            throw ExitStatus.badInput
        }
        let library = try libraryOptions.open()
        guard let take = try library.take(id) else { throw unknown(id) }
        do {
            let audio = try AudioFileReader.read(take.audioPath)
            try AudioFileWriter.write(audio, to: out, options: AudioWriteOptions(format: chosen))
        } catch {
            printError("riffle: \(error)")
            throw ExitStatus.fileError
        }
    }
}
