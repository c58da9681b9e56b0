import Foundation
import RiffleCore
import RiffleMusicGen

/// `riffle-bench musicgen-precision [--folder DIR] [--steps 100]`: how far fp16 and int8 weights move MusicGen's
/// output from fp32's on the musicgen-small-shaped checkpoint `riffle-bench musicgen` writes.
///
/// Three figures per precision: the SNR of the decoder's logits against fp32's under teacher forcing (the same
/// ids fed to each); the share of greedy tokens (guidance 3) equal to fp32's; and the SNR of the audio EnCodec
/// decodes from those tokens. With random weights the logits are nearly flat, so one flipped token sends the
/// rest of the sequence elsewhere: the audio figure is the pessimistic case, the logits figure the precise one.
func musicgenPrecisionBenchmark(_ arguments: [String]) throws {
    let steps = Int(option("--steps", in: arguments) ?? "") ?? 100
    let folder = option("--folder", in: arguments)
        ?? FileManager.default.temporaryDirectory.appendingPathComponent("riffle-bench-musicgen-\(getpid())").path
    let keep = option("--folder", in: arguments) != nil
    defer { if !keep { try? FileManager.default.removeItem(atPath: folder) } }
    if !FileManager.default.fileExists(atPath: folder + "/model.safetensors") { _ = try RandomMusicGenCheckpoint.write(to: folder) }
    let snapshot = try ModelSnapshot(folder: folder)
    let codec = try EncodecCodec(snapshot: snapshot)
    let config = snapshot.config.decoder
    let codebooks = config.numCodebooks, vocab = config.vocabSize
    var generator = SeededGenerator(seed: 11)
    let textStates = (0..<(16 * config.hiddenSize)).map { _ in generator.uniform() * 0.5 }
    let text = TextStates(batch: 1, length: 16, hidden: config.hiddenSize, states: textStates, mask: [Float](repeating: 1, count: 16))
        .withUnconditionalRows()
    let forced = (0..<(steps * codebooks)).map { _ in Int32(generator.next() % UInt64(vocab)) }

    /// Teacher-forced logits, then greedy codes with guidance 3 (no delay pattern: every column predicted).
    func run(_ precision: WeightPrecision) throws -> (logits: [Float], codes: [Int32]) {
        let decoder = try MusicGenDecoder(snapshot: snapshot, precision: precision)
        var cache = decoder.start(text: text, maxSteps: steps)
        var logits: [Float] = []
        for step in 0..<steps {
            let column = Array(forced[(step * codebooks)..<((step + 1) * codebooks)])
            logits += decoder.step(column + column, cache: cache).prefix(codebooks * vocab)
        }
        cache = decoder.start(text: text, maxSteps: steps)
        var column = [Int32](repeating: Int32(config.padTokenID), count: codebooks)
        var codes = [Int32](repeating: 0, count: codebooks * (steps - 1))
        for step in 0..<steps {
            let out = decoder.step(column + column, cache: cache)
            guard step < steps - 1 else { break }
            for k in 0..<codebooks {
                var best = 0, bestValue = -Float.infinity
                for i in 0..<vocab {
                    let cond = out[k * vocab + i], uncond = out[(codebooks + k) * vocab + i]
                    let guided = uncond + 3 * (cond - uncond)
                    if guided > bestValue { bestValue = guided; best = i }
                }
                column[k] = Int32(best)
                codes[k * (steps - 1) + step] = Int32(best)
            }
        }
        return (logits, codes)
    }

    func snr(_ reference: [Float], _ other: [Float]) -> Double {
        var signal = 0.0, noise = 0.0
        for (a, b) in zip(reference, other) { signal += Double(a) * Double(a); noise += Double(a - b) * Double(a - b) }
        return noise == 0 ? .infinity : 10 * log10(signal / noise)
    }

    print("MusicGen precision: fp16 and int8 against fp32, musicgen-small shapes, random weights, \(steps) steps")
    let reference = try run(.fp32)
    let referenceAudio = codec.decode(codes: reference.codes, frames: steps - 1)
    for precision in [WeightPrecision.fp16, .int8] {
        let result = try run(precision)
        let agree = zip(reference.codes, result.codes).filter { $0 == $1 }.count
        let audio = codec.decode(codes: result.codes, frames: steps - 1)
        print(String(format: "  %@: logits SNR %.1f dB (teacher forcing)   greedy tokens equal to fp32's %.1f%%   decoded audio SNR %.1f dB",
                     precision.rawValue, snr(reference.logits, result.logits), 100 * Double(agree) / Double(reference.codes.count),
                     snr(referenceAudio, audio)))
    }
}
