import Foundation
import RiffleCore

/// A loaded MusicGen checkpoint: tokenizer, T5 text encoder, decoder LM and EnCodec, ready to turn text
/// (and optionally the codes of audio to continue) into audio codes and the codes into audio.
///
/// Loading maps the weights and converts the decoder's to `precision` once; generation reads them in
/// place. One model serves any number of takes, one at a time per thread.
public final class MusicGenModel: @unchecked Sendable {  // immutable after init
    public let snapshot: ModelSnapshot
    public let precision: WeightPrecision
    public let tokenizer: SentencePieceTokenizer
    public let conditioner: TextConditioner
    public let decoder: MusicGenDecoder
    public let codec: EncodecCodec

    /// Loads the snapshot in `folder`; every problem is a ``CheckpointError`` naming the file.
    public init(folder: String, precision: WeightPrecision = .fp32) throws {
        let snapshot = try ModelSnapshot(folder: folder)
        self.snapshot = snapshot
        self.precision = precision
        // Said before a byte is converted: the weights kept in `precision` must fit in what is free.
        let parameters = snapshot.tensorNames.reduce(0) { $0 + (snapshot.tensor(named: $1)?.elementCount ?? 0) }
        try MemoryCheck.ensureFits(bytes: parameters * precision.bytesPerWeight, what: folder)
        tokenizer = try SentencePieceTokenizer(modelPath: try snapshot.tokenizerModelPath())
        conditioner = try TextConditioner(snapshot: snapshot, precision: precision)
        decoder = try MusicGenDecoder(snapshot: snapshot, precision: precision)
        codec = try EncodecCodec(snapshot: snapshot)
        let decoderConfig = snapshot.config.decoder
        guard decoderConfig.numCodebooks == codec.numCodebooks * decoderConfig.audioChannels else {
            throw CheckpointError(folder, "the decoder predicts \(decoderConfig.numCodebooks) codebooks for \(decoderConfig.audioChannels) channel(s), but the audio codec uses \(codec.numCodebooks) per channel")
        }
    }

    /// Audio frames per second of codes (50 for the 32 kHz models).
    public var frameRate: Double { codec.frameRate }
    public var sampleRate: Int { codec.sampleRate }
    public var channels: Int { snapshot.config.decoder.audioChannels }
    public var codebooks: Int { snapshot.config.decoder.numCodebooks }

    /// The most frames one decoder window can hold: 30 s, or fewer when the checkpoint has fewer positions.
    public var windowFrames: Int {
        let positions = snapshot.config.decoder.maxPositionEmbeddings - codebooks / channels
        return max(1, min(Int((30 * frameRate).rounded()), positions))
    }

    /// Frames of the previous window kept as the next one's audio prompt: 10 s as audiocraft keeps,
    /// or a third of the window when it is shorter.
    public var overlapFrames: Int { min(Int((10 * frameRate).rounded()), windowFrames / 3) }

    /// Decoder steps `generateCodes` will run for `frames` new frames after `promptFrames` given ones:
    /// what progress counts. A window of n frames has n + the largest delay + 1 columns; the first is given.
    public func steps(frames: Int, promptFrames: Int) -> Int {
        windows(frames: frames, promptFrames: promptFrames).reduce(0) { $0 + $1.prompt + $1.new + codebooks / channels - 1 }
    }

    /// The windows that make `frames` new frames: each continues the last `prompt` frames before it.
    func windows(frames: Int, promptFrames: Int) -> [(prompt: Int, new: Int)] {
        var result: [(prompt: Int, new: Int)] = []
        var have = promptFrames
        var made = 0
        while made < frames {
            let prompt = min(have, overlapFrames)
            let new = min(frames - made, windowFrames - prompt)
            result.append((prompt, new))
            made += new
            have += new
        }
        return result
    }

