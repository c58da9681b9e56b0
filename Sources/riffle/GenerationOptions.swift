import ArgumentParser
import Foundation
import RiffleApp
import RiffleCore

/// The options of a generation request, shared by generate, batch and grid.
struct GenerationOptions: ParsableArguments {
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

    @Flag(help: "Also write each part (drums, bass, harmony, melody, texture) as its own file.")
    var stems = false

    @Flag(inversion: .prefixedNo, help: "Write a Standard MIDI File beside each take.")
    var midi = true

    @Option(help: "A SoundFont (.sf2 or .sf3) to render with instead of the General MIDI one (or set RIFFLE_SOUNDFONT).")
    var soundfont: String?

    /// The files each take writes beside its audio.
    var outputs: TakeOutputs { TakeOutputs(stems: stems, midi: midi) }

    /// The request these options and `prompt` make, as typed, with what the options themselves get
    /// wrong (a key or format that does not parse). The application core normalises and checks the
    /// rest, as it does for the studio's requests.
    func request(prompt: String) -> (GenerationRequest, [ValidationIssue]) {
        var request = GenerationRequest(prompt: prompt, duration: duration, numVariations: variations,
                                        seed: seed == -1 ? nil : seed, temperature: temperature, topK: topK, topP: topP,
                                        guidanceScale: guidance, sampleRate: sampleRate)
        var issues = music.apply(to: &request)
        if let chosen = AudioFormat(name: format) {
            request.format = chosen
        } else {
            issues.append(.init(field: "format", value: "\"\(format)\"", problem: "is not supported", allowed: "one of: \(AudioFormat.list)"))
        }
        if seed < -1 { issues.append(.init(field: "seed", value: "\(seed)", problem: "is negative", allowed: "0 or more, or -1 for a random seed")) }
        return (request, issues)
    }
}
