/// How the large matrices of the model are kept in memory, and so how many bytes each decoder step reads.
///
/// Decoding is memory-bound: every step reads every decoder weight once, so halving the bytes nearly
/// doubles the steps per second. Activations, norms, embeddings and the audio codec stay in fp32 whatever
/// the choice; `fp32` gives transformers' results to rounding.
public enum WeightPrecision: String, Sendable, CaseIterable, Codable {
    /// 4 bytes a weight: the reference.
    case fp32
    /// 2 bytes a weight (IEEE half), widened to fp32 as they are read.
    case fp16
    /// 1 byte a weight plus one fp32 scale per output row (symmetric, max-abs), widened as read.
    case int8

    /// Bytes one weight takes (the per-row scales of int8 aside).
    public var bytesPerWeight: Int {
        switch self {
        case .fp32: 4
        case .fp16: 2
        case .int8: 1
        }
    }
}
