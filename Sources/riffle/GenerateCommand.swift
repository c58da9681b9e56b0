import ArgumentParser
import Foundation
import RiffleAudio
import RiffleComposer
import RiffleCore
import Synchronization

/// `riffle generate PROMPT`: a batch of takes from a prompt, written to a directory.
struct GenerateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "generate",
        abstract: "Generate a batch of takes from a prompt.",
        discussion: """
        Each take is written as OUT/riffle-SEED.FORMAT with its MIDI file beside it (and its stems in \
        OUT/riffle-SEED-stems/ with --stems). Take i of a batch uses seed + i, so any take can be made \
        again exactly with --seed and --variations 1.
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

    @Option(help: "Directory for the takes (created if missing).")
    var out: String = "."

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
        let directory = URL(fileURLWithPath: out)
        do {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        } catch {
            printError("riffle: cannot create \(out): \(error.localizedDescription)")
            throw ExitStatus.fileError
        }

        let started = Date()
        let reporter = ProgressReporter(takes: request.numVariations, quiet: json)
        let batch = BatchRunner(engine: engine, request: request)
        let outcomes = batch.run(progress: reporter.report) { take in
            try TakeFiles.write(take, to: directory, stems: stems, midi: midi)
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
        let elapsed = Date().timeIntervalSince(started)
        if json {
            try printJSON(GenerateReport(request: request, interpretation: engine.interpret(request), results: results,
                                         errors: failures, engine: engine.identity, seconds: elapsed))
        } else {
            print(engine.interpret(request).summary)
            for result in results {
                let loudness = String(format: "%.1f LUFS, %.1f dBTP", result.loudness.integrated, result.loudness.truePeak)
                print("\(result.path)  seed \(result.seed)  \(result.key)  \(loudness)")
            }
            print(String(format: "%d take%@ in %.2f s", results.count, results.count == 1 ? "" : "s", elapsed))
        }
        for failure in failures { printError("riffle: a take failed: \(failure)") }
        if !failures.isEmpty { throw ExitCode.failure }
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
    var status: String
    var results: [TakeFiles.Written]
    var errors: [String]
    var metadata: Metadata

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

    init(request: GenerationRequest, interpretation: Interpretation, results: [TakeFiles.Written], errors: [String],
         engine: EngineIdentity, seconds: Double) {
        status = errors.isEmpty ? "completed" : (results.isEmpty ? "failed" : "partial")
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
