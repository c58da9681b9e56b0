import ArgumentParser
import Foundation
import RiffleAudio
import RiffleComposer
import RiffleCore
import RiffleLibrary

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
        let library = try libraryOptions.open()
        guard let job = try library.job(id) else { throw unknown(id) }
        guard job.kind == .generate else {
            printError("riffle: job \(id) is a \(job.kind.rawValue); run the edit again instead")
            throw ExitStatus.badInput
        }
        guard [.failed, .cancelled, .interrupted].contains(job.status) else {
            printError("riffle: job \(id) is \(job.status.rawValue): only a failed, cancelled or interrupted job can be resumed")
            throw ExitStatus.badInput
        }
        let request = try JSONDecoder().decode(GenerationRequest.self, from: Data(job.request.utf8))
        let have = Set(try library.takes(ofJob: id).map(\.variation))
        let missing = (0..<request.numVariations).filter { !have.contains($0) }
        let engine = try startEngine(soundfont: soundfont)
        let cancellation = Cancellation()
        let interrupt = onInterrupt { cancellation.cancel() }
        defer { interrupt.cancel() }
        let reporter = ProgressReporter(takes: max(1, missing.count), quiet: json)
        let outcome = try JobRunner(engine: engine, library: library)
            .run(jobID: id, request: request, variations: missing, cancellation: cancellation) { index, progress in
                reporter.report(take: index, progress: progress)
            }
        reporter.finish()
        let all = try library.takes(ofJob: id).map(TakeFiles.written)
        if json {
            try printJSON(GenerateReport(jobID: id, status: outcome.status, request: request, interpretation: engine.interpret(request),
                                         results: all, errors: outcome.failures, engine: engine.identity, seconds: outcome.seconds,
                                         cached: false))
        } else {
            print("job \(id): \(outcome.status.rawValue), \(outcome.results.count) take\(outcome.results.count == 1 ? "" : "s") made, \(all.count) in all")
        }
        if outcome.status == .cancelled { throw ExitCode(130) }
        if outcome.status == .failed { throw ExitCode.failure }
    }
}
