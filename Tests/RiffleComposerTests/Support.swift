import Foundation
@testable import RiffleComposer
import RiffleCore

/// The built-in presets, loaded once for every test.
let catalog = PresetCatalog.standard()

/// What the Composer makes of `prompt`: the interpretation and the composer for its genre.
func composer(for request: GenerationRequest) throws -> (Composer, Interpretation) {
    let interpretation = PromptInterpreter(catalog: catalog).interpret(request)
    let preset = catalog.preset(named: interpretation.genre.value)
    let style = try preset.map(ComposerStyle.load(for:)) ?? .standard
    return (Composer(style: style, preset: preset, sampling: SamplingParameters(request)), interpretation)
}

/// The score for `prompt` with the given seed and sampling.
func score(_ prompt: String, seed: Int64, duration: Double = 30, temperature: Double = 1, guidance: Double = 3,
           topK: Int = 250) throws -> Score {
    let request = GenerationRequest(prompt: prompt, duration: duration, temperature: temperature, topK: topK, guidanceScale: guidance)
    let (composer, interpretation) = try composer(for: request)
    return composer.compose(interpretation, duration: duration, seed: seed)
}

extension Score {
    /// Every pitched note (no drums) with its length, for key estimation.
    var pitchedNotes: [(pitch: Int, length: Double)] {
        parts.filter { $0.role != .drums }.flatMap(\.notes).map { ($0.pitch, $0.length) }
    }

    /// The scale degrees of the chords in order.
    var degrees: [Int] { chords.map(\.symbol.degree) }
}
