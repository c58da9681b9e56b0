import ArgumentParser
import Foundation
import RiffleApp
import RiffleCore
import RiffleEngine

/// Options every edit shares: the engine's SoundFont, the new take's seed, output form.
struct EditOptions: ParsableArguments {
    @Option(parsing: .unconditional, help: "Seed of the new take, 0 to 2^63-1; -1 picks one.")
    var seed = "-1"

    @Option(help: "A SoundFont (.sf2 or .sf3) to render with (or set RIFFLE_SOUNDFONT).")
    var soundfont: String?

    @OptionGroup var precision: PrecisionOption

    @Flag(help: "Print the result as JSON.")
    var json = false

    @OptionGroup var libraryOptions: LibraryOptions

    /// Runs `edit` on take `id` as a job, on the engine that made the take, and reports the new take.
    /// Every bad option, the command's own in `reader` and the seed, is reported before anything
    /// starts; an edit that does not fit the take leaves nothing behind. Both exit with status 2.
    func run(_ edit: TakeEdit, on id: String, reader: OptionReader) throws {
        var reader = reader
        let seed = reader.whole(seed, .seed, as: Int64.self) ?? -1
        if seed < -1 { reader.add("seed", String(seed), "is out of range", allowed: GenerationRequest.CodingKeys.seed.allowed) }
        try reader.check()
        let service = try openService(libraryOptions, soundfont: soundfont, precision: precision.value)
        let (submission, outcome) = try runJob(service, takes: 1, quiet: json) { () throws(AppError) in
            .init(jobID: try service.edit(id, edit, seed: seed == -1 ? nil : seed), cached: false)
        }
        try report(submission.jobID, outcome, cached: false, service: service, out: nil, json: json)
    }
}

/// `riffle repaint ID --from S --to S`.
struct RepaintCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "repaint", abstract: "Recompose a time range of a take; the rest stays as it was.",
        discussion: "The bars over the range are composed again with a new seed (and --prompt's moods and instruments, if given); outside them and a 0.1 s crossfade the audio is the original's. The result is a new take.")

    @Argument(help: "A take id (j…-N).")
    var id: String

    @Option(parsing: .unconditional, help: "Start of the range, in seconds.")
    var from: String

    @Option(parsing: .unconditional, help: "End of the range, in seconds.")
    var to: String

    @Option(help: "A prompt for the new bars.")
    var prompt: String?

    @OptionGroup var options: EditOptions

    func run() throws {
        var reader = OptionReader()
        let start = reader.number(from, option: "from", allowed: "seconds from the start of the take")
        let end = reader.number(to, option: "to", allowed: "seconds from the start of the take, after --from")
        try options.run(.repaint(from: start ?? 0, to: end ?? 0, prompt: prompt), on: id, reader: reader)
    }
}

/// `riffle extend ID --seconds N`.
struct ExtendCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "extend", abstract: "Continue a take for more seconds; it ends musically again.")

    @Argument(help: "A take id (j…-N).")
    var id: String

    @Option(parsing: .unconditional, help: "Seconds to add, more than 0; the take may grow to 300 s.")
    var seconds: String

    @OptionGroup var options: EditOptions

    func run() throws {
        var reader = OptionReader()
        let allowed = "more than 0 seconds, as long as the take stays at most \(Int(GenerationRequest.Limits.duration.upperBound)) s long"
        let added = reader.number(seconds, option: "seconds", allowed: allowed)
        if let added, added <= 0 { reader.add("seconds", seconds, "is out of range", allowed: allowed) }
        try options.run(.extend(seconds: added ?? 0), on: id, reader: reader)
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
        try options.run(.restyle(genre: genre), on: id, reader: OptionReader())
    }
}

/// `riffle stems ID`: a take's five stems as files.
struct StemsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stems", abstract: "Write a take's stems (drums, bass, harmony, melody, texture) beside it.",
        discussion: "Stems the take already has are listed; otherwise the engine that made the take makes them (the Composer again from its request and seed, which gives them bit for bit) and they are recorded with the take.")

    @Argument(help: "A take id (j…-N).")
    var id: String

    @OptionGroup var options: EditOptions

    func run() throws {
        let service = try openService(options.libraryOptions, soundfont: options.soundfont)
        let stems = try calling { () throws(AppError) in try service.stems(of: id) }
        if options.json { return try printJSON(stems) }
        for name in Instrument.Role.allCases.map(\.rawValue) { if let path = stems[name] { printLine("\(name): \(path)") } }
    }
}
