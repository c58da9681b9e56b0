import Foundation
import RiffleEngine

/// How good a take is on the things that can be measured, 0 to 1, with the parts kept so a user
/// (or a test) can see why. A batch is ranked by it, so the best take is offered first.
///
/// It checks craft, not taste: loudness on target, peaks and clipping, silence and dropouts, the
/// length asked for, the tempo asked for (measured from the audio), a sane stereo image and a sane
/// balance between lows and highs.
public struct QualityScore: Sendable, Hashable, Codable {
    /// The weighted mean of the parts.
    public var total: Double
    public var parts: [Part]

    public struct Part: Sendable, Hashable, Codable {
        /// "loudness", "peaks", "silence", "duration", "tempo", "stereo", "spectrum".
        public var name: String
        /// 0 to 1.
        public var score: Double
        /// What was measured, in a few words: "-14.1 LUFS", "2 dropouts".
        public var detail: String
    }

    /// What the take was meant to be.
    public struct Expectation: Sendable {
        public var duration: Double
        /// Beats per minute the audio should pulse at; `nil` to skip the tempo check.
        public var bpm: Double?
        /// Loudness target (LUFS) and true-peak ceiling (dBTP).
        public var loudness: Double = -14
        public var truePeakCeiling: Double = -1

        public init(duration: Double, bpm: Double?) {
            self.duration = duration
            self.bpm = bpm
        }
    }

    private static let weights: [String: Double] = [
        "loudness": 0.15, "peaks": 0.15, "silence": 0.2, "duration": 0.1, "tempo": 0.2, "stereo": 0.1, "spectrum": 0.1,
    ]

    /// Scores `audio` against `expected`; `loudness` is the take's measured one when known (it is
    /// costly to measure again).
    public static func score(_ audio: AudioBuffer, loudness: Take.MeasuredLoudness?, expected: Expectation) -> QualityScore {
        var parts: [Part] = []
        let measured = loudness ?? (try? Loudness.measure(audio)).map { Take.MeasuredLoudness(integrated: $0.integrated, truePeak: $0.truePeak) }

        if let measured, measured.integrated.isFinite {
            let off = abs(measured.integrated - expected.loudness)
            parts.append(Part(name: "loudness", score: max(0, 1 - off / 6), detail: String(format: "%.1f LUFS", measured.integrated)))
        } else {
            parts.append(Part(name: "loudness", score: 0, detail: "silent"))
        }

        let clipped = audio.samples.reduce(0) { $0 + (abs($1) >= 0.999 ? 1 : 0) }
        let peak = measured?.truePeak ?? 0
        var peakScore = peak <= expected.truePeakCeiling ? 1 : max(0, 1 - (peak - expected.truePeakCeiling) / 3)
        if clipped > 0 { peakScore = min(peakScore, max(0, 0.5 - Double(clipped) / 1000)) }
        parts.append(Part(name: "peaks", score: peakScore, detail: String(format: "%.1f dBTP, %d clipped samples", peak, clipped)))

        parts.append(silence(audio))

        let durationOff = abs(audio.duration - expected.duration)
        parts.append(Part(name: "duration", score: durationOff <= 0.05 ? 1 : max(0, 1 - durationOff / 2),
                          detail: String(format: "%.3f s of %.3f", audio.duration, expected.duration)))

        if let bpm = expected.bpm {
            let tempo = TempoEstimator.estimate(audio)
            let score = TempoEstimator.tempo(tempo, matches: bpm) ? 1 : (TempoEstimator.tempo(tempo, matches: bpm, within: 0.08) ? 0.5 : 0)
            parts.append(Part(name: "tempo", score: score, detail: String(format: "%.1f BPM measured, %.1f asked", tempo, bpm)))
        }

        parts.append(stereo(audio))
        parts.append(spectrum(audio))

        let weighted = parts.reduce(0.0) { $0 + (weights[$1.name] ?? 0) * $1.score }
        let total = weighted / parts.reduce(0.0) { $0 + (weights[$1.name] ?? 0) }
        return QualityScore(total: total, parts: parts)
    }

