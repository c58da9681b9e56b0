import Foundation
import RiffleAudio
import RiffleComposer
import RiffleCore
import RiffleEngine
import Testing

@Suite("The quality score ranks a batch of Composer takes",
       .enabled(if: SoundFontPool.defaultSoundFont != nil, "needs the GM SoundFont (fluid-soundfont-gm)"))
struct QualityRankingTests {
    @Test("in batches of four variations, takes rarely tie at two decimals (at most two pairs of 18; the old pass/fail score tied nearly all), and each is scored on what the prompt asked")
    func batches() throws {
        var tiedPairs: [String] = []
        for prompt in ["deep house 124 bpm", "jazz waltz 150 bpm in Bb major", "lo-fi hip hop 84 bpm"] {
            let scores = try (1...4).map { QualityScore.score(try generate(prompt, seed: Int64($0), duration: 20)) }
            let rounded = scores.map { ($0.total * 100).rounded() / 100 }
            for first in 0..<4 { for second in (first + 1)..<4 where rounded[first] == rounded[second] { tiedPairs.append("\(prompt): \(rounded)") } }
            for score in scores {
                let names = Set(score.parts.map(\.name))
                #expect(names.isSuperset(of: ["tempo", "key", "melody", "form", "dynamics", "loudness"]), "\(names.sorted())")
                #expect(score.total > 0.5, "\(score.parts.map { "\($0.name) \($0.score) (\($0.detail))" })")
            }
        }
        #expect(tiedPairs.count <= 2, "\(tiedPairs)")
    }
}
