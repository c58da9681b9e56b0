/// A fast, seedable random number generator (xoshiro256**), so that a take's seed reproduces it exactly.
///
/// In the core because reproducibility is every engine's promise, not only the Composer's.
/// The system generator cannot be seeded, and a take must come out bit-identical from the same
/// request and seed on the same build. The 64-bit seed is spread over the 256-bit state with
/// SplitMix64, as xoshiro's authors recommend, so neighbouring seeds (variation i uses seed + i)
/// start far apart.
public struct SeededGenerator: RandomNumberGenerator, Sendable {
    private var state: (UInt64, UInt64, UInt64, UInt64)

    public init(seed: Int64) {
        var spreader = UInt64(bitPattern: seed)
        func splitMix() -> UInt64 {
            spreader &+= 0x9E37_79B9_7F4A_7C15
            var z = spreader
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        state = (splitMix(), splitMix(), splitMix(), splitMix())
    }

    public mutating func next() -> UInt64 {
        let result = rotateLeft(state.1 &* 5, 7) &* 9
        let shifted = state.1 << 17
        state.2 ^= state.0
        state.3 ^= state.1
        state.1 ^= state.2
        state.0 ^= state.3
        state.2 ^= shifted
        state.3 = rotateLeft(state.3, 45)
        return result
    }

    /// A uniform double in [0, 1) from the top 53 bits.
    public mutating func nextUnit() -> Double {
        Double(next() >> 11) * 0x1.0p-53
    }

    private func rotateLeft(_ value: UInt64, _ amount: UInt64) -> UInt64 {
        (value << amount) | (value >> (64 - amount))
    }
}
