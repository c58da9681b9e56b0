/// What one decoding run keeps between steps: every layer's self-attention keys and values (room for
/// `capacity` steps, allocated once), the cross-attention keys and values of the text (computed once by
/// `MusicGenDecoder.start`), and the scratch buffers a step works in, so that a step allocates nothing but
/// the logits it returns.
///
/// A cache belongs to the decoder that started it and is used by one task at a time.
public final class DecoderCache {
    /// Rows decoded together (2 per prompt with guidance: [cond; uncond]).
    public let rows: Int
    /// Steps the cache has room for.
    public let capacity: Int
    /// Steps taken so far: the position the next step's ids are at.
    public internal(set) var length = 0

    let owner: ObjectIdentifier
    let layers: Int, heads: Int, headDim: Int, hidden: Int
    /// Text positions: the padded length; each row keeps only its unmasked ones, `crossCount[row]` of them.
    let textLength: Int
    let crossCount: [Int]

    // Keys and values, layer × row × head × position × headDim: one head's keys are contiguous, so attending
    // over them is one matrix–vector product with unit stride. In fp32 (`selfKeys`, `selfValues`), or in half
    // precision (`halfKeys`, `halfValues`) when `half`; the other pair is empty.
    let half: Bool
    let selfKeys: FloatBuffer, selfValues: FloatBuffer
    let halfKeys: HalfBuffer, halfValues: HalfBuffer
    let crossKeys: FloatBuffer, crossValues: FloatBuffer

    // Scratch, rows × hidden (ffn: rows × ffnDim; scores: the longest key list).
    let state: FloatBuffer, normed: FloatBuffer, query: FloatBuffer, key: FloatBuffer, value: FloatBuffer
    let context: FloatBuffer, projected: FloatBuffer, ffn: FloatBuffer, scores: FloatBuffer, position: FloatBuffer

    init(owner: ObjectIdentifier, config: MusicGenDecoderConfig, rows: Int, capacity: Int, textLength: Int, crossCount: [Int],
         half: Bool = false) {
        precondition(rows > 0 && capacity > 0, "DecoderCache: \(rows) rows, \(capacity) steps")
        self.owner = owner
        self.rows = rows
        self.capacity = capacity
        self.textLength = textLength
        self.crossCount = crossCount
        layers = config.numHiddenLayers
        heads = config.numAttentionHeads
        hidden = config.hiddenSize
        headDim = hidden / heads
        // Left uninitialised: a position is written before it is read, and untouched pages cost nothing.
        let cached = layers * rows * hidden * capacity
        self.half = half
        selfKeys = FloatBuffer(count: half ? 0 : cached, zeroed: false)
        selfValues = FloatBuffer(count: half ? 0 : cached, zeroed: false)
        halfKeys = HalfBuffer(count: half ? cached : 0)
        halfValues = HalfBuffer(count: half ? cached : 0)
        crossKeys = FloatBuffer(count: layers * rows * hidden * textLength)
        crossValues = FloatBuffer(count: layers * rows * hidden * textLength)
        let width = rows * hidden
        state = FloatBuffer(count: width)
        normed = FloatBuffer(count: width)
        query = FloatBuffer(count: width)
        key = FloatBuffer(count: width)
        value = FloatBuffer(count: width)
        context = FloatBuffer(count: width)
        projected = FloatBuffer(count: width)
        ffn = FloatBuffer(count: rows * config.ffnDim)
        // One score list per (row, head), so the heads can be attended on both cores at once.
        scores = FloatBuffer(count: rows * heads * max(capacity, textLength))
        position = FloatBuffer(count: hidden)
    }

    /// Where the self-attention keys (or values) of `layer`, `row`, `head` start.
    @inline(__always)
    func selfOffset(layer: Int, row: Int, head: Int) -> Int {
        ((layer * rows + row) * heads + head) * capacity * headDim
    }

    /// Where the cross-attention keys (or values) of `layer`, `row`, `head` start.
    @inline(__always)
    func crossOffset(layer: Int, row: Int, head: Int) -> Int {
        ((layer * rows + row) * heads + head) * textLength * headDim
    }

    /// The score list of attention task `task` (row · heads + head).
    @inline(__always)
    func scores(task: Int) -> UnsafeMutablePointer<Float> {
        scores.pointer + task * max(capacity, textLength)
    }

    /// Bytes the cache holds (keys, values and scratch).
    public var bytes: Int {
        [selfKeys, selfValues, crossKeys, crossValues, state, normed, query, key, value, context, projected, ffn, scores, position]
            .reduce(0) { $0 + $1.count } * MemoryLayout<Float>.size + (halfKeys.count + halfValues.count) * MemoryLayout<UInt16>.size
    }
}
