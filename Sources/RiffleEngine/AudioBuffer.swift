/// Audio in memory: interleaved 32-bit float samples, nominally within -1...1.
public struct AudioBuffer: Sendable, Equatable {
    /// Frames per second.
    public var sampleRate: Int
    /// Samples per frame: 1 for mono, 2 for stereo.
    public var channelCount: Int
    /// Interleaved samples: frame 0's channels, then frame 1's, and so on.
    public var samples: [Float]

    public init(sampleRate: Int, channelCount: Int, samples: [Float]) {
        precondition(sampleRate > 0 && channelCount > 0 && samples.count % channelCount == 0,
                     "an audio buffer needs a positive rate, channels, and whole frames")
        self.sampleRate = sampleRate
        self.channelCount = channelCount
        self.samples = samples
    }

    /// Silence of the given length.
    public init(silenceOfFrames frames: Int, sampleRate: Int, channelCount: Int) {
        self.init(sampleRate: sampleRate, channelCount: channelCount,
                  samples: [Float](repeating: 0, count: frames * channelCount))
    }

    public var frameCount: Int { samples.count / channelCount }

    /// Length in seconds.
    public var duration: Double { Double(frameCount) / Double(sampleRate) }
}
