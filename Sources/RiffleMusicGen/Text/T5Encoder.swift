/// The T5 encoder stack of a MusicGen checkpoint (`text_encoder.*`): embeddings, pre-RMSNorm blocks of
/// self-attention with a relative position bias and a ReLU feed-forward, then a final RMSNorm.
///
/// As transformers' T5: the scores are not scaled by 1/√d_kv (T5 folds that into its weights), and only
/// block 0 holds `relative_attention_bias`; every block adds that same bias.
final class T5Encoder: @unchecked Sendable {  // immutable after init
    let config: T5Config
    private let embedding: Embedding
    private let relativeBias: [Float]  // buckets × heads
    private let blocks: [T5Block]
    private let finalNorm: RMSNorm

    init(source: TensorSource, config: T5Config, precision: WeightPrecision) throws {
        guard config.feedForwardProj == "relu" else {
            throw CheckpointError(source.sourcePath, "text_encoder.feed_forward_proj is \(config.feedForwardProj); only T5's relu feed-forward (MusicGen's) is supported")
        }
        self.config = config
        let prefix = "text_encoder."
        let shared = source.tensor(named: "\(prefix)shared.weight") != nil ? "\(prefix)shared.weight" : "\(prefix)encoder.embed_tokens.weight"
        embedding = try Embedding(source, shared, count: config.vocabSize, dimension: config.dModel)
        relativeBias = try source.floats("\(prefix)encoder.block.0.layer.0.SelfAttention.relative_attention_bias.weight",
                                         shape: [config.relativeAttentionNumBuckets, config.numHeads])
        blocks = try (0..<config.numLayers).map {
            try T5Block(source: source, prefix: "\(prefix)encoder.block.\($0).", config: config, precision: precision)
        }
        finalNorm = try RMSNorm(source, "\(prefix)encoder.final_layer_norm", size: config.dModel, epsilon: Float(config.layerNormEpsilon))
    }

    /// Bytes of weights kept.
    var weightBytes: Int {
        let floats = embedding.table.count + relativeBias.count + finalNorm.weight.count
            + blocks.reduce(0) { $0 + $1.attentionNorm.weight.count + $1.feedForwardNorm.weight.count }
        return floats * MemoryLayout<Float>.size + blocks.reduce(0) { $0 + $1.linearBytes }
    }

    /// The last hidden state (`batch × length × d_model`) of `ids` (`batch × length`, padded) where `mask`
    /// (`batch × length`, 1 or 0) says which keys may be attended to. Padded positions are computed too,
    /// as transformers does: they attend to the real tokens of their row.
    func encode(ids: [Int32], mask: [Float], batch: Int, length: Int) -> [Float] {
        precondition(ids.count == batch * length && mask.count == batch * length, "T5: ids and mask must be batch × length")
        let d = config.dModel, rows = batch * length
        var hidden = [Float](repeating: 0, count: rows * d)
        hidden.withUnsafeMutableBufferPointer { h in
            for (index, id) in ids.enumerated() {
                precondition(id >= 0 && Int(id) < config.vocabSize, "T5: token id \(id) outside 0..<\(config.vocabSize)")
                embedding.add(Int(id), to: h.baseAddress! + index * d)
            }
        }
        let bias = T5RelativePosition.bias(table: relativeBias, heads: config.numHeads, length: length,
                                           buckets: config.relativeAttentionNumBuckets,
                                           maxDistance: config.relativeAttentionMaxDistance)
        for block in blocks { block.apply(&hidden, batch: batch, length: length, positionBias: bias, mask: mask) }
        hidden.withUnsafeMutableBufferPointer { finalNorm.apply($0.baseAddress!, rows: rows, into: $0.baseAddress!) }
        return hidden
    }
}

/// One T5 encoder block: x += SelfAttention(RMSNorm(x)); x += wo(relu(wi(RMSNorm(x)))).
struct T5Block {
    let attentionNorm: RMSNorm
    let q: Linear, k: Linear, v: Linear, o: Linear
    let feedForwardNorm: RMSNorm
    let wi: Linear, wo: Linear
    let heads: Int, headDim: Int

