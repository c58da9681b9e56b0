import ArgumentParser
import Foundation
import RiffleApp

/// `riffle resume ID` (also `retry`): make the takes a failed, cancelled or interrupted job is missing.
struct ResumeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "resume", abstract: "Finish a job that failed, was cancelled or was interrupted.",
        discussion: "Makes the takes the job is missing, with the seeds they would have had; the takes it has stay as they are.",
        aliases: ["retry"])

    @Argument(help: "A job id (j…).")
    var id: String

    @Option(help: "A SoundFont (.sf2 or .sf3) to render with (or set RIFFLE_SOUNDFONT).")
    var soundfont: String?

    @Flag(help: "Print the job as JSON.")
    var json = false

    @OptionGroup var libraryOptions: LibraryOptions

    func run() throws {
        let service = try openService(libraryOptions, soundfont: soundfont)
        let takes = (try? service.library.job(id))??.request.numVariations ?? 1
        let (submission, outcome) = try runJob(service, takes: takes, quiet: json) { () throws(AppError) in try service.resume(id) }
        try report(submission.jobID, outcome, cached: false, service: service, out: nil, json: json)
    }
}
