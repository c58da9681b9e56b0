/// Activations between the codec's layers: `channels` rows of `length` samples, channel-major (PyTorch's
/// (channels, time) for one batch item), so a row is contiguous and a time window is a strided BLAS matrix.
struct CodecSignal {
    var channels: Int
    var length: Int
    var values: [Float]

    init(channels: Int, length: Int, values: [Float]) {
        precondition(values.count == channels * length, "CodecSignal: \(values.count) values for \(channels)×\(length)")
        self.channels = channels
        self.length = length
        self.values = values
    }

    /// Every row filled with its channel's value: the bias a layer's products then accumulate onto.
    init(channels: Int, length: Int, rowValues: [Float]) {
        precondition(rowValues.count == channels, "CodecSignal: \(rowValues.count) row values for \(channels) channels")
        self.channels = channels
        self.length = length
        values = [Float](unsafeUninitializedCapacity: channels * length) { buffer, initialized in
            for channel in 0..<channels {
                (buffer.baseAddress! + channel * length).initialize(repeating: rowValues[channel], count: length)
            }
            initialized = channels * length
        }
    }
}
