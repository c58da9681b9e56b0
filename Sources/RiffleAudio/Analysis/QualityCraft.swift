import Foundation
import RiffleEngine

/// The craft parts of the quality score: loudness, peaks, silence, duration, stereo, spectrum.
enum Craft {
    static func parts(_ audio: AudioBuffer, loudness: Take.MeasuredLoudness?, expected: QualityScore.Expectation) -> [QualityScore.Part] {
        var parts: [QualityScore.Part] = []
        if let loudness, loudness.integrated.isFinite {
            // 2 LU off costs a third.
            let off = abs(loudness.integrated - expected.loudness)
            parts.append(part("loudness", Shape.gaussian(off, 2), String(format: "%.1f LUFS", loudness.integrated)))
        } else {
            parts.append(part("loudness", 0, "silent"))
        }

        var clipped = 0
        for sample in audio.samples where abs(sample) >= 0.999 { clipped += 1 }
        let peak = loudness?.truePeak ?? 0
        // Under the ceiling is all right; each dB over costs by e^-1; clipped samples cost on top.
        let over = max(0, peak - expected.truePeakCeiling)
        parts.append(part("peaks", exp(-over) / (1 + Double(clipped) / 200),
                          String(format: "%.1f dBTP, %d clipped samples", peak, clipped)))

        parts.append(silence(audio))

        // A frame or so off is exact; half a second off costs a third.
        let durationOff = max(0, abs(audio.duration - expected.duration) - 0.01)
        parts.append(part("duration", Shape.gaussian(durationOff, 0.5), String(format: "%.3f s of %.3f", audio.duration, expected.duration)))

        parts.append(stereo(audio))
        parts.append(spectrum(audio))
        return parts
    }

    /// Silence and dropouts in 50 ms windows, leaving out the first half second and the last two
    /// (a fade-in and a ring-out are meant to be quiet): a silent window costs, a sudden gap between
    /// loud windows costs more.
    static func silence(_ audio: AudioBuffer) -> QualityScore.Part {
        let window = max(1, audio.sampleRate / 20)
        let levels = audio.samples.withUnsafeBufferPointer { samples in
            stride(from: 0, to: audio.frameCount - window + 1, by: window).map { start -> Double in
                var sum: Float = 0
                for index in (start * audio.channelCount)..<((start + window) * audio.channelCount) { sum += samples[index] * samples[index] }
                return 10 * log10(max(Double(sum) / Double(window * audio.channelCount), 1e-20))
            }
        }
        let body = levels.dropFirst(10).dropLast(40)
        guard !body.isEmpty else { return part("silence", 1, "too short to judge") }
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
        return part("silence", 1 - 2 * silentShare - 0.2 * Double(dropouts),
                    String(format: "%.0f%% silent, %d dropouts", 100 * silentShare, dropouts))
    }

    /// Left-right correlation: near -1 is a phase problem that vanishes in mono (it costs all), near
    /// +1 a mix with no stereo image (it costs up to half).
    static func stereo(_ audio: AudioBuffer) -> QualityScore.Part {
        guard audio.channelCount == 2 else { return part("stereo", 1, "mono") }
        var left = 0.0, right = 0.0, product = 0.0
        audio.samples.withUnsafeBufferPointer { samples in
            var l2: Float = 0, r2: Float = 0, lr: Float = 0
            for frame in 0..<audio.frameCount {
                let l = samples[2 * frame], r = samples[2 * frame + 1]
                l2 += l * l
                r2 += r * r
                lr += l * r
                if frame & 4095 == 4095 { left += Double(l2); right += Double(r2); product += Double(lr); l2 = 0; r2 = 0; lr = 0 }
            }
            left += Double(l2); right += Double(r2); product += Double(lr)
        }
        guard left > 0, right > 0 else { return part("stereo", 0, "a silent channel") }
        let correlation = product / (left * right).squareRoot()
        let inPhase = Shape.logistic(correlation, -0.1, 0.08)
        let t = min(1, max(0, (correlation - 0.9) / 0.1))
        let width = 1 - 0.5 * t * t * (3 - 2 * t)
        return part("stereo", inPhase * width, String(format: "correlation %.2f", correlation))
    }

    /// The share of energy below 150 Hz and above 5 kHz, each against a typical mix (a quarter of
    /// the energy in the lows, 2% in the highs), by ratio: no lows, no highs, or nothing but lows
    /// sounds broken; a little off costs a little.
    static func spectrum(_ audio: AudioBuffer) -> QualityScore.Part {
        func coefficient(_ cutoff: Double) -> Float { Float(1 - exp(-2 * Double.pi * cutoff / Double(audio.sampleRate))) }
        let lowCut = coefficient(150), highCut = coefficient(5000)
        var low: Float = 0, belowHigh: Float = 0
        var lowEnergy = 0.0, highEnergy = 0.0, total = 0.0
        audio.samples.withUnsafeBufferPointer { samples in
            var lowSum: Float = 0, highSum: Float = 0, totalSum: Float = 0
            let channels = audio.channelCount
            for frame in 0..<audio.frameCount {
                var mono: Float = 0
                for channel in 0..<channels { mono += samples[frame * channels + channel] }
                low += lowCut * (mono - low)
                belowHigh += highCut * (mono - belowHigh)
                let high = mono - belowHigh
                lowSum += low * low
                highSum += high * high
                totalSum += mono * mono
                if frame & 4095 == 4095 {
                    lowEnergy += Double(lowSum); highEnergy += Double(highSum); total += Double(totalSum)
                    lowSum = 0; highSum = 0; totalSum = 0
                }
            }
            lowEnergy += Double(lowSum); highEnergy += Double(highSum); total += Double(totalSum)
        }
        guard total > 0 else { return part("spectrum", 0, "silent") }
        let lows = lowEnergy / total, highs = highEnergy / total
        let value = (Shape.logBump(lows, 0.25, 1.2) * Shape.logBump(highs, 0.02, 1.6)).squareRoot()
        return part("spectrum", value, String(format: "%.0f%% below 150 Hz, %.1f%% above 5 kHz", 100 * lows, 100 * highs))
    }
}
