import ArgumentParser
import Foundation
import RiffleAudio
import RiffleComposer
import RiffleCore
import RiffleLibrary

/// `riffle generate PROMPT`: a batch of takes from a prompt, written to a directory.
struct GenerateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "generate",
        abstract: "Generate a batch of takes from a prompt.",
        discussion: """
        The batch is one job in the library, its takes stored there with their MIDI files (and stems \
        with --stems); --out also copies them into a directory. Take i of a batch uses seed + i, so any \
        take can be made again exactly. With an explicit --seed, a request already made returns its \
        takes without generating again, unless --force. Ctrl-C cancels the job.
        """
    )

    @Argument(help: "What the music should be, e.g. \"melancholic lo-fi hip hop with rhodes, 80 bpm\".")
    var prompt: String

    @OptionGroup var generation: GenerationOptions

    @Option(help: "Also copy the takes' files into this directory (created if missing).")
    var out: String?

    @Flag(help: "Generate even if the same request with the same seed was made before.")
    var force = false

    @OptionGroup var libraryOptions: LibraryOptions

    @Flag(help: "Print the results as JSON.")
    var json = false

    func run() throws {
        let catalog = PresetCatalog.standard()
        let (request, issues) = generation.request(prompt: prompt, catalog: catalog)
        guard issues.isEmpty else {
            printError("riffle: \(RequestValidationError(issues: issues))")
            throw ExitStatus.badInput
        }
        let engine = try startEngine(soundfont: generation.soundfont, catalog: catalog)
        let library = try libraryOptions.open()
        let requestJSON = try Self.canonicalJSON(request)
        let interpretation = engine.interpret(request)

        // The cache: the same request with the same (explicit) seed has these takes already.
        if generation.seed != -1, !force, let cached = try library.completedJob(request: requestJSON) {
            var results = try library.takes(ofJob: cached.id).map(TakeFiles.written)
            if let out { results = try results.map { try TakeFiles.copy($0, to: URL(fileURLWithPath: out)) } }
            try report(jobID: cached.id, status: .completed, request: request, interpretation: interpretation, results: results,
                       errors: [], engine: engine, seconds: 0, cached: true)
            return
        }

        let jobID = newJobID()
        try library.insert(JobRecord(id: jobID, kind: .generate, prompt: request.prompt, request: requestJSON,
                                     engine: engine.identity.description))
        let cancellation = Cancellation()
        let interrupt = onInterrupt { cancellation.cancel() }
        defer { interrupt.cancel() }
        let reporter = ProgressReporter(takes: request.numVariations, quiet: json)
        let outcome = try JobRunner(engine: engine, library: library, stems: generation.stems, midi: generation.midi)
            .run(jobID: jobID, request: request, variations: Array(0..<request.numVariations), cancellation: cancellation,
                 progress: reporter.report)
        reporter.finish()
        var results = outcome.results
        let (failures, status) = (outcome.failures, outcome.status)
        if let out {
            results = try results.map { try TakeFiles.copy($0, to: URL(fileURLWithPath: out)) }
        }
        try report(jobID: jobID, status: status, request: request, interpretation: interpretation, results: results,
                   errors: failures, engine: engine, seconds: outcome.seconds, cached: false)
        if status == .cancelled {
            printError("riffle: cancelled; \(results.count) take\(results.count == 1 ? "" : "s") kept in job \(jobID)")
            throw ExitCode(130)
        }
        for failure in failures { printError("riffle: a take failed: \(failure)") }
        if !failures.isEmpty { throw ExitCode.failure }
    }

    private func report(jobID: String, status: JobRecord.Status, request: GenerationRequest, interpretation: Interpretation,
                        results: [TakeFiles.Written], errors: [String], engine: ComposerEngine, seconds: Double, cached: Bool) throws {
        if json {
            try printJSON(GenerateReport(jobID: jobID, status: status, request: request, interpretation: interpretation,
                                         results: results, errors: errors, engine: engine.identity, seconds: seconds, cached: cached))
            return
        }
        print(interpretation.summary)
        for result in results {
            let loudness = String(format: "%.1f LUFS, %.1f dBTP", result.loudness.integrated, result.loudness.truePeak)
            let score = result.score.map { String(format: "score %.2f  ", $0) } ?? ""
            print("\(result.id)  \(score)seed \(result.seed)  \(result.key)  \(loudness)  \(result.path)")
        }
        let summary = cached ? "already made (job \(jobID)); --force makes it again"
            : String(format: "job %@: %d take%@ in %.2f s", jobID, results.count, results.count == 1 ? "" : "s", seconds)
        print(summary)
    }

    /// The request as stored and compared by the cache: JSON with sorted keys.
    static func canonicalJSON(_ request: GenerationRequest) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return String(decoding: try encoder.encode(request), as: UTF8.self)
    }
}

/// The `--json` answer: shaped like the common music APIs' completion response.
struct GenerateReport: Encodable {
    var jobID: String
    var status: String
    var cached: Bool
    var results: [TakeFiles.Written]
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
        var interpretation: Summary

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

    init(jobID: String, status: JobRecord.Status, request: GenerationRequest, interpretation: Interpretation,
         results: [TakeFiles.Written], errors: [String], engine: EngineIdentity, seconds: Double, cached: Bool) {
        self.jobID = jobID
        self.status = status.rawValue
        self.cached = cached
        self.results = results
        self.errors = errors
        metadata = Metadata(engine: "\(engine.name) \(engine.version)", inferenceTime: (seconds * 1000).rounded() / 1000,
                            prompt: request.prompt,
                            interpretation: Summary(genre: interpretation.genre.value, bpm: interpretation.bpm.value,
                                                    key: interpretation.key?.value.description,
                                                    timeSignature: interpretation.timeSignature.value.description,
                                                    instruments: interpretation.instruments.map(\.name), moods: interpretation.moods))
    }
}
