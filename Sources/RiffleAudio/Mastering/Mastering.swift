import Foundation

/// Brings a set of stems to a loudness target with a true-peak ceiling, treating them as one mix.
///
/// Only gain is applied, the same gain to every stem at every moment (a level, then a limiter's
/// envelope), so the mastered stems still add up to the mastered mix exactly. Works in place: a
/// batch of 30-second takes is memory-bound long before it is CPU-bound.
public struct Mastering: Sendable {
    /// Integrated loudness to reach, LUFS.
    public var targetLoudness: Double
    /// The highest true peak allowed, dBTP.
    public var truePeakCeiling: Double

    /// Streaming services' common target: -14 LUFS, -1 dBTP.
    public static let streaming = Mastering(targetLoudness: -14, truePeakCeiling: -1)

    public init(targetLoudness: Double, truePeakCeiling: Double) {
        self.targetLoudness = targetLoudness
        self.truePeakCeiling = truePeakCeiling
    }

    /// The mastered mix and how it measures.
    public struct Result: Sendable {
        /// The sum of the mastered stems.
        public var mix: AudioBuffer
        public var loudness: Loudness
        /// The level applied before limiting, in dB: an edit of this take reuses it.
        public var gainDecibels: Double

        public init(mix: AudioBuffer, loudness: Loudness, gainDecibels: Double) {
            self.mix = mix
            self.loudness = loudness
            self.gainDecibels = gainDecibels
        }
    }

    /// Masters `stems` (all of one length, rate and channel count) as one mix, in place.
    ///
    /// - Parameter fixedGain: a level in dB to use instead of finding one (an edit matching its parent).
    public func master(_ stems: inout [AudioBuffer], gainDecibels fixedGain: Double? = nil) throws(Loudness.Failure) -> Result {
        precondition(!stems.isEmpty, "mastering needs at least one stem")
        var mix = Self.sum(stems)
        // The limiter's ceiling sits under the target: its midpoint estimate of the true peak is
        // close but not exact, and the measurement at the end settles the rest.
        let limiter = PeakLimiter(ceiling: Float(pow(10, (truePeakCeiling - 0.7) / 20)))

        var gainDB = fixedGain ?? 0
        if fixedGain == nil {
            let before = try Loudness.integrated(mix)
            guard before.isFinite else { return Result(mix: mix, loudness: try Loudness.measure(mix), gainDecibels: 0) }
            gainDB = targetLoudness - before
        }
        var envelope = limiter.envelope(for: mix, gain: Float(pow(10, gainDB / 20)))
        var knownLoudness: Double?
        if fixedGain == nil {
            // Limiting took some loudness away: give it back as level and limit again at the new
            // level. The second round loses a few hundredths of a dB, given back as plain gain,
            // which the limiter's margin absorbs.
            for round in 0..<2 {
                let limited = try Loudness.integrated(mix, gain: Float(pow(10, gainDB / 20)), envelope: envelope)
                guard limited.isFinite else { break }
                let correction = targetLoudness - limited
                if round == 1 || abs(correction) < 0.1 {
                    let applied = min(correction, 0.3)
                    gainDB += applied
                    knownLoudness = limited + applied
                    break
                }
                gainDB += correction
                envelope = limiter.envelope(for: mix, gain: Float(pow(10, gainDB / 20)))
            }
        }
        let gain = Float(pow(10, gainDB / 20))
        for index in stems.indices { Self.apply(&stems[index], gain: gain, envelope: envelope) }
        Self.sum(stems, into: &mix)
        // Gain is linear: the loudness measured before it moved by exactly the correction.
        var loudness: Loudness
        if let knownLoudness {
            loudness = try Loudness.peaks(mix, integrated: knownLoudness)
        } else {
            loudness = try Loudness.measure(mix)
        }
        if loudness.truePeak > truePeakCeiling - 0.05 {
            // An inter-sample peak got through: lower everything by the excess. Gain is linear, so
            // every figure moves by exactly as much and nothing needs measuring again.
            let trim = truePeakCeiling - 0.1 - loudness.truePeak
            let factor = Float(pow(10, trim / 20))
            for index in stems.indices { Self.scale(&stems[index], by: factor) }
            Self.sum(stems, into: &mix)
            loudness.integrated += trim
            loudness.truePeak += trim
            loudness.samplePeak += trim
            gainDB += trim
        }
        return Result(mix: mix, loudness: loudness, gainDecibels: gainDB)
    }

    /// The frame-by-frame sum of buffers of one shape.
    public static func sum(_ buffers: [AudioBuffer]) -> AudioBuffer {
        var total = buffers[0]
        sum(buffers, into: &total)
        return total
    }

    /// Overwrites `total` with the sum of `buffers`, adding them in order (so the result is the
    /// same, bit for bit, every time).
    public static func sum(_ buffers: [AudioBuffer], into total: inout AudioBuffer) {
        total.samples.withUnsafeMutableBufferPointer { sum in
            buffers[0].samples.withUnsafeBufferPointer { first in
                for index in 0..<sum.count { sum[index] = first[index] }
            }
            for buffer in buffers.dropFirst() {
                precondition(buffer.samples.count == sum.count, "stems must all be the same length")
                buffer.samples.withUnsafeBufferPointer { part in
                    for index in 0..<sum.count { sum[index] += part[index] }
                }
            }
        }
    }

    static func apply(_ buffer: inout AudioBuffer, gain: Float, envelope: [Float]) {
        let channels = buffer.channelCount
        let frames = buffer.frameCount
        buffer.samples.withUnsafeMutableBufferPointer { samples in
            envelope.withUnsafeBufferPointer { envelope in
                for frame in 0..<frames {
                    let frameGain = gain * envelope[frame]
                    for channel in 0..<channels { samples[frame * channels + channel] *= frameGain }
                }
            }
        }
    }

    /// Multiplies every sample by `factor`.
    public static func scale(_ buffer: inout AudioBuffer, by factor: Float) {
        buffer.samples.withUnsafeMutableBufferPointer { samples in
            for index in 0..<samples.count { samples[index] *= factor }
        }
    }
}
