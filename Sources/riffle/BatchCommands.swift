import ArgumentParser
import Foundation
import RiffleApp
import RiffleCore
import Synchronization

/// Runs many generation requests as jobs through the application core's queue (one at a time:
/// each job already uses every core), then ranks every take they made by quality score.
struct JobBatch {
    let service: GenerationService
    let outputs: TakeOutputs
    let json: Bool

    struct Ranked: Encodable {
        var label: String
        var jobID: String
        var take: TakeReport

        enum CodingKeys: String, CodingKey {
            case label, take
            case jobID = "job_id"
        }
    }

    /// Checks every request before any work starts, then runs them all.
    func run(_ requests: [(label: String, request: GenerationRequest)]) throws {
        var problems: [String] = []
        for (label, request) in requests {
            do { _ = try service.normalise(request) } catch { problems.append("\(label): \(error)") }
        }
        guard problems.isEmpty else {
            printError("riffle: " + problems.joined(separator: "\n"))
            throw ExitStatus.badInput
        }
        let token = service.observe { [json] event in
            guard !json, case .update(let update) = event, update.isStatusChange, update.status != .processing else { return }
            let error = update.error.map { ": \($0)" } ?? ""
            printError("job \(update.jobID) \(update.status.rawValue)\(error)")
        }
        defer { service.stopObserving(token) }
        // Ctrl-C cancels every job: the running one stops, the waiting ones never start.
        let cancelled = Mutex(false)
        let interrupt = onInterrupt { [service] in
            cancelled.withLock { $0 = true }
            service.cancelAll(timeout: 0)
        }
        defer { interrupt.cancel() }
        var jobs: [(label: String, id: String)] = []
        for (label, request) in requests where !cancelled.withLock({ $0 }) {
            // What each prompt was read as, on standard error with the job updates: the ranking stays the output.
            if !json, let engine = try? service.engine(named: request.engineName, model: request.model),
               let reading = service.interpret(request, engine: engine.identity.name) {
                printError("\(label)\n" + understood(reading, engine: engine.identity.name, model: request.model).map { "  " + $0 }.joined(separator: "\n"))
            }
            let submission = try calling { () throws(AppError) in try service.generate(request, outputs: outputs) }
            jobs.append((label, submission.jobID))
        }
        for job in jobs { _ = try calling { () throws(AppError) in try service.wait(job.id) } }

        var ranked: [Ranked] = []
        for job in jobs {
            let takes = try calling { () throws(AppError) in
                do { return try service.library.takes(ofJob: job.id) } catch { throw AppError(.fileError, "\(error)") }
            }
            ranked += takes.map { Ranked(label: job.label, jobID: job.id, take: TakeReport($0)) }
        }
        ranked.sort { ($0.take.score ?? 0) > ($1.take.score ?? 0) }
        if json {
            try printJSON(ranked)
        } else {
            for entry in ranked {
                let score = entry.take.score.map { String(format: "%.2f", $0) } ?? "-"
                printLine("\(entry.take.id)  score \(score)  \(entry.label)  \(entry.take.path)")
            }
        }
        if cancelled.withLock({ $0 }) { throw ExitCode(130) }
    }
}

