import ArgumentParser
import Foundation
import RiffleAudio
import RiffleComposer
import RiffleCore
import RiffleLibrary

/// Options every edit shares: the engine's SoundFont, the new take's seed, output form.
struct EditOptions: ParsableArguments {
    @Option(help: "Seed of the new take; -1 picks one.")
    var seed: Int64 = -1

    @Option(help: "A SoundFont (.sf2 or .sf3) to render with (or set RIFFLE_SOUNDFONT).")
    var soundfont: String?

    @Flag(help: "Print the result as JSON.")
    var json = false

    @OptionGroup var libraryOptions: LibraryOptions
}

/// Loads takes back from the library as the engine's takes, and runs edits on them as jobs.
struct Editing {
    let library: Library
    let engine: ComposerEngine

    init(_ options: EditOptions) throws {
        library = try options.libraryOptions.open()
        engine = try startEngine(soundfont: options.soundfont)
    }

    /// The take `id` with its audio, stems and engine state, or a message and the exit status.
    func load(_ id: String) throws -> (Take, TakeRecord) {
        do {
            return try TakeLoader(library: library, engine: engine).load(id)
        } catch let failure as TakeLoader.Failure {
            if failure.isUnknownID { throw unknown(id) }
            printError("riffle: \(failure)")
            throw ExitStatus.fileError
        }
    }

    /// Runs `edit` on take `id` as a job of `kind`, stores the new take (with its stems, so it can be
    /// edited in turn) and reports it.
    func run(_ edit: TakeEdit, on id: String, kind: JobRecord.Kind, options: EditOptions) throws {
        let (parent, record) = try load(id)
        let seed = options.seed == -1 ? Int64.random(in: GenerationRequest.Limits.seed) : options.seed
        guard options.seed >= -1 else {
            printError("riffle: seed: \(options.seed) is negative (allowed: 0 or more, or -1 for a random seed)")
            throw ExitStatus.badInput
        }
        let jobID = newJobID()
        let request = try GenerateCommand.canonicalJSON(parent.request)
        try library.insert(JobRecord(id: jobID, kind: kind, prompt: parent.request.prompt, request: request, parentTakeID: record.id,
                                     engine: engine.identity.description))
        try library.update(job: jobID, to: .processing)
        let cancellation = Cancellation()
        let interrupt = onInterrupt { cancellation.cancel() }
        defer { interrupt.cancel() }
        let reporter = ProgressReporter(takes: 1, quiet: options.json)
        let started = Date()
        let made: Take, written: TakeFiles.Written
        do {
            defer { reporter.finish() }
            (made, written) = try TakeLoader(library: library, engine: engine)
                .edit(parent, record: record, edit, into: jobID, seed: seed, progress: { reporter.report(take: 0, progress: $0) }, cancellation: cancellation)
        } catch let error as EngineError {
            if case .invalidEdit(let reason) = error {
                // Bad input, not a failed job: nothing to keep.
                try library.delete(job: jobID)
                printError("riffle: \(reason)")
                throw ExitStatus.badInput
            }
            let status: JobRecord.Status = error == .cancelled ? .cancelled : .failed
            try library.update(job: jobID, to: status, error: "\(error)")
            printError("riffle: \(kind.rawValue): \(error)")
            throw error == .cancelled ? ExitCode(130) : ExitCode.failure
        }
        if options.json {
            try printJSON(GenerateReport(jobID: jobID, status: .completed, request: made.request, interpretation: made.interpretation,
                                         results: [written], errors: [], engine: engine.identity,
                                         seconds: Date().timeIntervalSince(started), cached: false))
        } else {
            print("\(written.id)  from \(record.id)  seed \(written.seed)  \(written.key)  \(written.path)")
        }
    }
}

/// `riffle repaint ID --from S --to S`.
struct RepaintCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "repaint", abstract: "Recompose a time range of a take; the rest stays as it was.",
        discussion: "The bars over the range are composed again with a new seed (and --prompt's moods and instruments, if given); outside them and a 0.1 s crossfade the audio is the original's. The result is a new take.")

    @Argument(help: "A take id (j…-N).")
    var id: String

    @Option(help: "Start of the range, in seconds.")
    var from: Double

    @Option(help: "End of the range, in seconds.")
    var to: Double

    @Option(help: "A prompt for the new bars.")
    var prompt: String?

    @OptionGroup var options: EditOptions

    func run() throws {
        try Editing(options).run(.repaint(from: from, to: to, prompt: prompt), on: id, kind: .repaint, options: options)
    }
}

/// `riffle extend ID --seconds N`.
struct ExtendCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "extend", abstract: "Continue a take for more seconds; it ends musically again.")

    @Argument(help: "A take id (j…-N).")
    var id: String

    @Option(help: "Seconds to add; the result must be 5 to 300 s long.")
    var seconds: Double

    @OptionGroup var options: EditOptions

    func run() throws {
        try Editing(options).run(.extend(seconds: seconds), on: id, kind: .extend, options: options)
    }
}

/// `riffle restyle ID --genre G`.
struct RestyleCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "restyle", abstract: "The same music arranged for another genre.")

    @Argument(help: "A take id (j…-N).")
    var id: String

    @Option(help: "A genre preset (see `riffle presets`).")
    var genre: String

    @OptionGroup var options: EditOptions

    func run() throws {
        try Editing(options).run(.restyle(genre: genre), on: id, kind: .restyle, options: options)
    }
}

/// `riffle stems ID`: a take's five stems as files.
struct StemsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stems", abstract: "Write a take's stems (drums, bass, harmony, melody, texture) beside it.",
        discussion: "Stems the take already has are listed; otherwise they are made again from its request and seed, which gives them bit for bit.")

    @Argument(help: "A take id (j…-N).")
    var id: String

    @OptionGroup var options: EditOptions

    func run() throws {
        let editing = try Editing(options)
        let stems: [String: String]
        do {
            stems = try TakeLoader(library: editing.library, engine: editing.engine).stems(of: id)
        } catch let failure as TakeLoader.Failure {
            if failure.isUnknownID { throw unknown(id) }
            printError("riffle: \(failure)")
            throw ExitStatus.fileError
        }
        if options.json { return try printJSON(stems) }
        for name in Instrument.Role.allCases.map(\.rawValue) { if let path = stems[name] { print("\(name): \(path)") } }
    }
}
