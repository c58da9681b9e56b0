import RiffleEngine

/// A look-ahead brickwall limiter that computes a gain envelope rather than changing the audio, so
/// the same envelope can be applied to every stem and the stems still sum to the limited mix.
///
/// Hand-written: no Debian library offers a limiter as a plain function over a buffer (LADSPA and
/// LV2 plugins need a host), and the envelope, not the limited audio, is what the stems need.
public struct PeakLimiter: Sendable {
    /// The highest peak allowed, as a linear amplitude.
    public var ceiling: Float
    /// How far ahead the gain starts to fall before a peak; also the length of the fall.
    public var lookAheadSeconds: Double
    /// How long the gain takes to climb back by the full range after a peak.
    public var releaseSeconds: Double

    public init(ceiling: Float, lookAheadSeconds: Double = 0.005, releaseSeconds: Double = 0.12) {
        self.ceiling = ceiling
        self.lookAheadSeconds = lookAheadSeconds
        self.releaseSeconds = releaseSeconds
    }

    /// One gain per frame, at most 1, such that `audio × gain × envelope` never peaks above the
    /// ceiling: not between samples either, where a true-peak meter looks (``InterSamplePeaks``).
    public func envelope(for audio: AudioBuffer, gain: Float) -> [Float] {
        envelope(for: peaks(of: audio), gain: gain)
    }

    /// What the envelope needs to know of a mix whatever the gain: for each frame, the highest
    /// peak over the look-ahead window that ends there.
    public struct Peaks: Sendable {
        var values: [Float]
        var sampleRate: Int
    }

    /// The costly half of the work, done once for every gain a level search tries on one mix.
    public func peaks(of audio: AudioBuffer) -> Peaks {
        Peaks(values: Self.trailingMaximum(Self.framePeaks(audio), window: window(audio.sampleRate)), sampleRate: audio.sampleRate)
    }

    /// Frames over which the gain falls before a peak.
    private func window(_ sampleRate: Int) -> Int { max(1, Int(lookAheadSeconds * Double(sampleRate))) }

    /// The envelope at `gain` for a mix with these `peaks`.
    public func envelope(for peaks: Peaks, gain: Float) -> [Float] {
        let frames = peaks.values.count
        guard frames > 0 else { return [] }
        let window = window(peaks.sampleRate)
        // The least gain any frame of the last `window` needs is what the loudest of them needs:
        // the same hold as taking the minimum of every frame's own gain, from the held peaks.
        var smoothed = [Float](repeating: 1, count: frames)
        let ceiling = self.ceiling
        peaks.values.withUnsafeBufferPointer { held in
            smoothed.withUnsafeMutableBufferPointer { smoothed in
                for index in 0..<frames {
                    let peak = held[index] * gain
                    if peak > ceiling { smoothed[index] = ceiling / peak }
                }
                // Then average over the next `window` frames. Every term of that average is at most
                // the held gain, so the smoothed gain never lets a peak through, and it falls as a ramp
                // instead of a step (a step would click). The average is written over the held values,
                // each after it was last read.
                var sum = 0.0
                for index in 0..<min(window, frames) { sum += Double(smoothed[index]) }
                for index in 0..<frames {
                    let count = min(window, frames - index)
                    let average = Float(sum / Double(count))
                    sum -= Double(smoothed[index])
                    if index + window < frames { sum += Double(smoothed[index + window]) }
                    smoothed[index] = average
                }
                // Release: climb back at a limited rate, which can only lower the gain further.
                let step = Float(1 / max(1, releaseSeconds * Double(peaks.sampleRate)))
                var previous: Float = 1
                for index in 0..<frames {
                    let value = min(smoothed[index], previous + step)
                    smoothed[index] = value
                    previous = value
                }
            }
        }
        return smoothed
    }

    /// Each frame's largest magnitude over its channels, counting the three points between it and
    /// the next frame that a true-peak meter reconstructs (see ``InterSamplePeaks``); the first
    /// frame also counts the points before it.
    static func framePeaks(_ audio: AudioBuffer) -> [Float] {
        let frames = audio.frameCount
        guard frames > 0 else { return [] }
        return [Float](unsafeUninitializedCapacity: frames) { peaks, count in
            audio.samples.withUnsafeBufferPointer { samples in
                InterSamplePeaks.framePeaks(samples, channels: audio.channelCount, frames: 0..<frames, into: peaks)
                // The points before the first frame, which a meter computes from the silence before it.
                peaks[0] = max(peaks[0], InterSamplePeaks.edgePeak(samples, channels: audio.channelCount, frame: -1))
            }
            count = frames
        }
    }

    /// For each index, the maximum of `values` over the `window` indices ending there.
    ///
    /// Van Herk and Gil-Werman's method: within blocks of `window` indices, a running maximum
    /// from each block's start and one from its end; any window spans the end of one block and the
    /// start of the next, so its maximum is the larger of two lookups. Three branch-free passes,
    /// whatever the window.
    /// `values` is taken over to hold the running maxima from the blocks' ends.
    static func trailingMaximum(_ values: consuming [Float], window: Int) -> [Float] {
        let count = values.count
        guard count > 0 else { return [] }
        let window = max(1, window)
        return [Float](unsafeUninitializedCapacity: count) { fromStart, initialized in
            values.withUnsafeMutableBufferPointer { fromEnd in
                do {
                    // Each block's values are read forwards, then backwards while being overwritten.
                    let values = UnsafeBufferPointer(fromEnd)
                    var blockStart = 0
                    while blockStart < count {
                        let blockEnd = min(blockStart + window, count)
                        var running = -Float.infinity
                        for index in blockStart..<blockEnd {
                            running = max(running, values[index])
                            fromStart[index] = running
                        }
                        running = -Float.infinity
                        for index in (blockStart..<blockEnd).reversed() {
                            running = max(running, values[index])
                            fromEnd[index] = running
                        }
                        blockStart = blockEnd
                    }
                }
                // The window ending at `index` starts at `index - window + 1`: from there to the end
                // of its block, then from the next block's start to `index`. Up to `window - 1`,
                // the running maximum from the first block's start already covers the window.
                if window < count {
                    for index in window..<count { fromStart[index] = max(fromStart[index], fromEnd[index - window + 1]) }
                }
            }
            initialized = count
        }
    }
}
