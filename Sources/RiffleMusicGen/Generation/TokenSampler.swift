import Foundation
import RiffleCore

/// How the next token of each codebook is drawn from the decoder's logits, as transformers' MusicGen
/// `generate` does it: classifier-free guidance, then temperature, top-k and top-p, then a draw.
public struct TokenSampler: Sendable {
    /// `uncond + g·(cond − uncond)`; 1 turns guidance off (no unconditional rows are run at all).
    public var guidanceScale: Float
    public var temperature: Float
    /// Keep the k likeliest; 0 keeps all. 1 is greedy: the draw always takes the likeliest.
    public var topK: Int
    /// Keep the likeliest whose probabilities sum to p; 0 (or 1) keeps all.
    public var topP: Float

    public init(guidanceScale: Float, temperature: Float, topK: Int, topP: Float) {
        self.guidanceScale = guidanceScale
        self.temperature = temperature
        self.topK = topK
        self.topP = topP
    }

    /// Whether the decoder must run the unconditional rows too.
    public var usesGuidance: Bool { guidanceScale != 1 }

    /// The guided logits of one row: `uncond + g·(cond − uncond)` written into `cond`.
    @inline(__always)
    public func guide(_ cond: UnsafeMutableBufferPointer<Float>, unconditional: UnsafeBufferPointer<Float>) {
        for index in cond.indices {
            cond[index] = unconditional[index] + guidanceScale * (cond[index] - unconditional[index])
        }
    }

    /// Draws one token from `logits` (already guided). Ties go to the lower id, as `argmax` and
    /// `topk` do in PyTorch on the CPU, so greedy decoding follows transformers exactly.
    public func draw(_ logits: UnsafeMutableBufferPointer<Float>, using generator: inout SeededGenerator) -> Int32 {
        let count = logits.count
        if topK == 1 || temperature <= 0 { return Int32(argmax(logits)) }
        // Candidates, likeliest first (a stable order: equal logits keep the lower id first).
        var order = Array(0..<count)
        order.sort { logits[$0] != logits[$1] ? logits[$0] > logits[$1] : $0 < $1 }
        var kept = topK > 0 ? min(topK, count) : count
        let best = logits[order[0]] / temperature
        var weights = [Double](repeating: 0, count: kept)
        var total = 0.0
        for rank in 0..<kept {
            let weight = Double(exp(logits[order[rank]] / temperature - best))
            weights[rank] = weight
            total += weight
        }
        if topP > 0, topP < 1 {
            // transformers' TopPLogitsWarper drops the tokens whose cumulative probability, counted from the
            // least likely, stays at or under 1 − p; the likeliest always survives.
            var cumulative = 0.0
            var cut = kept
            for rank in 0..<kept {
                cumulative += weights[rank] / total
                if cumulative >= Double(topP) { cut = rank + 1; break }
            }
            kept = max(cut, 1)
            total = weights[0..<kept].reduce(0, +)
        }
        let target = generator.nextUnit() * total
        var cumulative = 0.0
        for rank in 0..<kept {
            cumulative += weights[rank]
            if target < cumulative { return Int32(order[rank]) }
        }
        return Int32(order[kept - 1])
    }

    @inline(__always)
    private func argmax(_ logits: UnsafeMutableBufferPointer<Float>) -> Int {
        var best = 0
        for index in 1..<logits.count where logits[index] > logits[best] { best = index }
        return best
    }
}