    /// The codes (codebook-major: `codebooks × (promptFrames + frames)`) of `text` continued for `frames`
    /// frames after `prompt` (`codebooks × promptFrames`, may be empty).
    ///
    /// Longer than one window, it goes on window by window, each continuing the last ``overlapFrames`` of
    /// the one before, as audiocraft extends generation. `step` is called after every decoder step with
    /// (steps done, steps in all); `check` before every step, to stop (it throws).
    public func generateCodes(text: String, frames: Int, prompt: [Int32] = [], promptFrames: Int = 0, sampler: TokenSampler,
                              seed: Int64, step: (Int, Int) -> Void = { _, _ in }, check: () throws -> Void = {}) throws -> [Int32] {
        try generateCodes(text: text, frames: frames, prompt: prompt, promptFrames: promptFrames, sampler: sampler, seeds: [seed],
                          step: step, check: check)[0]
    }

    /// One sequence of codes per seed, all decoded together: each step reads every weight once for the
    /// whole batch, which costs little more than one sequence while decoding is memory-bound. Sequence
    /// i is exactly what ``generateCodes(text:frames:prompt:promptFrames:sampler:seed:step:check:)`` gives
    /// for `seeds[i]`.
    public func generateCodes(text: String, frames: Int, prompt: [Int32] = [], promptFrames: Int = 0, sampler: TokenSampler,
                              seeds: [Int64], step: (Int, Int) -> Void = { _, _ in }, check: () throws -> Void = {}) throws -> [[Int32]] {
        precondition(prompt.count == codebooks * promptFrames, "the prompt holds \(prompt.count) codes, not \(codebooks) × \(promptFrames)")
        precondition(!seeds.isEmpty)
        let one = conditioner.encode([tokenizer.ids(text)])
        var text = one.repeatingRows(seeds.count)
        if sampler.usesGuidance { text = text.withUnconditionalRows() }
        var generators = seeds.map { SeededGenerator(seed: $0) }
        var all = [[Int32]](repeating: prompt, count: seeds.count)
        var allFrames = promptFrames
        let totalSteps = steps(frames: frames, promptFrames: promptFrames)
        var done = 0
        for window in windows(frames: frames, promptFrames: promptFrames) {
            let prompts = all.map { Self.lastFrames($0, frames: allFrames, codebooks: codebooks, keep: window.prompt) }
            let codes = try generateWindow(text: text, frames: window.new, prompts: prompts, promptFrames: window.prompt,
                                           sampler: sampler, generators: &generators) {
                done += 1
                step(done, totalSteps)
            } check: { try check() }
            // The window's codes are its prompt then its new frames: keep the new ones.
            for index in all.indices {
                all[index] = Self.appendFrames(all[index], frames: allFrames, codes[index], from: window.prompt,
                                               to: window.prompt + window.new, codebooks: codebooks)
            }
            allFrames += window.new
        }
        return all
    }

    /// Bytes of decoder cache one sequence needs for a window (with its unconditional row when guided):
    /// what bounds how many takes can be decoded together.
    public func cacheBytesPerSequence(guided: Bool) -> Int {
        let config = snapshot.config.decoder
        return (guided ? 2 : 1) * 2 * config.numHiddenLayers * config.hiddenSize * (windowFrames + codebooks / channels) * 4
    }

