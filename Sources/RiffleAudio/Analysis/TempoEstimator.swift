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
        estimate(OnsetEnvelope(audio).flux())
    }

    /// The tempo of an onset envelope (``OnsetEnvelope/flux(bands:)``), 40 to 240 BPM.
    static func estimate(_ onsets: [Double]) -> Double {
        func correlation(_ lag: Double) -> Double { OnsetEnvelope.autocorrelation(onsets, lag: lag) }
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
