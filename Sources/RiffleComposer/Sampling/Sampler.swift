import Foundation
import RiffleCore

/// How musical choices are drawn: the same knobs, with the same meaning, as a neural model's decoder.
public struct SamplingParameters: Sendable, Hashable {
    /// Divides the logits: below 1 sharpens towards the likeliest choice, above 1 flattens towards chance.
    public var temperature: Double
    /// Keep only the k likeliest choices; 0 keeps all.
    public var topK: Int
    /// Keep the smallest set of likeliest choices whose probability reaches p; 0 keeps all.
    public var topP: Double
    /// Classifier-free guidance: how far past the unconditioned logits to push towards the prompt's.
    public var guidanceScale: Double

    public init(temperature: Double = 1, topK: Int = 0, topP: Double = 0, guidanceScale: Double = 1) {
        self.temperature = temperature
        self.topK = topK
        self.topP = topP
        self.guidanceScale = guidanceScale
    }

    public init(_ request: GenerationRequest) {
        self.init(temperature: request.temperature, topK: request.topK, topP: request.topP, guidanceScale: request.guidanceScale ?? GenerationRequest.Defaults.guidanceScale)
    }
}

/// Draws one choice among several from logits, as a language model's sampler does.
public enum Sampler {
    /// Classifier-free guidance: `u + g·(c − u)`. At g = 1 this is the conditioned logits; larger g
    /// exaggerates whatever the prompt changes.
    public static func guided(conditioned: [Double], unconditioned: [Double], scale: Double) -> [Double] {
        precondition(conditioned.count == unconditioned.count, "guidance needs logits over the same choices")
        return zip(conditioned, unconditioned).map { c, u in u + scale * (c - u) }
    }

    /// The probability of each choice after temperature, top-k and top-p; zero for choices filtered out.
    public static func probabilities(_ logits: [Double], _ parameters: SamplingParameters) -> [Double] {
        guard !logits.isEmpty else { return [] }
        let temperature = max(parameters.temperature, 1e-6)
        let scaled = logits.map { $0 / temperature }
        // Choices ordered likeliest first; ties keep their original order so results are stable.
        let order = scaled.indices.sorted { scaled[$0] != scaled[$1] ? scaled[$0] > scaled[$1] : $0 < $1 }
        var kept = order.filter { scaled[$0].isFinite }
        if parameters.topK > 0 { kept = Array(kept.prefix(parameters.topK)) }
        guard let best = kept.first else { return uniform(count: logits.count) }

        var weights = [Double](repeating: 0, count: logits.count)
        var total = 0.0
        for index in kept {
            weights[index] = exp(scaled[index] - scaled[best])
            total += weights[index]
        }
        if parameters.topP > 0, parameters.topP < 1 {
            // Keep the likeliest choices until their share reaches p; always keep at least one.
            var cumulative = 0.0
            var cut = kept.count
            for (position, index) in kept.enumerated() {
                cumulative += weights[index] / total
                if cumulative >= parameters.topP {
                    cut = position + 1
                    break
                }
            }
            for index in kept[cut...] { weights[index] = 0 }
            total = kept[..<cut].reduce(0) { $0 + weights[$1] }
        }
        return weights.map { $0 / total }
    }

    /// Draws a choice's index.
    public static func sample(_ logits: [Double], _ parameters: SamplingParameters, using generator: inout SeededGenerator) -> Int {
        let probabilities = probabilities(logits, parameters)
        let target = generator.nextUnit()
        var cumulative = 0.0
        var last = 0
        for (index, probability) in probabilities.enumerated() where probability > 0 {
            cumulative += probability
            last = index
            if target < cumulative { return index }
        }
        return last // rounding left the total a hair under 1
    }

    /// Guides, then draws: the usual call for a prompt-conditioned choice.
    public static func sample(conditioned: [Double], unconditioned: [Double], _ parameters: SamplingParameters,
                              using generator: inout SeededGenerator) -> Int {
        sample(guided(conditioned: conditioned, unconditioned: unconditioned, scale: parameters.guidanceScale), parameters, using: &generator)
    }

    private static func uniform(count: Int) -> [Double] {
        [Double](repeating: 1 / Double(count), count: count)
    }
}
