import RiffleEngine

/// A take's waveform in summary: min, max and energy per short bin, computed in one pass over the
/// samples and re-binned to any number of columns without touching the samples again.
///
/// Channels are folded together (the lowest min, the highest max, the energy of all), which is what a
/// single waveform lane shows. Bins of 256 frames keep 5.8 ms of detail at 44.1 kHz: a 5-minute take
/// needs about 52,000 bins, 1.2 MB.
public struct WaveformPeaks: Sendable, Equatable {
    /// One fine bin's statistics.
    public struct Bin: Sendable, Equatable {
        public var min: Float
        public var max: Float
        /// Sum of the squares of every sample in the bin, all channels.
        public var sumOfSquares: Double
        /// Samples in the bin, all channels.
        public var sampleCount: Int

        public init(min: Float, max: Float, sumOfSquares: Double, sampleCount: Int) {
            self.min = min
            self.max = max
            self.sumOfSquares = sumOfSquares
            self.sampleCount = sampleCount
        }
    }

    /// One column of a drawing: the range the signal covers and its RMS level.
    public struct Column: Sendable, Equatable {
        public var min: Float
        public var max: Float
        public var rms: Float

        public static let silent = Column(min: 0, max: 0, rms: 0)
    }

    public let sampleRate: Int
    public let frameCount: Int
    public let framesPerBin: Int
    public let bins: [Bin]
    /// The largest absolute sample value, found once here (drawing scales quiet stems by it each frame).
    public let peak: Float

    /// Summarises `buffer` in one pass.
    public init(_ buffer: AudioBuffer, framesPerBin: Int = 256) {
        precondition(framesPerBin > 0)
        self.sampleRate = buffer.sampleRate
        self.frameCount = buffer.frameCount
        self.framesPerBin = framesPerBin
        let channels = buffer.channelCount
        let binCount = (buffer.frameCount + framesPerBin - 1) / framesPerBin
        var bins: [Bin] = []
        bins.reserveCapacity(binCount)
        buffer.samples.withUnsafeBufferPointer { samples in
            for bin in 0..<binCount {
                let start = bin * framesPerBin * channels
                let end = Swift.min(start + framesPerBin * channels, samples.count)
                var low = Float.infinity, high = -Float.infinity
                var energy: Float = 0
                for index in start..<end {
                    let sample = samples[index]
                    low = Swift.min(low, sample)
                    high = Swift.max(high, sample)
                    energy += sample * sample
                }
                bins.append(Bin(min: low, max: high, sumOfSquares: Double(energy), sampleCount: end - start))
            }
        }
        self.bins = bins
        peak = bins.reduce(0) { Swift.max($0, Swift.max($1.max, -$1.min)) }
    }

    /// Peaks already summarised (read back from storage).
    public init(sampleRate: Int, frameCount: Int, framesPerBin: Int, bins: [Bin]) {
        precondition(sampleRate > 0 && framesPerBin > 0)
        self.sampleRate = sampleRate
        self.frameCount = frameCount
        self.framesPerBin = framesPerBin
        self.bins = bins
        peak = bins.reduce(0) { Swift.max($0, Swift.max($1.max, -$1.min)) }
    }

    /// Length in seconds.
    public var duration: Double { Double(frameCount) / Double(sampleRate) }

    /// The waveform as `count` columns covering `range` (seconds; the whole take by default).
    ///
    /// Each column merges the bins it spans; when there are more columns than bins, neighbouring
    /// columns share a bin. Columns past the end of the take are silent.
    public func columns(_ count: Int, over range: ClosedRange<Double>? = nil) -> [Column] {
        guard count > 0 else { return [] }
        guard !bins.isEmpty else { return Array(repeating: .silent, count: count) }
        let span = range ?? 0...duration
        let binsPerSecond = Double(sampleRate) / Double(framesPerBin)
        let first = span.lowerBound * binsPerSecond
        let width = Swift.max(span.upperBound - span.lowerBound, 0) * binsPerSecond
        return (0..<count).map { column in
            let start = Int((first + width * Double(column) / Double(count)).rounded(.down))
            let end = Swift.max(Int((first + width * Double(column + 1) / Double(count)).rounded(.down)), start + 1)
            return merge(start..<end)
        }
    }

    private func merge(_ range: Range<Int>) -> Column {
        let clamped = range.clamped(to: 0..<bins.count)
        guard !clamped.isEmpty else { return .silent }
        var low = Float.infinity, high = -Float.infinity
        var energy = 0.0
        var count = 0
        for bin in bins[clamped] {
            low = Swift.min(low, bin.min)
            high = Swift.max(high, bin.max)
            energy += bin.sumOfSquares
            count += bin.sampleCount
        }
        return Column(min: low, max: high, rms: Float((energy / Double(Swift.max(count, 1))).squareRoot()))
    }
}