    init(source: TensorSource, prefix: String, config: T5Config, precision: WeightPrecision) throws {
        let d = config.dModel, inner = config.numHeads * config.dKV, eps = Float(config.layerNormEpsilon)
        let attention = "\(prefix)layer.0.SelfAttention."
        attentionNorm = try RMSNorm(source, "\(prefix)layer.0.layer_norm", size: d, epsilon: eps)
        q = try source.linear("\(attention)q", bias: false, inFeatures: d, outFeatures: inner, precision: precision)
        k = try source.linear("\(attention)k", bias: false, inFeatures: d, outFeatures: inner, precision: precision)
        v = try source.linear("\(attention)v", bias: false, inFeatures: d, outFeatures: inner, precision: precision)
        o = try source.linear("\(attention)o", bias: false, inFeatures: inner, outFeatures: d, precision: precision)
        feedForwardNorm = try RMSNorm(source, "\(prefix)layer.1.layer_norm", size: d, epsilon: eps)
        wi = try source.linear("\(prefix)layer.1.DenseReluDense.wi", bias: false, inFeatures: d, outFeatures: config.dFF, precision: precision)
        wo = try source.linear("\(prefix)layer.1.DenseReluDense.wo", bias: false, inFeatures: config.dFF, outFeatures: d, precision: precision)
        heads = config.numHeads
        headDim = config.dKV
    }

    var linearBytes: Int { [q, k, v, o, wi, wo].reduce(0) { $0 + $1.weightBytes } }

    func apply(_ hidden: inout [Float], batch: Int, length: Int, positionBias: [Float], mask: [Float]) {
        let rows = batch * length, d = attentionNorm.weight.count
        var normed = [Float](repeating: 0, count: rows * d)
        hidden.withUnsafeBufferPointer { x in
            normed.withUnsafeMutableBufferPointer { attentionNorm.apply(x.baseAddress!, rows: rows, into: $0.baseAddress!) }
        }
        let context = attention(q.apply(normed, rows: rows), k.apply(normed, rows: rows), v.apply(normed, rows: rows),
                                batch: batch, length: length, positionBias: positionBias, mask: mask)
        add(o.apply(context, rows: rows), to: &hidden)

        hidden.withUnsafeBufferPointer { x in
            normed.withUnsafeMutableBufferPointer { feedForwardNorm.apply(x.baseAddress!, rows: rows, into: $0.baseAddress!) }
        }
        var inner = wi.apply(normed, rows: rows)
        inner.withUnsafeMutableBufferPointer { Activation.relu($0.baseAddress!, count: $0.count) }
        add(wo.apply(inner, rows: rows), to: &hidden)
    }

    /// softmax(Q·Kᵀ + bias, keys with mask 0 excluded)·V per item and head; heads stay interleaved in each
    /// row (`rows × heads·headDim`), which the strides of the matrix products take care of.
    private func attention(_ query: [Float], _ key: [Float], _ value: [Float], batch: Int, length: Int,
                           positionBias: [Float], mask: [Float]) -> [Float] {
        let inner = heads * headDim
        var context = [Float](repeating: 0, count: batch * length * inner)
        var scores = [Float](repeating: 0, count: length * length)
        query.withUnsafeBufferPointer { q in
        key.withUnsafeBufferPointer { k in
        value.withUnsafeBufferPointer { v in
        context.withUnsafeMutableBufferPointer { c in
        scores.withUnsafeMutableBufferPointer { s in
            for item in 0..<batch {
                for head in 0..<heads {
                    let offset = item * length * inner + head * headDim
                    // S = Q_h · K_hᵀ, unscaled.
                    sgemm(transposeB: true, m: length, n: length, k: headDim, a: q.baseAddress! + offset, lda: inner,
                          b: k.baseAddress! + offset, ldb: inner, beta: 0, c: s.baseAddress!, ldc: length)
                    for i in 0..<length {
                        let row = s.baseAddress! + i * length
                        for j in 0..<length {
                            // transformers adds the dtype's minimum for masked keys: their weight underflows to 0.
                            row[j] = mask[item * length + j] == 0 ? -.infinity : row[j] + positionBias[(head * length + i) * length + j]
                        }
                        Attention.softmax(row, count: length)
                    }
                    sgemm(m: length, n: headDim, k: length, a: s.baseAddress!, lda: length,
                          b: v.baseAddress! + offset, ldb: inner, beta: 0, c: c.baseAddress! + offset, ldc: inner)
                }
            }
        }}}}}
        return context
    }

    private func add(_ delta: [Float], to hidden: inout [Float]) {
        for i in hidden.indices { hidden[i] += delta[i] }
    }
}
