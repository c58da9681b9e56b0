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
    /// ceiling: not between samples either, as far as a cubic interpolation at each midpoint sees.
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

    /// Each frame's largest magnitude over its channels, counting the estimated peak between it and
    /// the next frame (a four-point cubic at the midpoint), where true peaks hide.
    static func framePeaks(_ audio: AudioBuffer) -> [Float] {
        let frames = audio.frameCount
        let channels = audio.channelCount
        guard frames > 0 else { return [] }
        var peaks = [Float](repeating: 0, count: frames)
        audio.samples.withUnsafeBufferPointer { samples in
            peaks.withUnsafeMutableBufferPointer { peaks in
                for channel in 0..<channels {
                    func at(_ frame: Int) -> Float { samples[min(max(frame, 0), frames - 1) * channels + channel] }
                    func peak(_ previous: Float, _ current: Float, _ next: Float, _ afterNext: Float) -> Float {
                        let midpoint = (9 * (current + next) - previous - afterNext) / 16
                        return max(abs(current), abs(midpoint))
                    }
                    // The edges clamp their neighbours; the body reads them straight, which is most of the cost.
                    let edges = Array(Set([0, frames - 2, frames - 1].filter { $0 >= 0 }))
                    for frame in edges {
                        peaks[frame] = max(peaks[frame], peak(at(frame - 1), at(frame), at(frame + 1), at(frame + 2)))
                    }
                    guard frames > 3 else { continue }
                    var previous = samples[channel]
                    var current = samples[channels + channel]
                    var next = samples[2 * channels + channel]
                    for frame in 1..<(frames - 2) {
                        let afterNext = samples[(frame + 2) * channels + channel]
                        peaks[frame] = max(peaks[frame], peak(previous, current, next, afterNext))
                        previous = current
                        current = next
                        next = afterNext
                    }
                }
            }
        }
        return peaks
    }

    /// For each index, the maximum of `values` over the `window` indices ending there: a monotonic
    /// deque, kept in a ring as it never holds more than the window.
    static func trailingMaximum(_ values: [Float], window: Int) -> [Float] {
        var result = [Float](repeating: 0, count: values.count)
        let capacity = window + 1
        var ring = [Int](repeating: 0, count: capacity)
        var head = 0, count = 0
        values.withUnsafeBufferPointer { values in
            result.withUnsafeMutableBufferPointer { result in
                ring.withUnsafeMutableBufferPointer { ring in
                    for index in 0..<values.count {
                        while count > 0, values[ring[(head + count - 1) % capacity]] <= values[index] { count -= 1 }
                        ring[(head + count) % capacity] = index
                        count += 1
                        if ring[head] <= index - window {
                            head = (head + 1) % capacity
                            count -= 1
                        }
                        result[index] = values[ring[head]]
                    }
                }
            }
        }
        return result
    }
}
