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

    @OptionGroup var music: MusicOptions

    @Option(help: "Seconds per take, 5 to 300.")
    var duration: Double = GenerationRequest.Defaults.duration

    @Option(help: "Takes in the batch, 1 to 8.")
    var variations: Int = GenerationRequest.Defaults.numVariations

    @Option(help: "Seed of the first take; -1 picks one.")
    var seed: Int64 = -1

    @Option(help: "Sampling temperature, 0.05 to 2: lower is more predictable.")
    var temperature: Double = GenerationRequest.Defaults.temperature

    @Option(name: .customLong("top-k"), help: "Draw among the k likeliest choices, 0 to 250 (0: all).")
    var topK: Int = GenerationRequest.Defaults.topK

    @Option(name: .customLong("top-p"), help: "Draw among the likeliest choices up to this probability, 0 to 1 (0: all).")
    var topP: Double = GenerationRequest.Defaults.topP

    @Option(help: "Guidance, 1 to 15: higher follows the prompt more closely (default: the genre's).")
    var guidance: Double?

    @Option(name: .customLong("sample-rate"), help: "22050, 32000, 44100 or 48000.")
    var sampleRate: Int = GenerationRequest.Defaults.sampleRate

    @Option(help: "Audio format: \(AudioFormat.list).")
    var format: String = GenerationRequest.Defaults.format.rawValue

    @Option(help: "Also copy the takes' files into this directory (created if missing).")
    var out: String?

    @Flag(help: "Generate even if the same request with the same seed was made before.")
    var force = false

    @OptionGroup var libraryOptions: LibraryOptions

    @Flag(help: "Also write each part (drums, bass, harmony, melody, texture) as its own file.")
    var stems = false

    @Flag(inversion: .prefixedNo, help: "Write a Standard MIDI File beside each take.")
    var midi = true

    @Option(help: "A SoundFont (.sf2 or .sf3) to render with instead of the General MIDI one (or set RIFFLE_SOUNDFONT).")
    var soundfont: String?

    @Flag(help: "Print the results as JSON.")
    var json = false

    func run() throws {
        let catalog = PresetCatalog.standard()
        let (request, issues) = makeRequest(catalog: catalog)
        guard issues.isEmpty else {
            printError("riffle: \(RequestValidationError(issues: issues))")
            throw ExitStatus.badInput
        }
        let fontPath = soundfont ?? ProcessInfo.processInfo.environment["RIFFLE_SOUNDFONT"]
        let engine: ComposerEngine
        do {
            engine = try ComposerEngine(catalog: catalog, soundFont: fontPath.map(URL.init(fileURLWithPath:)))
        } catch {
            printError("riffle: \(error)")
            throw ExitStatus.fileError
        }
        let library = try libraryOptions.open()
        let requestJSON = try Self.canonicalJSON(request)
        let interpretation = engine.interpret(request)

        // The cache: the same request with the same (explicit) seed has these takes already.
        if seed != -1, !force, let cached = try library.completedJob(request: requestJSON) {
            let results = try library.takes(ofJob: cached.id).map(TakeFiles.written)
            try report(jobID: cached.id, status: .completed, request: request, interpretation: interpretation, results: results,
                       errors: [], engine: engine, seconds: 0, cached: true)
            return
        }

        let jobID = newJobID()
        try library.insert(JobRecord(id: jobID, kind: .generate, prompt: request.prompt, request: requestJSON,
                                     engine: "\(engine.identity.name) \(engine.identity.version)"))
        try library.update(job: jobID, to: .processing)
        let cancellation = Cancellation()
        let interrupt = Self.cancelOnInterrupt(cancellation)
        defer { interrupt.cancel() }

        let started = Date()
        let reporter = ProgressReporter(takes: request.numVariations, quiet: json)
        let batch = BatchRunner(engine: engine, request: request)
        let (stems, midi) = (self.stems, self.midi)
        let outcomes = batch.run(cancellation: cancellation, progress: reporter.report) { take in
            let variation = Int(UInt64(bitPattern: take.seed &- (request.seed ?? 0)) & UInt64(Int64.max))
            return try TakeFiles.store(take, variation: variation, jobID: jobID, in: library, stems: stems, midi: midi,
                                       seconds: Date().timeIntervalSince(started))
        }
        reporter.finish()

        var results: [TakeFiles.Written] = []
        var failures: [String] = []
        for outcome in outcomes {
            switch outcome {
            case .success(let written): results.append(written)
            case .failure(let error): failures.append("\(error)")
            }
        }
        // Best first: the batch is ranked by quality score.
        results.sort { ($0.score ?? 0, -$0.seed) > ($1.score ?? 0, -$1.seed) }
        let status: JobRecord.Status = cancellation.isCancelled ? .cancelled : (results.isEmpty ? .failed : .completed)
        try library.update(job: jobID, to: status, error: failures.isEmpty ? nil : failures.joined(separator: "; "))
        if let out {
            results = try results.map { try TakeFiles.copy($0, to: URL(fileURLWithPath: out)) }
        }
        try report(jobID: jobID, status: status, request: request, interpretation: interpretation, results: results,
                   errors: failures, engine: engine, seconds: Date().timeIntervalSince(started), cached: false)
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

    /// Ctrl-C cancels the job instead of killing the process, so finished takes are kept and the
    /// job is recorded as cancelled.
    static func cancelOnInterrupt(_ cancellation: Cancellation) -> any DispatchSourceSignal {
        signal(SIGINT, SIG_IGN)
        let source = DispatchSource.makeSignalSource(signal: SIGINT, queue: .global())
        source.setEventHandler { cancellation.cancel() }
        source.resume()
        return source
    }

    private func makeRequest(catalog: PresetCatalog) -> (GenerationRequest, [ValidationIssue]) {
        var request = GenerationRequest(prompt: prompt, duration: duration, numVariations: variations,
                                        seed: seed == -1 ? nil : seed, temperature: temperature, topK: topK, topP: topP,
                                        sampleRate: sampleRate)
        var issues = music.apply(to: &request)
        if let chosen = AudioFormat(name: format) {
            request.format = chosen
        } else {
            issues.append(.init(field: "format", value: "\"\(format)\"", problem: "is not supported", allowed: "one of: \(AudioFormat.list)"))
        }
        if seed < -1 { issues.append(.init(field: "seed", value: "\(seed)", problem: "is negative", allowed: "0 or more, or -1 for a random seed")) }
        // Guidance defaults to what the genre sounds best at.
        let genre = PromptInterpreter(catalog: catalog).interpret(request).genre.value
        request.guidanceScale = guidance ?? catalog.preset(named: genre)?.guidanceScale ?? GenerationRequest.Defaults.guidanceScale
        issues += request.validationIssues(knownGenres: catalog.genreNames)
        return (request.resolvingSeed(), issues)
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
