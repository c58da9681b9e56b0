import RiffleEngine

/// The stretches of a channel where its true peak can be, laid end to end, so a true-peak meter
/// reads only those and still finds the same maximum.
///
/// A 4x oversampling meter (libebur128's is a 49-tap windowed sinc) computes each in-between value
/// as a weighted sum of the 49 samples around it. Those weights add up, in magnitude, to less than
/// 2.5 for any phase, so a value whose 49 samples all lie under 0.4 of the sample peak lies under
/// the sample peak, which the true peak never is below. Only the samples at 0.4 of the sample peak
/// or more can sit next to the true peak: they are kept with ``context`` real samples either side,
/// so every value that involves one of them is computed from exactly the samples it would be in
/// the whole channel. Runs are separated by ``context`` zeros; the values that straddle a join see
/// only zeros and quiet context, so they too stay under the sample peak.
///
/// Hand-written because libebur128 has no way to skip audio; on a mastered take only part of
/// the samples need measuring, which made measuring the peaks of a 30 s take about twice as fast.
enum TruePeakRegions {
    /// Samples kept each side of a loud run: more than the meter's 49 taps.
    static let context = 64
    /// The share of the sample peak from which a sample counts as loud (see above: 1 / 2.5).
    static let threshold: Float = 0.4

    /// One channel's loud runs with their context, separated by silence.
    static func compact(_ buffer: AudioBuffer, channel: Int, samplePeak: Float) -> [Float] {
        let frames = buffer.frameCount
        let channels = buffer.channelCount
        let level = samplePeak * threshold
        var output: [Float] = []
        output.reserveCapacity(frames / 4)
        buffer.samples.withUnsafeBufferPointer { samples in
            func copy(_ range: Range<Int>) {
                output.append(contentsOf: repeatElement(0, count: context))
                for frame in range { output.append(samples[frame * channels + channel]) }
            }
            var runStart = -1
            var lastLoud = -1
            var frame = 0
            while frame < frames {
                if abs(samples[frame * channels + channel]) >= level {
                    // A loud sample further than two contexts from the last starts a new run.
                    if runStart >= 0, frame - lastLoud > 2 * context {
                        copy(max(0, runStart - context)..<min(frames, lastLoud + 1 + context))
                        runStart = frame
                    } else if runStart < 0 {
                        runStart = frame
                    }
                    lastLoud = frame
                }
                frame += 1
            }
            if runStart >= 0 { copy(max(0, runStart - context)..<min(frames, lastLoud + 1 + context)) }
        }
        output.append(contentsOf: repeatElement(0, count: context))
        return output
    }
}