/// `riffle batch FILE`: one job per prompt in a file.
struct BatchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "batch", abstract: "Generate from every prompt in a file (one per line), then rank all the takes.",
        discussion: "Blank lines and lines starting with # are skipped. Every prompt is checked before any work starts; the options apply to every prompt.")

    @Argument(help: "A file of prompts, or - for standard input.")
    var file: String

    @OptionGroup var generation: GenerationOptions

    @OptionGroup var libraryOptions: LibraryOptions

    @Flag(help: "Print the ranked takes as JSON.")
    var json = false

    func run() throws {
        let text: String
        do {
            text = file == "-" ? String(decoding: FileHandle.standardInput.readDataToEndOfFile(), as: UTF8.self)
                : try String(contentsOfFile: file, encoding: .utf8)
        } catch {
            printError("riffle: cannot read \(file): \(error.localizedDescription)")
            throw ExitStatus.fileError
        }
        let catalog = PresetCatalog.standard()
        var requests: [(String, GenerationRequest)] = []
        var problems: [String] = []
        for (number, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let prompt = line.trimmingCharacters(in: .whitespaces)
            if prompt.isEmpty || prompt.hasPrefix("#") { continue }
            let (request, issues) = generation.request(prompt: prompt, genres: catalog.genreNames)
            if issues.isEmpty { requests.append((prompt, request)) } else { problems.append("line \(number + 1): \(RequestValidationError(issues: issues))") }
        }
        guard problems.isEmpty else {
            printError("riffle: " + problems.joined(separator: "\n"))
            throw ExitStatus.badInput
        }
        guard !requests.isEmpty else {
            printError("riffle: \(file) has no prompts")
            throw ExitStatus.badInput
        }
        let service = try openService(libraryOptions, soundfont: generation.soundfont, precision: generation.engines.precision.value, catalog: catalog)
        try JobBatch(service: service, outputs: generation.outputs, json: json).run(requests)
    }
}

/// `riffle grid PROMPT --vary tempo=120,124 --vary mood=dark,bright`: every combination.
struct GridCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "grid", abstract: "Generate every combination of some variations of a prompt, then rank all the takes.",
        discussion: "--vary NAME=V1,V2,... may be given several times. tempo, key, genre and time-signature set those parameters; any other name (mood, instrument, ...) adds its value to the prompt.")

    @Argument(help: "The prompt every combination starts from.")
    var prompt: String

    @Option(help: "A dimension to vary: NAME=VALUE,VALUE,...")
    var vary: [String] = []

    @OptionGroup var generation: GenerationOptions

    @OptionGroup var libraryOptions: LibraryOptions

    @Flag(help: "Print the ranked takes as JSON.")
    var json = false

    func run() throws {
        var dimensions: [(name: String, values: [String])] = []
        for entry in vary {
            let parts = entry.split(separator: "=", maxSplits: 1).map(String.init)
            let values = parts.count == 2 ? parts[1].split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty } : []
            guard parts.count == 2, !parts[0].isEmpty, !values.isEmpty else {
                printError("riffle: vary: \"\(entry)\" is not NAME=VALUE,VALUE,... (for example tempo=120,124,128)")
                throw ExitStatus.badInput
            }
            dimensions.append((parts[0].lowercased(), values))
        }
        var combinations: [[(String, String)]] = [[]]
        for dimension in dimensions {
            combinations = combinations.flatMap { combination in dimension.values.map { combination + [(dimension.name, $0)] } }
        }
        guard combinations.count <= 64 else {
            printError("riffle: vary: \(combinations.count) combinations; at most 64 at once")
            throw ExitStatus.badInput
        }
        let catalog = PresetCatalog.standard()
        var requests: [(String, GenerationRequest)] = []
        var problems: [String] = []
        for combination in combinations {
            var options = generation
            var words: [String] = []
            for (name, value) in combination {
                switch name {
                case "tempo", "bpm": options.music.tempo = value
                case "key": options.music.key = value
                case "genre": options.music.genre = value
                case "time-signature", "time_signature", "metre": options.music.timeSignature = value
                default: words.append(value)
                }
            }
            let label = combination.map { "\($0.0)=\($0.1)" }.joined(separator: " ")
            let (request, issues) = options.request(prompt: ([prompt] + words).joined(separator: ", "), genres: catalog.genreNames)
            if issues.isEmpty { requests.append((label.isEmpty ? prompt : label, request)) } else { problems.append("\(label): \(RequestValidationError(issues: issues))") }
        }
        guard problems.isEmpty else {
            printError("riffle: " + problems.joined(separator: "\n"))
            throw ExitStatus.badInput
        }
        let service = try openService(libraryOptions, soundfont: generation.soundfont, precision: generation.engines.precision.value, catalog: catalog)
        try JobBatch(service: service, outputs: generation.outputs, json: json).run(requests)
    }
}
