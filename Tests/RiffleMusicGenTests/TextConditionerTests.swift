import Foundation
import Testing
@testable import RiffleMusicGen

/// The recorded padded batch as the id sequences a caller would pass: each row up to its mask's end.
func recordedPrompts(_ fixture: ReferenceFixture) throws -> [[Int32]] {
    let ids = try fixture.integers("text.input_ids"), mask = try fixture.integers("text.attention_mask")
    let (batch, length) = (ids.shape[0], ids.shape[1])
    return (0..<batch).map { item in
        (0..<length).filter { mask.values[item * length + $0] == 1 }.map { Int32(ids.values[item * length + $0]) }
    }
}

@Suite("T5 text encoder and enc_to_dec_proj against transformers")
struct TextConditionerTests {
    @Test("T5's last hidden state, the projected and masked text states, and the mask", arguments: ["tiny-mono", "tiny-stereo"])
    func encoder(_ name: String) throws {
        let fixture = try ReferenceFixture(name)
        let conditioner = try TextConditioner(snapshot: fixture.snapshot)
        let prompts = try recordedPrompts(fixture)
        // The two prompts differ in length, so the second is padded and the mask matters.
        #expect(Set(prompts.map(\.count)).count == 2)

        let hidden = try fixture.floats("text.last_hidden_state")
        expectClose(conditioner.encoderOutput(prompts), hidden.values, floor: referenceFloor, "\(name) text.last_hidden_state")

        let text = conditioner.encode(prompts)
        let projected = try fixture.floats("text.projected_masked")
        #expect([text.batch, text.length, text.hidden] == projected.shape)
        expectClose(text.states, projected.values, floor: referenceFloor, "\(name) text.projected_masked")
        #expect(text.mask == (try fixture.integers("text.attention_mask")).values.map(Float.init))
    }

    @Test("guidance rows: the same rows, then as many with zero states and zero mask")
    func unconditionalRows() throws {
        let text = TextStates(batch: 2, length: 2, hidden: 1, states: [1, 2, 3, 0], mask: [1, 1, 1, 0])
        let both = text.withUnconditionalRows()
        #expect(both.batch == 4 && both.length == 2 && both.hidden == 1)
        #expect(both.states == [1, 2, 3, 0, 0, 0, 0, 0])
        #expect(both.mask == [1, 1, 1, 0, 0, 0, 0, 0])
    }

    @Test("relative position buckets as transformers computes them, boundaries included")
    func buckets() {
        // Where transformers' _relative_position_bucket (32 buckets, max distance 128, bidirectional) changes
        // bucket over −300…300: (relative position, bucket from there on).
        let changes: [(Int, Int)] = [(-300, 15), (-90, 14), (-63, 13), (-45, 12), (-31, 11), (-22, 10), (-15, 9), (-11, 8),
                                     (-7, 7), (-6, 6), (-5, 5), (-4, 4), (-3, 3), (-2, 2), (-1, 1), (0, 0),
                                     (1, 17), (2, 18), (3, 19), (4, 20), (5, 21), (6, 22), (7, 23), (8, 24),
                                     (12, 25), (16, 26), (23, 27), (32, 28), (46, 29), (64, 30), (91, 31)]
        for (index, (start, bucket)) in changes.enumerated() {
            let end = index + 1 < changes.count ? changes[index + 1].0 : 301
            for relative in start..<end {
                #expect(T5RelativePosition.bucket(relative, buckets: 32, maxDistance: 128) == bucket, "relative position \(relative)")
            }
        }
    }

    @Test("a checkpoint without enc_to_dec_proj.bias is an error naming it")
    func missingProjection() throws {
        let broken = try CheckpointCopy(of: "tiny-mono", dropping: "enc_to_dec_proj.bias")
        let error = checkpointError { _ = try TextConditioner(snapshot: broken.snapshot()) }
        #expect(error?.problem == "has no tensor enc_to_dec_proj.bias")
    }
}
