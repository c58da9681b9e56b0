/// MusicGen's text side: the T5 encoder and `enc_to_dec_proj`, turning token ids into the `TextStates`
/// the decoder cross-attends to.
public final class TextConditioner: @unchecked Sendable {  // immutable after init
    private let encoder: T5Encoder
    /// `enc_to_dec_proj`: present when T5's d_model differs from the decoder's hidden size (768 → 1024 in
    /// musicgen-small), absent otherwise, as transformers decides.
    private let projection: Linear?
    private let hidden: Int

    /// Loads T5 (`text_encoder.*`) and `enc_to_dec_proj` from `snapshot`; a missing or misshapen tensor is a
    /// CheckpointError naming it.
    public init(snapshot: ModelSnapshot, precision: WeightPrecision = .fp32) throws {
        let config = snapshot.config
        encoder = try T5Encoder(source: snapshot, config: config.textEncoder, precision: precision)
        hidden = config.decoder.hiddenSize
        projection = config.textEncoder.dModel == hidden ? nil
            : try snapshot.linear("enc_to_dec_proj", bias: true, inFeatures: config.textEncoder.dModel, outFeatures: hidden, precision: precision)
    }

    /// Bytes of weights kept (for memory reporting).
    public var weightBytes: Int { encoder.weightBytes + (projection?.weightBytes ?? 0) }

    /// Encodes token-id sequences (each already ending in </s>), padding with pad id 0 to the longest, mask 0 there.
    public func encode(_ prompts: [[Int32]]) -> TextStates {
        let (ids, mask, length) = padded(prompts)
        var states = encoder.encode(ids: ids, mask: mask, batch: prompts.count, length: length)
        let rows = prompts.count * length
        if let projection { states = projection.apply(states, rows: rows) }
        // × mask, as transformers does before the decoder: padding becomes zeros (and stays excluded).
        for row in 0..<rows where mask[row] == 0 {
            for i in row * hidden..<(row + 1) * hidden { states[i] = 0 }
        }
        return TextStates(batch: prompts.count, length: length, hidden: hidden, states: states, mask: mask)
    }

    /// T5 last_hidden_state (batch × length × d_model, the same padding as `encode`), for tests.
    public func encoderOutput(_ prompts: [[Int32]]) -> [Float] {
        let (ids, mask, length) = padded(prompts)
        return encoder.encode(ids: ids, mask: mask, batch: prompts.count, length: length)
    }

    private func padded(_ prompts: [[Int32]]) -> (ids: [Int32], mask: [Float], length: Int) {
        precondition(!prompts.isEmpty, "TextConditioner: no prompts")
        precondition(prompts.allSatisfy { !$0.isEmpty }, "TextConditioner: an empty id sequence (a tokenized prompt ends in </s> at least)")
        let length = prompts.map(\.count).max()!
        var ids = [Int32](repeating: Int32(encoder.config.padTokenID), count: prompts.count * length)
        var mask = [Float](repeating: 0, count: prompts.count * length)
        for (item, prompt) in prompts.enumerated() {
            for (position, id) in prompt.enumerated() {
                ids[item * length + position] = id
                mask[item * length + position] = 1
            }
        }
        return (ids, mask, length)
    }
}
