/// Text states the decoder cross-attends to: T5 output → enc_to_dec_proj (when sizes differ) → × mask.
///
/// Positions whose mask is 0 (padding) are zero here and are excluded from cross-attention, as
/// transformers excludes them with an additive −∞.
public struct TextStates: Sendable {
    public var batch: Int, length: Int, hidden: Int     // hidden = decoder hidden size
    public var states: [Float]                          // batch × length × hidden, already multiplied by mask
    public var mask: [Float]                            // batch × length, 1 or 0

    public init(batch: Int, length: Int, hidden: Int, states: [Float], mask: [Float]) {
        precondition(states.count == batch * length * hidden, "TextStates: \(states.count) states for \(batch)×\(length)×\(hidden)")
        precondition(mask.count == batch * length, "TextStates: \(mask.count) mask values for \(batch)×\(length)")
        self.batch = batch
        self.length = length
        self.hidden = hidden
        self.states = states
        self.mask = mask
    }

    /// These rows followed by the same number of unconditional rows (zero states, zero mask): the guidance batch [cond; uncond].
    ///
    /// As transformers' generate with guidance: an unconditional row attends to no text at all, so its
    /// cross-attention contributes exactly zero.
    public func withUnconditionalRows() -> TextStates {
        TextStates(batch: batch * 2, length: length, hidden: hidden,
                   states: states + [Float](repeating: 0, count: states.count),
                   mask: mask + [Float](repeating: 0, count: mask.count))
    }

    /// Every row repeated `count` times in order (row 0 × count, then row 1 …): one prompt for a batch of takes.
    public func repeatingRows(_ count: Int) -> TextStates {
        guard count != 1 else { return self }
        let stride = length * hidden
        var repeatedStates: [Float] = [], repeatedMask: [Float] = []
        repeatedStates.reserveCapacity(states.count * count)
        repeatedMask.reserveCapacity(mask.count * count)
        for row in 0..<batch {
            for _ in 0..<count {
                repeatedStates.append(contentsOf: states[(row * stride)..<((row + 1) * stride)])
                repeatedMask.append(contentsOf: mask[(row * length)..<((row + 1) * length)])
            }
        }
        return TextStates(batch: batch * count, length: length, hidden: hidden, states: repeatedStates, mask: repeatedMask)
    }
}
