import Testing
@testable import RiffleMusicGen

@Suite("the half-precision key/value cache of fp16 and int8 decoding")
struct HalfCacheTests {
    @Test("attention over half keys and values equals fp32 attention over the same values rounded to half", arguments: [16, 64, 24])
    func attention(headDim: Int) {
        var generator = SystemRandomNumberGenerator()
        let count = 77
        let query = (0..<headDim).map { _ in Float.random(in: -1...1, using: &generator) }
        // Values that are exactly representable in half, so both paths see the same numbers.
        let keys = (0..<(count * headDim)).map { _ in Float(Float16(Float.random(in: -2...2, using: &generator))) }
        let values = (0..<(count * headDim)).map { _ in Float(Float16(Float.random(in: -2...2, using: &generator))) }
        var halfKeys = [UInt16](repeating: 0, count: keys.count), halfValues = halfKeys
        keys.withUnsafeBufferPointer { HalfAttention.store($0.baseAddress!, into: &halfKeys, count: keys.count) }
        values.withUnsafeBufferPointer { HalfAttention.store($0.baseAddress!, into: &halfValues, count: values.count) }
        #expect(halfKeys.map { Float(Float16(bitPattern: $0)) } == keys)

        var scores = [Float](repeating: 0, count: count)
        var expected = [Float](repeating: 0, count: headDim), actual = expected
        Attention.attend(query: query, keys: keys, values: values, count: count, headDim: headDim, stride: headDim, scale: 0.125,
                         scores: &scores, into: &expected)
        HalfAttention.attend(query: query, keys: halfKeys, values: halfValues, count: count, headDim: headDim, scale: 0.125,
                             scores: &scores, into: &actual)
        for (a, e) in zip(actual, expected) { #expect(abs(a - e) <= 1e-5 * max(1, abs(e)), "\(a) against \(e)") }
    }

    @Test("an fp16 decoder keeps half the cache bytes and its logits stay within half rounding of fp32's")
    func decoder() throws {
        let fixture = try ReferenceFixture("tiny-mono")
        let conditioner = try TextConditioner(snapshot: fixture.snapshot)
        let text = conditioner.encode([[5, 6, 7, 1]]).withUnconditionalRows()
        let exact = try MusicGenDecoder(snapshot: fixture.snapshot, precision: .fp32)
        let half = try MusicGenDecoder(snapshot: fixture.snapshot, precision: .fp16)
        let exactCache = exact.start(text: text, maxSteps: 40), halfCache = half.start(text: text, maxSteps: 40)
        #expect(halfCache.half && !exactCache.half)
        let keyValueBytes = 2 * 2 * 48 * 2 * 40  // layers × rows × hidden × (keys, values) × steps
        #expect(exactCache.bytes - halfCache.bytes == keyValueBytes * 4 - keyValueBytes * 2)
        var worst: Float = 0, largest: Float = 0
        for step in 0..<40 {
            let ids = (0..<8).map { Int32(($0 * 7 + step * 13) % 64) }
            let a = exact.step(ids, cache: exactCache), b = half.step(ids, cache: halfCache)
            worst = max(worst, zip(a, b).map { abs($0 - $1) }.max() ?? 0)
            largest = max(largest, a.map(abs).max() ?? 0)
        }
        #expect(worst > 0, "the half path was not taken")
        #expect(worst < 0.01 * largest, "largest difference \(worst) against logits up to \(largest)")
    }
}
