/// One MusicGen decoder layer (pre-LayerNorm): x += SelfAttn(LN(x)); x += CrossAttn(LN(x), text);
/// x += fc2(gelu(fc1(LN(x)))). No projection has a bias.
struct DecoderLayer {
    let selfNorm: LayerNorm
    let selfQuery: Linear, selfKey: Linear, selfValue: Linear, selfOut: Linear
    let crossNorm: LayerNorm
    let crossQuery: Linear, crossKey: Linear, crossValue: Linear, crossOut: Linear
    let finalNorm: LayerNorm
    let fc1: Linear, fc2: Linear

    init(source: TensorSource, prefix: String, config: MusicGenDecoderConfig, precision: WeightPrecision) throws {
        let h = config.hiddenSize
        func projection(_ name: String) throws -> Linear {
            try source.linear("\(prefix)\(name)", bias: false, inFeatures: h, outFeatures: h, precision: precision)
        }
        selfNorm = try LayerNorm(source, "\(prefix)self_attn_layer_norm", size: h)
        selfQuery = try projection("self_attn.q_proj")
        selfKey = try projection("self_attn.k_proj")
        selfValue = try projection("self_attn.v_proj")
        selfOut = try projection("self_attn.out_proj")
        crossNorm = try LayerNorm(source, "\(prefix)encoder_attn_layer_norm", size: h)
        crossQuery = try projection("encoder_attn.q_proj")
        crossKey = try projection("encoder_attn.k_proj")
        crossValue = try projection("encoder_attn.v_proj")
        crossOut = try projection("encoder_attn.out_proj")
        finalNorm = try LayerNorm(source, "\(prefix)final_layer_norm", size: h)
        fc1 = try source.linear("\(prefix)fc1", bias: false, inFeatures: h, outFeatures: config.ffnDim, precision: precision)
        fc2 = try source.linear("\(prefix)fc2", bias: false, inFeatures: config.ffnDim, outFeatures: h, precision: precision)
    }

    var weightBytes: Int {
        let linears = [selfQuery, selfKey, selfValue, selfOut, crossQuery, crossKey, crossValue, crossOut, fc1, fc2]
        return linears.reduce(0) { $0 + $1.weightBytes }
            + (selfNorm.parameterCount + crossNorm.parameterCount + finalNorm.parameterCount) * MemoryLayout<Float>.size
    }

    /// Projects the text states (`text.batch × text.length × hidden`) to this layer's cross-attention keys
    /// and values and stores each row's unmasked positions, in order, in `cache`.
    func storeCrossKeysValues(_ text: TextStates, layer: Int, cache: DecoderCache) {
        let positions = text.batch * text.length
        let keys = crossKey.apply(text.states, rows: positions)
        let values = crossValue.apply(text.states, rows: positions)
        let hd = cache.headDim, hidden = cache.hidden
        for row in 0..<text.batch {
            var kept = 0
            for position in 0..<text.length where text.mask[row * text.length + position] != 0 {
                let source = (row * text.length + position) * hidden
                for head in 0..<cache.heads {
                    let target = cache.crossOffset(layer: layer, row: row, head: head) + kept * hd
                    for i in 0..<hd {
                        cache.crossKeys.pointer[target + i] = keys[source + head * hd + i]
                        cache.crossValues.pointer[target + i] = values[source + head * hd + i]
                    }
                }
                kept += 1
            }
        }
    }

    /// Runs this layer on `cache.state` (rows × hidden) at position `cache.length`, appending this
    /// position's self-attention keys and values.
    func step(layer: Int, cache: DecoderCache, scale: Float) {
        let rows = cache.rows, hidden = cache.hidden, heads = cache.heads, hd = cache.headDim
        let state = cache.state.pointer, normed = cache.normed.pointer, query = cache.query.pointer
        let context = cache.context.pointer, projected = cache.projected.pointer
        let position = cache.length

        // Self-attention over positions 0…length (causal by construction: later ones do not exist yet).
        selfNorm.apply(state, rows: rows, into: normed)
        selfQuery.apply(normed, rows: rows, into: query)
        selfKey.apply(normed, rows: rows, into: cache.key.pointer)
        selfValue.apply(normed, rows: rows, into: cache.value.pointer)
        // Every (row, head) on its own score list and its own slice of the context: spread over both cores.
        let shared = AttentionPointers(cache: cache, query: query, context: context)
        KernelThreads.concurrentPerform(iterations: rows * heads) { task in
            let cache = shared.cache  // the closure may cross threads: the cache comes through `shared`
            let row = task / heads, head = task % heads
            let base = cache.selfOffset(layer: layer, row: row, head: head)
            let source = row * hidden + head * hd
            if cache.half {
                HalfAttention.store(cache.key.pointer + source, into: cache.halfKeys.pointer + base + position * hd, count: hd)
                HalfAttention.store(cache.value.pointer + source, into: cache.halfValues.pointer + base + position * hd, count: hd)
                HalfAttention.attend(query: shared.query + source, keys: cache.halfKeys.pointer + base, values: cache.halfValues.pointer + base,
                                     count: position + 1, headDim: hd, scale: scale, scores: cache.scores(task: task), into: shared.context + source)
            } else {
                (cache.selfKeys.pointer + base + position * hd).update(from: cache.key.pointer + source, count: hd)
                (cache.selfValues.pointer + base + position * hd).update(from: cache.value.pointer + source, count: hd)
                Attention.attend(query: shared.query + source, keys: cache.selfKeys.pointer + base, values: cache.selfValues.pointer + base,
                                 count: position + 1, headDim: hd, stride: hd, scale: scale,
                                 scores: cache.scores(task: task), into: shared.context + source)
            }
        }
        selfOut.apply(context, rows: rows, into: projected)
        addInPlace(state, projected, count: rows * hidden)

        // Cross-attention over each row's unmasked text positions; a row with none (unconditional) gets 0,
        // as transformers' does: its states, and so its values, are all zero.
        crossNorm.apply(state, rows: rows, into: normed)
        crossQuery.apply(normed, rows: rows, into: query)
        KernelThreads.concurrentPerform(iterations: rows * heads) { task in
            let row = task / heads, head = task % heads
            let base = shared.cache.crossOffset(layer: layer, row: row, head: head)
            let source = row * hidden + head * hd
            Attention.attend(query: shared.query + source, keys: shared.cache.crossKeys.pointer + base, values: shared.cache.crossValues.pointer + base,
                             count: shared.cache.crossCount[row], headDim: hd, stride: hd, scale: scale,
                             scores: shared.cache.scores(task: task), into: shared.context + source)
        }
        crossOut.apply(context, rows: rows, into: projected)
        addInPlace(state, projected, count: rows * hidden)

        // Feed-forward.
        finalNorm.apply(state, rows: rows, into: normed)
        fc1.apply(normed, rows: rows, into: cache.ffn.pointer)
        Activation.gelu(cache.ffn.pointer, count: rows * fc1.outFeatures)
        fc2.apply(cache.ffn.pointer, rows: rows, into: projected)
        addInPlace(state, projected, count: rows * hidden)
    }
}

/// What the attention tasks share: each writes only its own head's slice of the context and cache, so the
/// pointers may cross threads.
private struct AttentionPointers: @unchecked Sendable {
    let cache: DecoderCache
    let query: UnsafeMutablePointer<Float>
    let context: UnsafeMutablePointer<Float>
}

@inline(__always)
func addInPlace(_ target: UnsafeMutablePointer<Float>, _ delta: UnsafePointer<Float>, count: Int) {
    for i in 0..<count { target[i] += delta[i] }
}
