import Foundation
import RiffleEngine

/// The tempo of a piece of audio, measured from its onsets, for quality scoring and tests.
///
/// Hand-written: no Debian library offers beat tracking as a plain function (aubio's tempo
/// tracking works on live streams and misjudges slow tempi by a third); this needs only the
/// envelope's periodicity.
public enum TempoEstimator {
    /// The tempo whose beat period best explains the audio's onsets, 40 to 240 BPM.
    ///
    /// The onset envelope is the rise in log energy every 10 ms in three bands (below 200 Hz,
    /// 200 Hz-2 kHz, above 2 kHz, so a kick and a hi-hat both count), summed. Each candidate
    /// tempo scores the envelope's autocorrelation at one to four beat periods, weighted by a
    /// preference for moderate tempi (a log-normal around 120 BPM, one octave wide), the way beat
    /// trackers resolve which of a pulse's octaves is the beat.
    public static func estimate(_ audio: AudioBuffer) -> Double {
        let hop = audio.sampleRate / 100
        let frames = audio.frameCount / hop
        let channels = audio.channelCount
        func coefficient(_ cutoff: Double) -> Float { Float(1 - exp(-2 * Double.pi * cutoff / Double(audio.sampleRate))) }
        let lowCut = coefficient(200), highCut = coefficient(2000)
        var low: Float = 0, belowHigh: Float = 0
        var bands = [[Double]](repeating: [Double](repeating: 0, count: frames), count: 3)
        for index in 0..<frames {
            var energy = [0.0, 0.0, 0.0]
            for frame in (index * hop)..<((index + 1) * hop) {
                var mono: Float = 0
                for channel in 0..<channels { mono += audio.samples[frame * channels + channel] }
                low += lowCut * (mono - low)
                belowHigh += highCut * (mono - belowHigh)
                let parts = [low, belowHigh - low, mono - belowHigh]
                for band in 0..<3 { energy[band] += Double(parts[band] * parts[band]) }
            }
            for band in 0..<3 { bands[band][index] = log(1e-10 + energy[band] / Double(hop)) }
        }
        var onsets = [Double](repeating: 0, count: frames)
        for band in 0..<3 {
            for index in 1..<frames { onsets[index] += max(0, bands[band][index] - bands[band][index - 1]) }
        }
        let mean = onsets.reduce(0, +) / Double(max(1, frames))
        onsets = onsets.map { $0 - mean }

        func correlation(_ lag: Double) -> Double {
            let whole = Int(lag)
            guard whole + 1 < frames else { return 0 }
            let fraction = lag - Double(whole)
            var sum = 0.0
            for index in 0..<(frames - whole - 1) {
                sum += onsets[index] * (onsets[index + whole] * (1 - fraction) + onsets[index + whole + 1] * fraction)
            }
            return sum / Double(frames - whole)
        }
        var best = (bpm: 0.0, score: -Double.infinity)
        for step in 0...800 {
            let bpm = 40 + Double(step) * 0.25
            let period = 6000 / bpm
            let periodicity = correlation(period) + 0.5 * correlation(2 * period) + 0.25 * correlation(3 * period) + 0.25 * correlation(4 * period)
            let octaves = log2(bpm / 120)
            let score = periodicity * exp(-0.5 * octaves * octaves)
            if score > best.score { best = (bpm, score) }
        }
        return best.bpm
    }

    /// Whether `measured` is `expected` within `tolerance` (a fraction), allowing the usual
    /// octave confusions of tempo estimation (half or double).
    public static func tempo(_ measured: Double, matches expected: Double, within tolerance: Double = 0.03) -> Bool {
        [expected, expected * 2, expected / 2].contains { abs(measured - $0) / $0 <= tolerance }
    }
}
