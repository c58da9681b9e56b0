import Dispatch
import Foundation
import RiffleEngine
import Synchronization

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

    /// How far under the ceiling the measured true peak is kept. Meters disagree by a tenth or two
    /// of a dB on inter-sample peaks (ffmpeg's ebur128 filter upsamples differently from
    /// libebur128), and a take should pass whichever one checks it.
    public static let meterMargin = 0.25

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
        var gainDB = fixedGain ?? 0
        // The limiter sees the peaks the meter will (see PeakLimiter), so its ceiling sits under the
        // target only by what the level search may give back as plain gain (0.3 dB) and a little
        // for the envelope's own effect between samples. If the measured true peak still comes out
        // too high, the ceiling comes down by the excess and the level is found again, rather than
        // turning the whole take down.
        var ceilingDB = truePeakCeiling - Self.meterMargin - 0.35
        var limiter = PeakLimiter(ceiling: Float(pow(10, ceilingDB / 20)))
        // What the limiter needs of the mix does not depend on its ceiling or the level: found once,
        // on one core while the mix's loudness is measured on the other.
        let peaks: PeakLimiter.Peaks
        if fixedGain == nil {
            let (unlimited, found) = Self.sideBySide({ [limiter, mix] in limiter.peaks(of: mix) }, { [mix] in
                Swift.Result { () throws(Loudness.Failure) -> Double in try Loudness.integrated(mix) }
            })
            let before = try found.get()
            guard before.isFinite else { return Result(mix: mix, loudness: try Loudness.measure(mix), gainDecibels: 0) }
            gainDB = targetLoudness - before
            peaks = unlimited
        } else {
            peaks = limiter.peaks(of: mix)
        }
        var limited = false
        var envelope: [Float] = []
        var loudness = Loudness(integrated: -.infinity, truePeak: 0, samplePeak: 0)
        for attempt in 0..<3 {
            limiter.ceiling = Float(pow(10, ceilingDB / 20))
            (gainDB, envelope, loudness) = try level(&mix, limited: &limited, stems: stems, peaks: peaks, gainDB: gainDB,
                                                     limiter: limiter, adjust: fixedGain == nil)
            guard let trim = trimForTruePeak(loudness), attempt < 2 else { break }
            ceilingDB += trim - 0.05
        }
        // The mix is the sum of the mastered stems, so they add up to it exactly.
        Self.apply(&stems, gain: Float(pow(10, gainDB / 20)), envelope: envelope, summingInto: &mix)
        if let trim = trimForTruePeak(loudness) {
            // Still over after three ceilings: lower everything by the excess. Every figure moves
            // by exactly as much, so nothing needs measuring again.
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

    /// `first()` and `second()` on two cores at once: mastering's measurements read the mix and
    /// never write it.
    private static func sideBySide<A: Sendable, B: Sendable>(_ first: @escaping @Sendable () -> A,
                                                             _ second: @escaping @Sendable () -> B) -> (A, B) {
        let results = Mutex<(A?, B?)>((nil, nil))
        DispatchQueue.concurrentPerform(iterations: 2) { job in
            if job == 0 {
                let value = first()
                results.withLock { $0.0 = value }
            } else {
                let value = second()
                results.withLock { $0.1 = value }
            }
        }
        return results.withLock { ($0.0!, $0.1!) }
    }

    /// Brings `mix` (the sum of `stems`, already limited once when `limited` is set) to the target
    /// through `limiter`, in place; returns the level, the envelope and how the mix measures. With
    /// `adjust` false, the given level is kept.
    ///
    /// The mix is limited and then measured, so the meter reads it as it is rather than through
    /// a copy with the gain on; another round sums it from the stems again.
    private func level(_ mix: inout AudioBuffer, limited: inout Bool, stems: [AudioBuffer], peaks: PeakLimiter.Peaks,
                       gainDB start: Double, limiter: PeakLimiter,
                       adjust: Bool) throws(Loudness.Failure) -> (gainDB: Double, envelope: [Float], loudness: Loudness) {
        var gainDB = start
        for round in 0..<5 {
            let envelope = limiter.envelope(for: peaks, gain: Float(pow(10, gainDB / 20)))
            if limited { Self.sum(stems, into: &mix) }
            Self.apply(&mix, gain: Float(pow(10, gainDB / 20)), envelope: envelope)
            limited = true
            guard adjust else { return (gainDB, envelope, try Loudness.measure(mix)) }
            // The peaks are measured while the loudness is; they are wasted only in
            // the rare round that gives the level another try.
            let limitedMix = mix
            let (integrated, truePeaks) = Self.sideBySide({
                Swift.Result { () throws(Loudness.Failure) -> Double in try Loudness.integrated(limitedMix) }
            }, {
                Swift.Result { () throws(Loudness.Failure) -> Loudness in try Loudness.peaks(limitedMix, integrated: 0) }
            })
            let measured = try integrated.get()
            guard measured.isFinite else { return (gainDB, envelope, try Loudness.measure(mix)) }
            // Limiting takes some loudness away: give it back as level and limit again at the new
            // level, until what is lost is under a quarter of a dB (usually at once; sharp peaks over
            // a quiet body take a few rounds). The rest is given back as plain gain, which lifts the
            // peaks over the limiter's ceiling by as much, inside its margin, and moves every figure
            // by exactly as much.
            let correction = targetLoudness - measured
            if round == 4 || abs(correction) < 0.25 {
                let applied = min(correction, 0.3)
                var loudness = try truePeaks.get()
                loudness.integrated = measured + applied
                loudness.truePeak += applied
                loudness.samplePeak += applied
                return (gainDB + applied, envelope, loudness)
            }
            gainDB += correction
        }
        fatalError("the last round returns")
    }

    /// How far (in dB, negative) audio measuring `loudness` must come down to keep its true peak
    /// the meter margin under the ceiling; `nil` when it already does.
    public func trimForTruePeak(_ loudness: Loudness) -> Double? {
        guard loudness.truePeak > truePeakCeiling - Self.meterMargin else { return nil }
        return truePeakCeiling - Self.meterMargin - 0.05 - loudness.truePeak
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

    /// Applies `gain` and `envelope` to every stem and writes their sum to `mix`, a block of frames
    /// at a time so the block of the mix stays in cache: the same figures, bit for bit, as applying
    /// them stem by stem and then summing.
    static func apply(_ stems: inout [AudioBuffer], gain: Float, envelope: [Float], summingInto mix: inout AudioBuffer) {
        let channels = mix.channelCount
        let frames = mix.frameCount
        let block = 4096
        mix.samples.withUnsafeMutableBufferPointer { total in
            envelope.withUnsafeBufferPointer { envelope in
                for first in stride(from: 0, to: frames, by: block) {
                    let end = min(first + block, frames)
                    for index in stems.indices {
                        precondition(stems[index].samples.count == total.count, "stems must all be the same length")
                        stems[index].samples.withUnsafeMutableBufferPointer { stem in
                            let samples = (first * channels)..<(end * channels)
                            if channels == 2 {
                                for frame in first..<end {
                                    let frameGain = gain * envelope[frame]
                                    stem[2 * frame] *= frameGain
                                    stem[2 * frame + 1] *= frameGain
                                }
                            } else {
                                for frame in first..<end {
                                    let frameGain = gain * envelope[frame]
                                    for channel in 0..<channels { stem[frame * channels + channel] *= frameGain }
                                }
                            }
                            if index == 0 {
                                for sample in samples { total[sample] = stem[sample] }
                            } else {
                                for sample in samples { total[sample] += stem[sample] }
                            }
                        }
                    }
                }
            }
        }
    }

    static func apply(_ buffer: inout AudioBuffer, gain: Float, envelope: [Float]) {
        let channels = buffer.channelCount
        let frames = buffer.frameCount
        buffer.samples.withUnsafeMutableBufferPointer { samples in
            envelope.withUnsafeBufferPointer { envelope in
                // Stereo spelled out, so the loop runs in vector registers; any other layout frame by frame.
                if channels == 2 {
                    for frame in 0..<frames {
                        let frameGain = gain * envelope[frame]
                        samples[2 * frame] *= frameGain
                        samples[2 * frame + 1] *= frameGain
                    }
                } else {
                    for frame in 0..<frames {
                        let frameGain = gain * envelope[frame]
                        for channel in 0..<channels { samples[frame * channels + channel] *= frameGain }
                    }
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
