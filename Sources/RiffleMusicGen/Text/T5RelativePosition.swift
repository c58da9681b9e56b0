import Foundation

/// T5's relative position buckets for the (bidirectional) encoder, as transformers'
/// `T5Attention._relative_position_bucket` computes them.
enum T5RelativePosition {
    /// The bucket of `relative` = key position − query position.
    ///
    /// Half the buckets are for keys after the query. Within a half, distances below a quarter of the buckets
    /// are exact; larger ones are logarithmic up to `maxDistance`, beyond which they share the last bucket.
    /// The logarithm is taken in Float, like torch's float32 tensors, so that distances landing on a bucket
    /// boundary (16, 32, 64 with the usual 32 buckets) truncate to the same bucket.
    static func bucket(_ relative: Int, buckets: Int, maxDistance: Int) -> Int {
        let half = buckets / 2
        var result = relative > 0 ? half : 0
        let distance = abs(relative)
        let maxExact = half / 2
        if distance < maxExact { return result + distance }
        let ratio = Float(distance) / Float(maxExact)
        let scaled = logf(ratio) / Float(log(Double(maxDistance) / Double(maxExact))) * Float(half - maxExact)
        result += min(maxExact + Int(scaled), half - 1)
        return result
    }

    /// The additive bias of every (query i, key j) pair for each head: `heads × length × length`, from the
    /// `buckets × heads` table of block 0's `relative_attention_bias`.
    static func bias(table: [Float], heads: Int, length: Int, buckets: Int, maxDistance: Int) -> [Float] {
        var result = [Float](repeating: 0, count: heads * length * length)
        // One bucket per distance: there are only 2·length − 1 of them.
        let bucketOf = (-(length - 1)..<length).map { bucket($0, buckets: buckets, maxDistance: maxDistance) }
        for head in 0..<heads {
            for i in 0..<length {
                for j in 0..<length {
                    result[(head * length + i) * length + j] = table[bucketOf[j - i + length - 1] * heads + head]
                }
            }
        }
        return result
    }
}
