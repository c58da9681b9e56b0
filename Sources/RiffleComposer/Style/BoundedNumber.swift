import RiffleCore

extension KeyedDecodingContainer {
    /// A number a preset may leave out: `fallback` when the key is absent, and an error naming the
    /// allowed range when the value lies outside it (TOML's integers and floats alike).
    func decodeNumber(forKey key: Key, in range: ClosedRange<Double>, default fallback: Double) throws -> Double {
        guard contains(key) else { return fallback }
        let value = try decodeNumber(forKey: key)
        guard range.contains(value) else {
            throw DecodingError.dataCorruptedError(forKey: key, in: self,
                debugDescription: "\(value) is outside \(range.lowerBound) to \(range.upperBound)")
        }
        return value
    }
}
