import CEbur128
import Foundation
import RiffleEngine

/// What keeps a listener listening, as far as it can be measured: a tune that moves among several
/// pitches, a form that repeats itself without looping one bar, and loud and quiet passages.
enum MusicalInterest {
    /// Melodic variety of a chromagram: the entropy of the dominant pitch class across frames
    /// (0: one pitch, 1: all twelve equally) and how often it changes from frame to frame (0.09 s).
    static func variety(_ chroma: Chromagram) -> (entropy: Double, movement: Double)? {
        let frames = chroma.soundingFrames
        guard frames.count > 8 else { return nil }
        var histogram = [Double](repeating: 0, count: 12)
        var changes = 0, pairs = 0
        var previous: (index: Int, pitchClass: Int)?
        for index in frames {
            let vector = chroma.frames[index]
            let top = vector.indices.max { vector[$0] < vector[$1] }!
            histogram[top] += chroma.energy[index]
            if let last = previous, last.index == index - 1 {
                pairs += 1
                if last.pitchClass != top { changes += 1 }
            }
            previous = (index, top)
        }
        let total = histogram.reduce(0, +)
        let entropy = -histogram.filter { $0 > 0 }.reduce(0.0) { $0 + $1 / total * log($1 / total) } / log(12)
        return (entropy, pairs > 0 ? Double(changes) / Double(pairs) : 0)
    }

    /// Repetition across bars: for each bar, the correlation of its pitch profile with the most
    /// alike earlier bar (phrases come back) and with the bar just before (a one-bar loop), averaged.
    static func repetition(_ chroma: Chromagram, barSeconds: Double) -> (recurrence: Double, loop: Double, bars: Int)? {
        let bars = chroma.blocks(of: barSeconds)
        guard bars.count >= 4 else { return nil }
        var recurrence = 0.0, loop = 0.0
        for index in 1..<bars.count {
            loop += correlation(bars[index], bars[index - 1])
            recurrence += (0..<index).map { correlation(bars[index], bars[$0]) }.max() ?? 0
        }
        let count = Double(bars.count - 1)
        return (recurrence / count, loop / count, bars.count)
    }

    /// EBU R 128 loudness range (LRA, in LU): the spread of short-term loudness between its 10th and
    /// 95th percentiles; `nil` when libebur128 cannot measure it (under 3 s). Measured on the mono
    /// mix at about 11 kHz: LRA is a spread of levels, which neither the channels nor the top
    /// octaves change much, and this costs a sixth of measuring the stereo mix at full rate.
    static func loudnessRange(_ signal: PitchSignal) -> Double? {
        let samples = signal.samples.map { Float($0) }
        guard Double(samples.count) / signal.sampleRate >= 3,
              let state = ebur128_init(1, UInt(signal.sampleRate.rounded()), Int32(EBUR128_MODE_LRA.rawValue))
        else { return nil }
        var handle: UnsafeMutablePointer<ebur128_state>? = state
        defer { ebur128_destroy(&handle) }
        let added = samples.withUnsafeBufferPointer { ebur128_add_frames_float(state, $0.baseAddress, $0.count) }
        var range = 0.0
        guard added == Int32(EBUR128_SUCCESS.rawValue), ebur128_loudness_range(state, &range) == Int32(EBUR128_SUCCESS.rawValue),
              range.isFinite else { return nil }
        return range
    }
}
