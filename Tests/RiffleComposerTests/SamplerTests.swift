import Foundation
import RiffleComposer
import RiffleCore
import Testing

/// Entropy in bits: how unpredictable a distribution is.
private func entropy(_ probabilities: [Double]) -> Double {
    -probabilities.filter { $0 > 0 }.reduce(0) { $0 + $1 * log2($1) }
}

/// A melody-like run of choices drawn from fixed logits with one seed.
private func phrase(seed: Int64, _ parameters: SamplingParameters, length: Int = 16) -> [Int] {
    var generator = SeededGenerator(seed: seed)
    let logits: [Double] = [2.0, 1.6, 1.2, 0.9, 0.5, 0.1, -0.4, -1.0]
    return (0..<length).map { _ in Sampler.sample(logits, parameters, using: &generator) }
}

@Suite("Sampling: temperature, top-k, top-p and guidance mean what they say")
struct SamplerTests {
    private let logits: [Double] = [3.0, 2.0, 1.0, 0.5, 0.0, -1.0]

    @Test("lower temperature, less variety: entropy falls as temperature falls")
    func temperatureSharpens() {
        let temperatures = [2.0, 1.5, 1.0, 0.5, 0.2, 0.05]
        let entropies = temperatures.map { entropy(Sampler.probabilities(logits, SamplingParameters(temperature: $0))) }
        #expect(entropies == entropies.sorted(by: >), "\(entropies)")
        #expect(entropies.last! < 0.01, "at 0.05 nearly every draw is the likeliest choice")
    }

    @Test("lower temperature, fewer different takes across seeds")
    func temperatureAndSeeds() {
        func distinctPhrases(_ temperature: Double) -> Int {
            Set((0..<40).map { phrase(seed: Int64($0), SamplingParameters(temperature: temperature)) }).count
        }
        let cold = distinctPhrases(0.05), warm = distinctPhrases(1.0)
        #expect(cold < 5, "\(cold) distinct phrases at temperature 0.05")
        #expect(warm == 40, "\(warm) distinct phrases at temperature 1.0")
    }

    @Test("top-k keeps exactly the k likeliest choices", arguments: [1, 2, 3, 6])
    func topK(k: Int) {
        let probabilities = Sampler.probabilities(logits, SamplingParameters(topK: k))
        #expect(probabilities.filter { $0 > 0 }.count == k)
        #expect(probabilities.prefix(k).allSatisfy { $0 > 0 }, "the survivors are the likeliest")
        var generator = SeededGenerator(seed: 3)
        let draws = Set((0..<500).map { _ in Sampler.sample(logits, SamplingParameters(topK: k), using: &generator) })
        #expect(draws.isSubset(of: Set(0..<k)))
    }

    @Test("top-p keeps the smallest likeliest set reaching p; 0 turns it off")
    func topP() {
        let full = Sampler.probabilities(logits, SamplingParameters())
        // full ≈ [0.60, 0.22, 0.08, 0.05, ...]: p = 0.5 keeps one, 0.8 keeps two (0.83), 0.9 three (0.91).
        #expect(Sampler.probabilities(logits, SamplingParameters(topP: 0.5)).filter { $0 > 0 }.count == 1)
        #expect(Sampler.probabilities(logits, SamplingParameters(topP: 0.8)).filter { $0 > 0 }.count == 2)
        #expect(Sampler.probabilities(logits, SamplingParameters(topP: 0.9)).filter { $0 > 0 }.count == 3)
        #expect(Sampler.probabilities(logits, SamplingParameters(topP: 0)) == full)
        let kept = Sampler.probabilities(logits, SamplingParameters(topP: 0.8))
        #expect(abs(kept.reduce(0, +) - 1) < 1e-12, "what is kept is renormalised")
    }

    @Test("guidance: 1 is the prompt's logits; higher follows the prompt more closely")
    func guidance() {
        // The prompt favours choice 2 (say, a minor chord); without it choice 0 is likelier.
        let unconditioned: [Double] = [1.0, 0.5, 0.0, 0.0]
        let conditioned: [Double] = [1.0, 0.5, 1.5, 0.0]
        #expect(Sampler.guided(conditioned: conditioned, unconditioned: unconditioned, scale: 1) == conditioned)
        #expect(Sampler.guided(conditioned: conditioned, unconditioned: unconditioned, scale: 3) == [1.0, 0.5, 4.5, 0.0])
        let adherence = [1.0, 2.0, 4.0, 8.0, 15.0].map { scale in
            Sampler.probabilities(Sampler.guided(conditioned: conditioned, unconditioned: unconditioned, scale: scale), SamplingParameters())[2]
        }
        #expect(adherence == adherence.sorted(), "\(adherence)")
        #expect(adherence.first! < 0.5 && adherence.last! > 0.99)
    }

    @Test("the same seed gives the same draws; different seeds differ")
    func determinism() {
        let parameters = SamplingParameters(temperature: 1.2, topK: 6, topP: 0.95)
        #expect(phrase(seed: 42, parameters) == phrase(seed: 42, parameters))
        #expect(phrase(seed: 42, parameters) != phrase(seed: 43, parameters))
    }

    @Test("draws follow the probabilities")
    func frequencies() {
        var generator = SeededGenerator(seed: 11)
        let probabilities = Sampler.probabilities(logits, SamplingParameters())
        var counts = [Int](repeating: 0, count: logits.count)
        let draws = 60_000
        for _ in 0..<draws { counts[Sampler.sample(logits, SamplingParameters(), using: &generator)] += 1 }
        for (index, probability) in probabilities.enumerated() {
            let observed = Double(counts[index]) / Double(draws)
            // Five standard errors: a fair sampler fails this about once in a million runs.
            #expect(abs(observed - probability) < 5 * (probability * (1 - probability) / Double(draws)).squareRoot() + 1e-9,
                    "choice \(index): \(observed) drawn, \(probability) expected")
        }
    }

    @Test("neighbouring seeds start far apart")
    func neighbouringSeeds() {
        var a = SeededGenerator(seed: 1000), b = SeededGenerator(seed: 1001)
        let first = (0..<8).map { _ in a.next() }, second = (0..<8).map { _ in b.next() }
        #expect(zip(first, second).allSatisfy { ($0 ^ $1).nonzeroBitCount > 16 })
    }
}
