import Foundation

extension WaveformPeaks {
    /// Frames per bin for the peaks a library stores: 23 ms at 44.1 kHz, finer than a column of any
    /// pane (a 200-column waveform of a 5 s take is 25 ms a column), and 20 bytes a bin.
    public static let storedFramesPerBin = 1024

    /// What went wrong reading stored peaks.
    public struct StorageError: Error, CustomStringConvertible {
        public let description: String
    }

    private static let magic: [UInt8] = Array("RWP1".utf8)
    private static let headerSize = 4 + 3 * 8
    private static let binSize = 4 + 4 + 8 + 4

    /// The peaks in a compact little-endian form: "RWP1", rate, frames, frames per bin (64-bit), then
    /// each bin's min and max (32-bit float), sum of squares (64-bit float) and sample count (32-bit).
    public func encoded() -> Data {
        var data = Data(capacity: Self.headerSize + bins.count * Self.binSize)
        data.append(contentsOf: Self.magic)
        for value in [sampleRate, frameCount, framesPerBin] { append(UInt64(value), to: &data) }
        for bin in bins {
            append(bin.min.bitPattern, to: &data)
            append(bin.max.bitPattern, to: &data)
            append(bin.sumOfSquares.bitPattern, to: &data)
            append(UInt32(clamping: bin.sampleCount), to: &data)
        }
        return data
    }

    /// Reads peaks written by ``encoded()``; throws for anything else or a cut-off copy.
    public init(encoded data: Data) throws(StorageError) {
        let bytes = [UInt8](data)
        guard bytes.count >= Self.headerSize, Array(bytes[0..<4]) == Self.magic,
              (bytes.count - Self.headerSize) % Self.binSize == 0 else {
            throw StorageError(description: "stored waveform peaks are damaged (\(bytes.count) bytes)")
        }
        func read<T: FixedWidthInteger>(_ type: T.Type, at offset: Int) -> T {
            var value: T = 0
            for index in 0..<MemoryLayout<T>.size { value |= T(bytes[offset + index]) << (8 * index) }
            return value
        }
        let rate = Int(read(UInt64.self, at: 4)), frames = Int(read(UInt64.self, at: 12)), perBin = Int(read(UInt64.self, at: 20))
        guard rate > 0, perBin > 0, frames >= 0 else { throw StorageError(description: "stored waveform peaks have a bad header") }
        let count = (bytes.count - Self.headerSize) / Self.binSize
        var bins: [Bin] = []
        bins.reserveCapacity(count)
        for index in 0..<count {
            let offset = Self.headerSize + index * Self.binSize
            bins.append(Bin(min: Float(bitPattern: read(UInt32.self, at: offset)), max: Float(bitPattern: read(UInt32.self, at: offset + 4)),
                            sumOfSquares: Double(bitPattern: read(UInt64.self, at: offset + 8)),
                            sampleCount: Int(read(UInt32.self, at: offset + 16))))
        }
        self.init(sampleRate: rate, frameCount: frames, framesPerBin: perBin, bins: bins)
    }
}

private func append<T: FixedWidthInteger>(_ value: T, to data: inout Data) {
    withUnsafeBytes(of: value.littleEndian) { data.append(contentsOf: $0) }
}
