import Foundation
import RiffleEngine

/// A take's energy every 10 ms in three bands (below 200 Hz, 200 Hz-2 kHz, above 2 kHz, so a kick
/// and a hi-hat both show), and how much it rises from one frame to the next: what tempo, metre and
/// percussion are measured from. One pass over the samples, shared by every measure.
struct OnsetEnvelope {
    /// Frames a second.
    static let rate = 100.0
    /// Mean energy per sample of each band, each frame: low, middle, high.
    var bands: [[Double]]
    var frameCount: Int { bands[0].count }

    init(_ audio: AudioBuffer) {
        let hop = max(1, audio.sampleRate / Int(Self.rate))
        let frames = audio.frameCount / hop
        let channels = audio.channelCount
        func coefficient(_ cutoff: Double) -> Float { Float(1 - exp(-2 * Double.pi * cutoff / Double(audio.sampleRate))) }
        let lowCut = coefficient(200), highCut = coefficient(2000)
        var low: Float = 0, belowHigh: Float = 0
        var lows = [Double](repeating: 0, count: frames), middles = lows, highs = lows
        audio.samples.withUnsafeBufferPointer { samples in
            for index in 0..<frames {
                var lowEnergy: Float = 0, middleEnergy: Float = 0, highEnergy: Float = 0
                for frame in (index * hop)..<((index + 1) * hop) {
                    var mono: Float = 0
                    for channel in 0..<channels { mono += samples[frame * channels + channel] }
                    low += lowCut * (mono - low)
                    belowHigh += highCut * (mono - belowHigh)
                    let middle = belowHigh - low, high = mono - belowHigh
                    lowEnergy += low * low
                    middleEnergy += middle * middle
                    highEnergy += high * high
                }
                lows[index] = Double(lowEnergy) / Double(hop)
                middles[index] = Double(middleEnergy) / Double(hop)
                highs[index] = Double(highEnergy) / Double(hop)
            }
        }
        bands = [lows, middles, highs]
    }

    /// The rise in log energy of the chosen bands, summed, less its mean: onsets as positive
    /// bumps, whatever the level.
    func flux(bands chosen: [Int] = [0, 1, 2]) -> [Double] {
        var onsets = [Double](repeating: 0, count: frameCount)
        for band in chosen {
            let logs = bands[band].map { log(1e-10 + $0) }
            for index in 1..<max(1, frameCount) { onsets[index] += max(0, logs[index] - logs[index - 1]) }
        }
        let mean = onsets.reduce(0, +) / Double(max(1, frameCount))
        return onsets.map { $0 - mean }
    }

    /// The autocorrelation of `envelope` at a lag in frames (fractional lags interpolated), per frame.
    static func autocorrelation(_ envelope: [Double], lag: Double) -> Double {
        let whole = Int(lag)
        let frames = envelope.count
        guard whole + 1 < frames, lag >= 0 else { return 0 }
        let fraction = lag - Double(whole)
        var sum = 0.0
        envelope.withUnsafeBufferPointer { values in
            for index in 0..<(frames - whole - 1) {
                sum += values[index] * (values[index + whole] * (1 - fraction) + values[index + whole + 1] * fraction)
            }
        }
        return sum / Double(frames - whole)
    }
}
