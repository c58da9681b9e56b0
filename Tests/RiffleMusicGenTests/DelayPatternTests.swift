import RiffleCore
import Testing
@testable import RiffleMusicGen

@Suite("the delay pattern and the token sampler, as transformers' generate has them")
struct DelayPatternTests {
    @Test("the pattern's forced and predicted positions are transformers' for 16 columns", arguments: ["tiny-mono", "tiny-stereo"])
    func matchesTransformers(fixture name: String) throws {
        let fixture = try ReferenceFixture(name)
        let (shape, expected) = try fixture.integers("delay_pattern_mask_16")
        let codebooks = shape[0], columns = shape[1]
        let config = fixture.snapshot.config.decoder
        let pattern = DelayPattern(codebooks: codebooks, channels: config.audioChannels,
                                   frames: columns - codebooks / config.audioChannels, padID: Int32(config.padTokenID))
        #expect(pattern.columns == columns)
        for k in 0..<codebooks {
            for column in 0..<columns {
                // transformers marks a position to predict with -1 and a forced one with the pad id.
                let ours = pattern.frame(codebook: k, column: column) == nil ? config.padTokenID : -1
                #expect(ours == expected[k * columns + column], "codebook \(k), column \(column)")
            }
        }
    }

    @Test("codes go into their delayed columns and come back out in frame order, the prompt's kept")
    func roundTrip() {
        let pattern = DelayPattern(codebooks: 4, channels: 1, frames: 6, padID: 99)
        let prompt: [Int32] = [10, 11, 20, 21, 30, 31, 40, 41]  // 4 codebooks × 2 frames
        var columns: [[Int32]] = []
        for column in 0..<pattern.columns {
            // The "model" predicts 100·k + column everywhere; the pattern decides what is kept.
            let predicted = (0..<4).map { Int32(100 * $0 + column) }
            columns.append(pattern.apply(column: column, predicted: predicted, prompt: prompt, promptFrames: 2))
        }
        #expect(columns[0] == [99, 99, 99, 99])
        #expect(columns[1] == [10, 99, 99, 99])
        let codes = pattern.codes(fromColumns: columns)
        // Codebook 2's frames: the prompt's two, then the predictions of columns 2+2+1 = 5…
        #expect(Array(codes[12..<18]) == [30, 31, 205, 206, 207, 208])
        #expect(Array(codes[0..<6]) == [10, 11, 3, 4, 5, 6])
    }

    @Test("stereo codebooks 2d and 2d+1 share delay d")
    func stereoDelays() {
        let pattern = DelayPattern(codebooks: 8, channels: 2, frames: 10, padID: 2048)
        #expect((0..<8).map(pattern.delay(of:)) == [0, 0, 1, 1, 2, 2, 3, 3])
        #expect(pattern.columns == 14)
    }

    @Test("top-k 1 is greedy, ties going to the lower id; guidance is uncond + g·(cond − uncond)")
    func greedyAndGuidance() {
        let sampler = TokenSampler(guidanceScale: 3, temperature: 1, topK: 1, topP: 0)
        var cond: [Float] = [0.5, 2.0, 1.0, 2.0]
        let uncond: [Float] = [0.5, 1.0, 1.5, 1.0]
        var generator = SeededGenerator(seed: 1)
        let picked = cond.withUnsafeMutableBufferPointer { c in
            uncond.withUnsafeBufferPointer { u in sampler.guide(c, unconditional: u) }
            return sampler.draw(c, using: &generator)
        }
        #expect(cond == [0.5, 4.0, 0.0, 4.0])
        #expect(picked == 1)
    }

    @Test("sampling stays inside top-k and top-p, and a seed repeats its draws")
    func sampling() {
        let logits: [Float] = [3, 2.9, 2.8, -1, -2, 0.5, 2.7, -5]
        func draws(_ sampler: TokenSampler, seed: Int64) -> [Int32] {
            var generator = SeededGenerator(seed: seed)
            return (0..<400).map { _ in
                var copy = logits
                return copy.withUnsafeMutableBufferPointer { sampler.draw($0, using: &generator) }
            }
        }
        let topK = TokenSampler(guidanceScale: 1, temperature: 1, topK: 3, topP: 0)
        #expect(Set(draws(topK, seed: 7)) == [0, 1, 2])
        #expect(draws(topK, seed: 7) == draws(topK, seed: 7))
        #expect(draws(topK, seed: 7) != draws(topK, seed: 8))
        // p = 0.5 over nearly equal 3, 2.9, 2.8, 2.7: the first two reach it.
        let topP = TokenSampler(guidanceScale: 1, temperature: 1, topK: 0, topP: 0.5)
        #expect(Set(draws(topP, seed: 3)) == [0, 1])
        // A low temperature mostly takes the likeliest (3 against 2.9: e^(0.1/0.05) ≈ 7.4 to 1, so ~85%);
        // a high one spreads the draws over every candidate.
        let cold = TokenSampler(guidanceScale: 1, temperature: 0.05, topK: 0, topP: 0)
        let hot = TokenSampler(guidanceScale: 1, temperature: 2, topK: 0, topP: 0)
        #expect(draws(cold, seed: 5).filter { $0 == 0 }.count > 300)
        #expect(draws(hot, seed: 5).filter { $0 == 0 }.count < 120)
        #expect(Set(draws(hot, seed: 5)).count >= 6)
    }
}
