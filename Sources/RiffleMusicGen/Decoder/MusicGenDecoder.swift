import Foundation

/// MusicGen's decoder LM (`decoder.*`): per-codebook embeddings summed with a sinusoidal position, pre-LN
/// layers of self-attention (KV cache), cross-attention to the text and a GELU feed-forward, a final
/// LayerNorm, and one LM head per codebook. It decodes one step at a time for all rows together.
public final class MusicGenDecoder: @unchecked Sendable {  // immutable after init; steps mutate only their cache
    public let config: MusicGenDecoderConfig
    /// How the weights are kept; fp16 and int8 also keep the self-attention cache in half precision.
    public let precision: WeightPrecision
    private let embeddings: [Embedding]
    private let layers: [DecoderLayer]
    private let finalNorm: LayerNorm
    /// The codebooks' LM heads stacked into one layer (K·vocab outputs), so that one product gives the
    /// logits already in the rows × K × vocab order `step` returns.
    private let heads: Linear
    private let attentionScale: Float

    /// Loads the decoder from `snapshot`; a missing or misshapen tensor is a CheckpointError naming it.
    public convenience init(snapshot: ModelSnapshot, precision: WeightPrecision = .fp32) throws {
        try self.init(source: snapshot, config: snapshot.config.decoder, precision: precision)
    }

    init(source: TensorSource, config: MusicGenDecoderConfig, precision: WeightPrecision) throws {
        let h = config.hiddenSize, k = config.numCodebooks, vocab = config.vocabSize
        guard config.numAttentionHeads > 0, h % config.numAttentionHeads == 0 else {
            throw CheckpointError(source.sourcePath, "decoder.hidden_size \(h) is not a multiple of num_attention_heads \(config.numAttentionHeads)")
        }
        self.config = config
        self.precision = precision
        let prefix = "decoder.model.decoder."
        // vocab + 1 rows: the last is the pad/bos id the delay pattern and the first step use.
        embeddings = try (0..<k).map { try Embedding(source, "\(prefix)embed_tokens.\($0).weight", count: vocab + 1, dimension: h) }
        layers = try (0..<config.numHiddenLayers).map {
            try DecoderLayer(source: source, prefix: "\(prefix)layers.\($0).", config: config, precision: precision)
        }
        finalNorm = try LayerNorm(source, "\(prefix)layer_norm", size: h)
        var stacked: [Float] = []
        stacked.reserveCapacity(k * vocab * h)
        for codebook in 0..<k { stacked += try source.floats("decoder.lm_heads.\(codebook).weight", shape: [vocab, h]) }
        heads = Linear(weight: stacked, bias: nil, outFeatures: k * vocab, inFeatures: h, precision: precision)
        attentionScale = Float(pow(Double(h / config.numAttentionHeads), -0.5))
    }

    /// Bytes of weights kept (for memory reporting).
    public var weightBytes: Int {
        let floats = embeddings.reduce(0) { $0 + $1.table.count } + finalNorm.parameterCount
        return floats * MemoryLayout<Float>.size + layers.reduce(0) { $0 + $1.weightBytes } + heads.weightBytes
    }

    /// Starts decoding text.batch rows: computes cross-attention keys/values once; reserves self-attention cache for maxSteps.
    public func start(text: TextStates, maxSteps: Int) -> DecoderCache {
        precondition(text.hidden == config.hiddenSize, "MusicGenDecoder: text states of width \(text.hidden), the decoder needs \(config.hiddenSize)")
        let crossCount = (0..<text.batch).map { row in
            (0..<text.length).reduce(0) { $0 + (text.mask[row * text.length + $1] != 0 ? 1 : 0) }
        }
        // fp16 and int8 keep their keys and values in half precision too; fp32 stays exact.
        let cache = DecoderCache(owner: ObjectIdentifier(self), config: config, rows: text.batch, capacity: maxSteps,
                                 textLength: text.length, crossCount: crossCount, half: precision != .fp32)
        for (index, layer) in layers.enumerated() { layer.storeCrossKeysValues(text, layer: index, cache: cache) }
        return cache
    }

    /// One step for every row: ids = rows × numCodebooks (row-major), returns rows × numCodebooks × vocabSize logits; extends the cache by one position.
    ///
    /// Row r's codebook k id is `ids[r·K + k]` and its logits start at `(r·K + k)·vocabSize`: the order of
    /// transformers' `(batch·K, …)` tensors. Ids run 0…vocabSize (vocabSize is the pad/bos id).
    public func step(_ ids: [Int32], cache: DecoderCache) -> [Float] {
        precondition(cache.owner == ObjectIdentifier(self), "MusicGenDecoder.step: a cache another decoder started")
        precondition(cache.length < cache.capacity, "MusicGenDecoder.step: the cache is full (\(cache.capacity) steps)")
        let k = config.numCodebooks, h = config.hiddenSize, rows = cache.rows
        precondition(ids.count == rows * k, "MusicGenDecoder.step: \(ids.count) ids for \(rows) rows × \(k) codebooks")

        let state = cache.state.pointer
        state.update(repeating: 0, count: rows * h)
        ids.withUnsafeBufferPointer { ids in
            for row in 0..<rows {
                for codebook in 0..<k { embeddings[codebook].add(Int(ids[row * k + codebook]), to: state + row * h) }
            }
        }
        // No embedding scale even when scale_embedding is set: transformers computes embed_scale but never
        // applies it. The same position for every codebook and row: the number of steps already taken.
        SinusoidalPositions.fill(position: cache.length, dimension: h, into: cache.position.pointer)
        for row in 0..<rows {
            let x = state + row * h
            for i in 0..<h { x[i] += cache.position.pointer[i] }
        }

        for (index, layer) in layers.enumerated() { layer.step(layer: index, cache: cache, scale: attentionScale) }
        finalNorm.apply(state, rows: rows, into: cache.normed.pointer)
        let count = rows * k * config.vocabSize
        let logits = [Float](unsafeUninitializedCapacity: count) { buffer, initialized in
            heads.apply(cache.normed.pointer, rows: rows, into: buffer.baseAddress!)
            initialized = count
        }
        cache.length += 1
        return logits
    }
}