    /// Silence and dropouts in 50 ms windows, leaving out the first half second and the last two
    /// (a fade-in and a ring-out are meant to be quiet): a silent window costs, a sudden gap between
    /// loud windows costs more.
    private static func silence(_ audio: AudioBuffer) -> Part {
        let window = max(1, audio.sampleRate / 20)
        let levels = stride(from: 0, to: audio.frameCount - window + 1, by: window).map { start -> Double in
            var sum = 0.0
            for index in (start * audio.channelCount)..<((start + window) * audio.channelCount) {
                sum += Double(audio.samples[index] * audio.samples[index])
            }
            return 10 * log10(max(sum / Double(window * audio.channelCount), 1e-20))
        }
        let body = levels.dropFirst(10).dropLast(40)
        guard !body.isEmpty else { return Part(name: "silence", score: 1, detail: "too short to judge") }
        let silent = body.filter { $0 < -60 }.count
        // A dropout: a run of up to half a second of near-silence with loud audio on both sides.
        var dropouts = 0
        var position = body.startIndex + 1
        while position < body.endIndex - 1 {
            guard levels[position] < -50, levels[position - 1] > -30 else {
                position += 1
                continue
            }
            var end = position
            while end < body.endIndex - 1, levels[end] < -50 { end += 1 }
            if end - position <= 10, levels[end] > -30 { dropouts += 1 }
            position = end + 1
        }
        let silentShare = Double(silent) / Double(body.count)
        let score = max(0, 1 - 2 * silentShare - 0.2 * Double(dropouts))
        return Part(name: "silence", score: score, detail: String(format: "%.0f%% silent, %d dropouts", 100 * silentShare, dropouts))
    }

    /// Left-right correlation: near -1 is a phase problem that vanishes in mono.
    private static func stereo(_ audio: AudioBuffer) -> Part {
        guard audio.channelCount == 2 else { return Part(name: "stereo", score: 1, detail: "mono") }
        var left = 0.0, right = 0.0, product = 0.0
        for frame in 0..<audio.frameCount {
            let l = Double(audio.samples[2 * frame]), r = Double(audio.samples[2 * frame + 1])
            left += l * l
            right += r * r
            product += l * r
        }
        guard left > 0, right > 0 else { return Part(name: "stereo", score: 0, detail: "a silent channel") }
        let correlation = product / (left * right).squareRoot()
        let score = correlation < -0.2 ? 0 : (correlation < 0.1 ? 0.5 : 1)
        return Part(name: "stereo", score: score, detail: String(format: "correlation %.2f", correlation))
    }

    /// The share of energy below 150 Hz and above 5 kHz: a mix with no lows or no highs at all, or
    /// nothing but lows, sounds broken.
    private static func spectrum(_ audio: AudioBuffer) -> Part {
        func coefficient(_ cutoff: Double) -> Double { 1 - exp(-2 * Double.pi * cutoff / Double(audio.sampleRate)) }
        let lowCut = coefficient(150), highCut = coefficient(5000)
        var low = 0.0, belowHigh = 0.0
        var lowEnergy = 0.0, highEnergy = 0.0, total = 0.0
        for frame in 0..<audio.frameCount {
            var mono = 0.0
            for channel in 0..<audio.channelCount { mono += Double(audio.samples[frame * audio.channelCount + channel]) }
            low += lowCut * (mono - low)
            belowHigh += highCut * (mono - belowHigh)
            let high = mono - belowHigh
            lowEnergy += low * low
            highEnergy += high * high
            total += mono * mono
        }
        guard total > 0 else { return Part(name: "spectrum", score: 0, detail: "silent") }
        let lows = lowEnergy / total, highs = highEnergy / total
        var score = 1.0
        if lows < 0.02 || lows > 0.8 { score -= 0.5 }
        if highs < 0.001 { score -= 0.5 }
        return Part(name: "spectrum", score: max(0, score), detail: String(format: "%.0f%% below 150 Hz, %.1f%% above 5 kHz", 100 * lows, 100 * highs))
    }
}
