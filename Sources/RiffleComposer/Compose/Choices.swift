import Foundation
import RiffleCore

/// Every musical choice the Composer makes goes through here: a draw from logits under the request's
/// temperature, top-k, top-p and guidance, from a generator seeded for the take.
///
/// Each choice offers two sets of logits over the same options: `conditioned` says what the prompt
/// and the genre preset want, `unconditioned` what music in general would do. Guidance mixes them
/// as u + g·(c − u), so a higher guidance follows the prompt's features more closely.
struct Choices {
    private var generator: SeededGenerator
    let sampling: SamplingParameters

    init(seed: Int64, stream: UInt64, sampling: SamplingParameters) {
        // A separate stream per part, so that, say, a different drum fill does not shift the melody.
        generator = SeededGenerator(seed: seed ^ Int64(bitPattern: stream &* 0x9E37_79B9_7F4A_7C15))
        self.sampling = sampling
    }

    /// The index of the option drawn.
    mutating func pick(conditioned: [Double], unconditioned: [Double]) -> Int {
        Sampler.sample(conditioned: conditioned, unconditioned: unconditioned, sampling, using: &generator)
    }

    /// One of `options`, each with its conditioned and unconditioned logit.
    mutating func pick<T>(_ options: [(T, conditioned: Double, unconditioned: Double)]) -> T {
        options[pick(conditioned: options.map(\.conditioned), unconditioned: options.map(\.unconditioned))].0
    }

    /// Whether something the style does with probability `probability` happens this time; the
    /// unconditioned view is a coin toss.
    mutating func chance(_ probability: Double) -> Bool {
        let p = min(max(probability, 0.001), 0.999)
        return pick(conditioned: [log(p), log(1 - p)], unconditioned: [0, 0]) == 0
    }

    /// Uniform in 0..<1, for humanisation: timing and velocity wobble are not musical choices.
    mutating func unit() -> Double { generator.nextUnit() }

    /// Roughly normal, mean 0, standard deviation 1 (sum of uniforms: cheap and bounded).
    mutating func wobble() -> Double {
        (unit() + unit() + unit() + unit() - 2) * 1.732
    }
}

