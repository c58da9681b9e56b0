import ArgumentParser
import Foundation
import RiffleApp
import RiffleAudio
import RiffleCore

/// `riffle generate PROMPT`: a batch of takes from a prompt, written to a directory.
struct GenerateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "generate",
        abstract: "Generate a batch of takes from a prompt.",
        discussion: """
        The batch is one job in the library, its takes stored there with their MIDI files (and stems \
        with --stems); --out also exports them into a directory. Take i of a batch uses seed + i, so any \
        take can be made again exactly. With an explicit --seed, a request already made with the same \
        engine, SoundFont and outputs returns its takes without generating again, unless --force. \
        Ctrl-C cancels the job.
        """
    )

    @Argument(help: "What the music should be, e.g. \"melancholic lo-fi hip hop with rhodes, 80 bpm\".")
    var prompt: String

    @OptionGroup var generation: GenerationOptions

    @Option(help: "Also export the takes' files into this directory (created if missing).")
    var out: String?

    @Flag(help: "Generate even if the same request with the same seed was made before.")
    var force = false

    @OptionGroup var libraryOptions: LibraryOptions

    @Flag(help: "Print the results as JSON.")
    var json = false

    func run() throws {
        let catalog = PresetCatalog.standard()
        var (request, issues) = generation.request(prompt: prompt, genres: catalog.genreNames)
        if out?.isEmpty == true { issues.append(.init(field: "out", value: "\"\"", problem: "is empty", allowed: "a folder to export the takes into")) }
        guard issues.isEmpty else {
            printError("riffle: \(RequestValidationError(issues: issues))")
            throw ExitStatus.badInput
        }
        // A folder that cannot be written is found now, not after the takes are made.
        if let out {
            do { try FileTarget.checkFolder(out) } catch {
                printError("riffle: \(error)")
                throw ExitStatus.fileError
            }
        }
        let service = try openService(libraryOptions, soundfont: generation.soundfont, precision: generation.engines.precision.value, catalog: catalog)
        let (submission, outcome) = try runJob(service, takes: request.numVariations, quiet: json) { () throws(AppError) in
            try service.generate(request, outputs: generation.outputs, force: force)
        }
        try report(submission.jobID, outcome, cached: submission.cached, service: service, out: out, json: json)
    }
}

/// Prints how a job ended (its takes, best first, exported into `out` when given) and exits with
/// 130 when it was cancelled, 2 when it was refused, 4 when takes could not be written (a full disk:
/// the job stays resumable), 1 when the engine failed a take.
func report(_ jobID: String, _ outcome: GenerationService.Outcome, cached: Bool, service: GenerationService, out: String?,
            json: Bool) throws {
    guard case .finished(let job) = outcome else {
        if case .rejected(let reason) = outcome { printError("riffle: \(reason)") }
        throw ExitStatus.badInput
    }
    let takes = try calling { () throws(AppError) in
        do { return try service.library.takes(ofJob: jobID) } catch { throw AppError(.fileError, "\(error)") }
    }
    var results = takes.map(TakeReport.init)
    // A batch reports what the engine reads in its request; an edit, what its take was made as
    // (a restyle's new genre, say).
    let interpretation = job.kind == .generate ? service.interpret(job.request, engine: job.engine.name) : takes.first?.interpretation
    if let out {
        let folder = URL(fileURLWithPath: out)
        results = try results.map { take in
            try calling { () throws(AppError) in
                take.exported(try service.export(take.id, to: folder.appendingPathComponent("\(take.id).\(take.format)").path))
            }
        }
    }
    if json {
        try printJSON(GenerateReport(job: job, results: results, interpretation: interpretation, cached: cached))
    } else {
        if job.kind == .generate, let reading = interpretation {
            for line in understood(reading, engine: job.engine.name, model: job.request.model) { printLine(line) }
        }
        for result in results { printLine(result.line + (job.parentTakeID.map { "  from \($0)" } ?? "")) }
        let seconds = job.finishedAt.flatMap { end in job.startedAt.map { end.timeIntervalSince($0) } } ?? 0
        printLine(cached ? "already made (job \(jobID)); --force makes it again"
            : String(format: "job %@: %@, %d take%@ in %.2f s", jobID, job.status.rawValue, results.count, results.count == 1 ? "" : "s", seconds))
    }
    switch job.status {
    case .cancelled:
        printError("riffle: cancelled; \(results.count) take\(results.count == 1 ? "" : "s") kept in job \(jobID)")
        throw ExitCode(130)
    case .completed where job.error == nil:
        return
    default:
        if let failure = service.storageFailure(of: jobID) {
            printError("riffle: \(job.error ?? failure.description)")
            printError("riffle: job \(jobID) keeps the takes it has; `riffle resume \(jobID)` makes the others")
            throw ExitStatus.fileError
        }
        printError("riffle: \(job.error ?? "job \(jobID) is \(job.status.rawValue)")")
        throw ExitCode.failure
    }
}

/// What an engine understood from a request, as printed before a batch's takes: the summary line
/// and, for the Composer, the prompt words it did not use ("not used: kazoo"), so the user can
/// rephrase them. MusicGen reads the words itself: say which model, and that the musical facts are
/// only the prompt's.
func understood(_ reading: Interpretation, engine: String, model: String?) -> [String] {
    guard engine == "composer" else { return ["\(engine) · \(model ?? "default model") · \(reading.notes.last ?? reading.summary)"] }
    var lines = [reading.summary]
    if !reading.unusedWords.isEmpty { lines.append("not used: " + reading.unusedWords.joined(separator: " ")) }
    return lines
}
