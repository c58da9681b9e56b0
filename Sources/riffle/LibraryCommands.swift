import ArgumentParser
import Foundation
import RiffleApp
import RiffleAudio
import RiffleCore

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
        let library = try libraryOptions.open(reading: true)
        let jobs = try library.jobs()
        if json {
            try printJSON(try jobs.map { JobSummary(job: $0, takes: try library.takes(ofJob: $0.id).map(TakeSummary.init)) })
            return
        }
        if jobs.isEmpty { printLine("The library at \(library.directory.path) is empty: `riffle generate PROMPT` makes a first batch.") }
        let dates = DateFormatter()
        dates.dateFormat = "yyyy-MM-dd HH:mm"
        for job in jobs {
            let kind = job.kind == .generate ? "" : "\(job.kind.rawValue) of \(job.parentTakeID ?? "?"): "
            printLine("\(job.id)  \(dates.string(from: job.createdAt))  \(job.status.rawValue)  \(kind)\(job.prompt.escapingControlCharacters())")
            if let error = job.error { printLine("  \(error.escapingControlCharacters())") }
            for take in try library.takes(ofJob: job.id) { printLine(takeLine(take)) }
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
        let library = try libraryOptions.open(reading: true)
        if let job = try library.job(id) {
            let takes = try library.takes(ofJob: id)
            if json { return try printJSON(JobSummary(job: job, takes: takes.map(TakeSummary.init))) }
            printLine("job \(job.id): \(job.status.rawValue), \(job.kind.rawValue), engine \(job.engine)\(job.model.map { ", \($0)" } ?? "")")
            printLine("prompt: \(job.prompt.escapingControlCharacters())")
            printLine("request: \(job.request.canonicalJSON)")
            if let error = job.error { printLine("error: \(error.escapingControlCharacters())") }
            for take in takes { printLine(takeLine(take)) }
        } else if let take = try library.take(id) {
            if json { return try printJSON(TakeSummary(take)) }
            printLine(takeLine(take))
            if let midi = take.midiPath { printLine("  MIDI: \(midi)") }
            for part in take.scoreParts ?? [] {
                printLine("  \(part.name.padding(toLength: 9, withPad: " ", startingAt: 0)) \(String(format: "%.2f", part.score))  \(part.detail)")
            }
            printLine("  understood: \(take.interpretation.summary)")
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
        let service = try openService(libraryOptions, soundfont: nil)
        try calling { () throws(AppError) in try service.rate(id, stars: stars) }
    }
}

/// `riffle pick ID`: the take to keep from its batch.
struct PickCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "pick", abstract: "Mark a take as the pick of its batch.")

    @Argument(help: "A take id (j…-N).")
    var id: String

    @OptionGroup var libraryOptions: LibraryOptions

    func run() throws {
        let service = try openService(libraryOptions, soundfont: nil)
        try calling { () throws(AppError) in try service.pick(id) }
    }
}

/// `riffle delete ID`: a take, or a job with all its takes, and their files.
struct DeleteCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "delete", abstract: "Delete a take, or a job and all its takes, with their files.")

    @Argument(help: "A job id (j…) or a take id (j…-N).")
    var id: String

    @OptionGroup var libraryOptions: LibraryOptions

    func run() throws {
        let service = try openService(libraryOptions, soundfont: nil)
        try calling { () throws(AppError) in try service.delete(id) }
    }
}

/// `riffle export ID --format F --out PATH`: a take in any format.
struct ExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export", abstract: "Write a take to a file in any format, with its MIDI and stems beside it.",
        discussion: "Audio already in the format asked for is copied as it is, any other is encoded again. The MIDI file goes beside it as NAME.mid, stems as NAME-PART.EXT. The studio's Export does the same.")

    @Argument(help: "A take id (j…-N).")
    var id: String

    @Option(help: "Format: \(AudioFormat.list) (default: from --out's extension).")
    var format: String?

    @Option(help: "The file to write.")
    var out: String

    @OptionGroup var libraryOptions: LibraryOptions

    func run() throws {
        var reader = OptionReader()
        let chosen = format.flatMap { AudioFormat(name: $0) }
        if let format, chosen == nil { reader.add("format", format, "is not supported", allowed: "one of: \(AudioFormat.list)") }
        if out.isEmpty { reader.add("out", "", "is empty", allowed: "the path of the file to write") }
        try reader.check()
        let service = try openService(libraryOptions, soundfont: nil, reading: true)
        _ = try calling { () throws(AppError) in try service.export(id, to: out, format: chosen) }
    }
}
