import Foundation
import RiffleAudio
import RiffleComposer
import RiffleCore
import RiffleEngine
import Testing

@Suite("The quality score ranks a batch of Composer takes",
       .enabled(if: SoundFontPool.defaultSoundFont != nil, "needs the GM SoundFont (fluid-soundfont-gm)"))
struct QualityRankingTests {
    @Test("four variations of one prompt do not tie at two decimals, and each is scored on what the prompt asked",
          arguments: ["deep house 124 bpm", "jazz waltz 150 bpm in Bb major"])
    func batch(prompt: String) throws {
        let takes = try (1...4).map { try generate(prompt, seed: Int64($0), duration: 20) }
        let scores = takes.map(QualityScore.score)
        let rounded = scores.map { ($0.total * 100).rounded() / 100 }
        #expect(Set(rounded).count == 4, "\(rounded)")
        for score in scores {
            let names = Set(score.parts.map(\.name))
            #expect(names.isSuperset(of: ["tempo", "key", "metre", "melody", "form", "dynamics", "loudness"]), "\(names.sorted())")
            #expect(score.total > 0.5, "\(score.parts.map { "\($0.name) \($0.score) (\($0.detail))" })")
        }
    }
}
