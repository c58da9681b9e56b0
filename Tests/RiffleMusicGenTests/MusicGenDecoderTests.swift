import Foundation
import Testing
@testable import RiffleMusicGen

@Suite("MusicGen decoder with a KV cache against transformers, under teacher forcing")
struct MusicGenDecoderTests {
    /// Feeds the recorded decoder ids one step at a time and gathers the logits as transformers' (rows·K,
    /// steps, vocab): `rows` text rows, the recorded ids repeated for every batch of K·B rows.
    func teacherForced(_ decoder: MusicGenDecoder, _ text: TextStates, _ fixture: ReferenceFixture) throws -> [Float] {
        let recorded = try fixture.integers("tf.decoder_input_ids")  // (B·K, steps), row b·K + k
        let (recordedRows, steps) = (recorded.shape[0], recorded.shape[1])
        let k = decoder.config.numCodebooks, vocab = decoder.config.vocabSize
        let rows = text.batch * k
        let cache = decoder.start(text: text, maxSteps: steps)
        var logits = [Float](repeating: .nan, count: rows * steps * vocab)
        for step in 0..<steps {
            #expect(cache.length == step)
            // Guidance rows take the same ids again: row r uses recorded row r mod (B·K).
            let ids = (0..<rows).map { Int32(recorded.values[($0 % recordedRows) * steps + step]) }
            let out = decoder.step(ids, cache: cache)
            #expect(out.count == rows * vocab)
            for row in 0..<rows {
                for v in 0..<vocab { logits[(row * steps + step) * vocab + v] = out[row * vocab + v] }
            }
        }
        #expect(cache.length == steps)
        return logits
    }

    @Test("logits of 4 steps, without and with guidance rows", arguments: ["tiny-mono", "tiny-stereo"])
    func teacherForcing(_ name: String) throws {
        let fixture = try ReferenceFixture(name)
        let conditioner = try TextConditioner(snapshot: fixture.snapshot)
        let decoder = try MusicGenDecoder(snapshot: fixture.snapshot)
        #expect(decoder.config.numCodebooks == (name == "tiny-stereo" ? 8 : 4))
        let text = conditioner.encode(try recordedPrompts(fixture))

        let expected = try fixture.floats("tf.logits")
        let logits = try teacherForced(decoder, text, fixture)
        #expect(expected.shape == [text.batch * decoder.config.numCodebooks, 4, decoder.config.vocabSize])
        expectClose(logits, expected.values, floor: referenceFloor, "\(name) tf.logits")

        let guided = try fixture.floats("tf.cfg_logits")
        expectClose(try teacherForced(decoder, text.withUnconditionalRows(), fixture), guided.values, floor: referenceFloor, "\(name) tf.cfg_logits")
    }

    @Test("13 cached steps of transformers' greedy generation with guidance: guided logits and the ids it chose",
          arguments: ["tiny-mono", "tiny-stereo"])
    func greedyGeneration(_ name: String) throws {
        let fixture = try ReferenceFixture(name)
        let conditioner = try TextConditioner(snapshot: fixture.snapshot)
        let decoder = try MusicGenDecoder(snapshot: fixture.snapshot)
        let text = conditioner.encode(try recordedPrompts(fixture)).withUnconditionalRows()
        let inputs = try fixture.integers("gen.delayed_ids_masked")  // (B·K, 1 + steps): what each step was fed
        let chosen = try fixture.integers("gen.delayed_ids")          // the same before the delay pattern: the argmaxes
        let scores = try fixture.floats("gen.scores")                 // (steps, B·K, vocab): uncond + 3 (cond − uncond)
        let (steps, condRows, vocab) = (scores.shape[0], scores.shape[1], scores.shape[2])
        let columns = inputs.shape[1]
        #expect(columns == steps + 1 && condRows * 2 == text.batch * decoder.config.numCodebooks)

        let cache = decoder.start(text: text, maxSteps: steps)
        var guided = [Float]()
        for step in 0..<steps {
            let ids = (0..<condRows * 2).map { Int32(inputs.values[($0 % condRows) * columns + step]) }
            let logits = decoder.step(ids, cache: cache)
            let half = condRows * vocab
            for i in 0..<half { guided.append(logits[half + i] + 3 * (logits[i] - logits[half + i])) }
            for row in 0..<condRows {
                let rowScores = guided[(step * condRows + row) * vocab..<(step * condRows + row + 1) * vocab]
                let argmax = rowScores.indices.max { rowScores[$0] < rowScores[$1] }! - rowScores.startIndex
                #expect(argmax == chosen.values[row * columns + step + 1], "\(name) step \(step) row \(row)")
            }
        }
        expectClose(guided, scores.values, floor: referenceFloor, "\(name) gen.scores")
    }

    @Test("the hub's weight-norm naming loads and gives the same text states and logits")
    func weightNormNaming() throws {
        let fixture = try ReferenceFixture("tiny-mono-weightnorm")
        let conditioner = try TextConditioner(snapshot: fixture.snapshot)
        let decoder = try MusicGenDecoder(snapshot: fixture.snapshot)
        let text = conditioner.encode(try recordedPrompts(fixture))
        expectClose(text.states, try fixture.floats("text.projected_masked").values, floor: referenceFloor, "weight-norm text.projected_masked")
        expectClose(try teacherForced(decoder, text.withUnconditionalRows(), fixture), try fixture.floats("tf.cfg_logits").values,
                    floor: referenceFloor, "weight-norm tf.cfg_logits")
        #expect(decoder.weightBytes == (try MusicGenDecoder(snapshot: ReferenceFixture("tiny-mono").snapshot)).weightBytes)
    }

    @Test("weightBytes counts every decoder weight once")
    func weightBytes() throws {
        let fixture = try ReferenceFixture("tiny-mono")
        let decoder = try MusicGenDecoder(snapshot: fixture.snapshot)
        let floats = try fixture.snapshot.tensorNames.filter { $0.hasPrefix("decoder.") }
            .reduce(0) { $0 + (try fixture.snapshot.require($1)).elementCount }
        #expect(decoder.weightBytes == floats * 4)
    }

    @Test("a checkpoint missing a decoder tensor, or with one misshapen, is an error naming it",
          arguments: ["decoder.model.decoder.layers.1.fc2.weight", "decoder.model.decoder.layers.0.encoder_attn_layer_norm.bias",
                      "decoder.lm_heads.3.weight", "decoder.model.decoder.embed_tokens.2.weight"])
    func missingTensor(_ name: String) throws {
        let broken = try CheckpointCopy(of: "tiny-mono", dropping: name)
        let error = try #require(checkpointError { _ = try MusicGenDecoder(snapshot: broken.snapshot()) })
        let module = name.hasSuffix(".weight") ? String(name.dropLast(".weight".count)) : name
        #expect(error.problem.contains(module), "\(error)")
    }

    @Test("a decoder projection of the wrong shape is an error naming it and both shapes")
    func misshapenTensor() throws {
        let name = "decoder.model.decoder.layers.0.fc1.weight"
        let broken = try CheckpointCopy(of: "tiny-mono", replacing: [.f32(name, [63, 48], [Float](repeating: 0.5, count: 63 * 48))])
        let error = try #require(checkpointError { _ = try MusicGenDecoder(snapshot: broken.snapshot()) })
        #expect(error.problem == "decoder.model.decoder.layers.0.fc1.weight is [63, 48]; the config needs [64, 48]")
    }
}