    /// One decoder window for every sequence: `promptFrames` given frames then `frames` new ones, codebook-major.
    private func generateWindow(text: TextStates, frames: Int, prompts: [[Int32]], promptFrames: Int, sampler: TokenSampler,
                                generators: inout [SeededGenerator], step: () -> Void, check: () throws -> Void) throws -> [[Int32]] {
        let pattern = DelayPattern(codebooks: codebooks, channels: channels, frames: promptFrames + frames,
                                   padID: Int32(snapshot.config.decoder.padTokenID))
        let sequences = prompts.count
        let rows = text.batch  // the sequences, then as many unconditional rows when guided
        let vocab = snapshot.config.decoder.vocabSize
        let cache = decoder.start(text: text, maxSteps: pattern.columns)
        var columns: [[[Int32]]] = prompts.map { [pattern.apply(column: 0, predicted: [], prompt: $0, promptFrames: promptFrames)] }
        var input = [Int32](repeating: 0, count: rows * codebooks)
        var predicted = [Int32](repeating: 0, count: codebooks)
        for column in 1..<pattern.columns {
            try check()
            // Each row sees its sequence's previous column (the pattern already applied); an unconditional
            // row the same ids as its conditional one.
            for row in 0..<rows {
                let sequence = row % sequences
                for k in 0..<codebooks { input[row * codebooks + k] = columns[sequence][column - 1][k] }
            }
            var logits = decoder.step(input, cache: cache)
            let needed = (0..<codebooks).contains { k in
                pattern.frame(codebook: k, column: column).map { $0 >= promptFrames } ?? false
            }
            for sequence in 0..<sequences {
                if needed {
                    logits.withUnsafeMutableBufferPointer { all in
                        for k in 0..<codebooks {
                            let offset = (sequence * codebooks + k) * vocab
                            let cond = UnsafeMutableBufferPointer(rebasing: all[offset..<(offset + vocab)])
                            if sampler.usesGuidance {
                                let other = ((sequences + sequence) * codebooks + k) * vocab
                                sampler.guide(cond, unconditional: UnsafeBufferPointer(rebasing: all[other..<(other + vocab)]))
                            }
                            predicted[k] = sampler.draw(cond, using: &generators[sequence])
                        }
                    }
                }
                columns[sequence].append(pattern.apply(column: column, predicted: predicted, prompt: prompts[sequence], promptFrames: promptFrames))
            }
            step()
        }
        return columns.map { pattern.codes(fromColumns: $0) }
    }

    /// The audio of `codes` (codebook-major, `codebooks × frames`): one array per channel at ``sampleRate``.
    /// Stereo checkpoints interleave the channels' codebooks (even = left, odd = right); each channel
    /// decodes on its own.
    public func decode(codes: [Int32], frames: Int) -> [[Float]] {
        precondition(codes.count == codebooks * frames)
        return (0..<channels).map { channel in
            var own = [Int32]()
            own.reserveCapacity(codec.numCodebooks * frames)
            for k in stride(from: channel, to: codebooks, by: channels) {
                own.append(contentsOf: codes[(k * frames)..<((k + 1) * frames)])
            }
            return codec.decode(codes: own, frames: frames)
        }
    }

    /// The codes of audio (one array per channel, at ``sampleRate``), codebook-major in the decoder's
    /// order (stereo interleaved): the prompt for continuing audio that has no codes stored.
    public func encode(channels audio: [[Float]]) -> (codes: [Int32], frames: Int) {
        precondition(audio.count == channels, "\(audio.count) channels for a \(channels)-channel model")
        let encoded = audio.map { codec.encode($0) }
        let frames = encoded.map(\.frames).min() ?? 0
        var codes = [Int32](repeating: 0, count: codebooks * frames)
        for k in 0..<codebooks {
            let channel = k % channels, own = k / channels
            let source = encoded[channel]
            for t in 0..<frames { codes[k * frames + t] = source.codes[own * source.frames + t] }
        }
        return (codes, frames)
    }

    // MARK: Codebook-major arrays

    static func lastFrames(_ codes: [Int32], frames: Int, codebooks: Int, keep: Int) -> [Int32] {
        appendFrames([], frames: 0, codes, from: frames - keep, to: frames, codebooks: codebooks, sourceFrames: frames)
    }

    /// `base` (`codebooks × frames`) with frames `from..<to` of `source` appended to every codebook.
    static func appendFrames(_ base: [Int32], frames: Int, _ source: [Int32], from: Int, to: Int, codebooks: Int,
                             sourceFrames: Int? = nil) -> [Int32] {
        let sourceFrames = sourceFrames ?? source.count / codebooks
        let added = to - from
        var result = [Int32](repeating: 0, count: codebooks * (frames + added))
        for k in 0..<codebooks {
            for t in 0..<frames { result[k * (frames + added) + t] = base[k * frames + t] }
            for t in 0..<added { result[k * (frames + added) + frames + t] = source[k * sourceFrames + from + t] }
        }
        return result
    }
}
