import ArgumentParser
import Foundation
import RiffleApp
import RiffleCore

/// The options of a generation request, shared by generate, batch and grid.
///
/// Numbers are taken as text and read by ``OptionReader`` (see OptionValues.swift), so negative
/// numbers reach the request's checks and every bad value is reported at once.
struct GenerationOptions: ParsableArguments {
    @OptionGroup var music: MusicOptions

    @OptionGroup var engines: EngineOptions

    @Option(parsing: .unconditional, help: "Seconds per take, 5 to 300.")
    var duration = "30"

    @Option(parsing: .unconditional, help: "Takes in the batch, 1 to 8.")
    var variations = String(GenerationRequest.Defaults.numVariations)

    @Option(parsing: .unconditional, help: "Seed of the first take, 0 to 2^63-1; -1 picks one.")
    var seed = "-1"

    @Option(parsing: .unconditional, help: "Sampling temperature, 0.05 to 2: lower is more predictable.")
    var temperature = "1"

    @Option(name: .customLong("top-k"), parsing: .unconditional, help: "Draw among the k likeliest choices, 0 to 250 (0: all).")
    var topK = String(GenerationRequest.Defaults.topK)

    @Option(name: .customLong("top-p"), parsing: .unconditional, help: "Draw among the likeliest choices up to this probability, 0 to 1 (0: all).")
    var topP = "0"

    @Option(parsing: .unconditional, help: "Guidance, 1 to 15: higher follows the prompt more closely (default: the genre's).")
    var guidance: String?

    @Option(name: .customLong("sample-rate"), parsing: .unconditional, help: "22050, 32000, 44100 or 48000.")
    var sampleRate = String(GenerationRequest.Defaults.sampleRate)

    @Option(help: "Audio format: \(AudioFormat.list).")
    var format: String = GenerationRequest.Defaults.format.rawValue

    @Flag(help: "Also write each part (drums, bass, harmony, melody, texture) as its own file.")
    var stems = false

    @Flag(inversion: .prefixedNo, help: "Write a Standard MIDI File beside each take.")
    var midi = true

    @Option(help: "A SoundFont (.sf2 or .sf3) to render with instead of the General MIDI one (or set RIFFLE_SOUNDFONT).")
    var soundfont: String?

    /// The files each take writes beside its audio.
    var outputs: TakeOutputs { TakeOutputs(stems: stems, midi: midi) }

    /// The request these options and `prompt` make, as typed, with every problem it has: values that
    /// are not numbers, keys and formats that do not parse, and every field out of range (checked
    /// against `genres`), so a command can report them all before it starts. The application core
    /// normalises the request and checks it again, as it does the studio's.
    func request(prompt: String, genres: GenreNames) -> (GenerationRequest, [ValidationIssue]) {
        typealias D = GenerationRequest.Defaults
        var reader = OptionReader()
        let seed = reader.whole(seed, .seed, as: Int64.self)
        var request = GenerationRequest(
            prompt: prompt, duration: reader.number(duration, .duration) ?? D.duration,
            numVariations: reader.whole(variations, .numVariations) ?? D.numVariations, seed: seed == -1 ? nil : seed,
            temperature: reader.number(temperature, .temperature) ?? D.temperature, topK: reader.whole(topK, .topK) ?? D.topK,
            topP: reader.number(topP, .topP) ?? D.topP, guidanceScale: guidance.flatMap { reader.number($0, .guidanceScale) },
            sampleRate: reader.whole(sampleRate, .sampleRate) ?? D.sampleRate)
        music.apply(to: &request, reader: &reader)
        engines.apply(to: &request)
        if let chosen = AudioFormat(name: format) {
            request.format = chosen
        } else {
            reader.add("format", format, "is not supported", allowed: "one of: \(AudioFormat.list)")
        }
        // A field that could not be read kept its default: its range check would say nothing true.
        let unread = Set(reader.issues.map(\.field))
        return (request, reader.issues + request.validationIssues(knownGenres: genres).filter { !unread.contains($0.field) })
    }
}
