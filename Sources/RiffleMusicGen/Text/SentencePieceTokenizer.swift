import CSentencePiece

/// MusicGen's text tokenizer: the checkpoint's SentencePiece model (spiece.model) through Debian's
/// libsentencepiece, giving the ids transformers' T5 tokenizer gives, with `</s>` at the end.
public final class SentencePieceTokenizer: @unchecked Sendable {  // the processor is only read after loading
    private let processor: OpaquePointer
    /// The id appended to every text: `</s>`.
    public let endOfSequence: Int32
    /// How many pieces the model has.
    public let pieceCount: Int

    /// Loads `path`; throws naming the file when it is not a SentencePiece model.
    public init(modelPath path: String) throws(CheckpointError) {
        var error = [CChar](repeating: 0, count: 512)
        guard let loaded = riffle_spm_load(path, &error, error.count) else {
            let reason = String(decoding: error.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
            throw CheckpointError(path, "is not a SentencePiece model: \(reason)")
        }
        let eos = riffle_spm_eos_id(loaded)
        guard eos >= 0 else {
            riffle_spm_free(loaded)
            throw CheckpointError(path, "has no end-of-sequence piece (</s>), which MusicGen's text encoder needs")
        }
        processor = loaded
        endOfSequence = Int32(eos)
        pieceCount = Int(riffle_spm_piece_count(loaded))
    }

    deinit { riffle_spm_free(processor) }

    /// The ids of `text`, then `</s>`: what the T5 encoder reads.
    public func ids(_ text: String) -> [Int32] {
        let utf8 = Array(text.utf8)
        var error = [CChar](repeating: 0, count: 256)
        var ids = [Int32](repeating: 0, count: max(16, utf8.count + 1))
        var count = utf8.withUnsafeBufferPointer { bytes in
            bytes.withMemoryRebound(to: CChar.self) { riffle_spm_encode(processor, $0.baseAddress, $0.count, &ids, ids.count, &error, error.count) }
        }
        if count > ids.count {
            ids = [Int32](repeating: 0, count: count)
            count = utf8.withUnsafeBufferPointer { bytes in
                bytes.withMemoryRebound(to: CChar.self) { riffle_spm_encode(processor, $0.baseAddress, $0.count, &ids, ids.count, &error, error.count) }
            }
        }
        // Encoding valid UTF-8 with a loaded model does not fail; a failure leaves just `</s>`.
        return Array(ids.prefix(max(0, count))) + [endOfSequence]
    }
}
