import Foundation
import RiffleCore
import RiffleEngine

/// Whether the parts a prompt asks for play and the parts it refuses stay silent, from the stems
/// when the engine made them, else (drums only) from the mix's transients.
enum StemPresence {
    /// A stem's level against the mix, from their mean energies, in dB; `-infinity` for a silent stem.
    static func level(_ stemEnergy: Double, against mixEnergy: Double) -> Double {
        guard mixEnergy > 0 else { return -.infinity }
        return stemEnergy > 0 ? 10 * log10(stemEnergy / mixEnergy) : -.infinity
    }

    static func energy(_ audio: AudioBuffer) -> Double {
        audio.samples.withUnsafeBufferPointer { samples in
            var sum: Float = 0, total = 0.0
            for (index, sample) in samples.enumerated() {
                sum += sample * sample
                // Blocks of Float summed into a Double: fast, and no precision lost over millions of samples.
                if index & 4095 == 4095 { total += Double(sum); sum = 0 }
            }
            return (total + Double(sum)) / Double(max(1, samples.count))
        }
    }

    /// How present a part is, 0 (silent) to 1 (clearly there), from its level against the mix:
    /// half at -30 dB (a part that quiet is masked by the rest), a smooth ramp on either side.
    static func audibility(level: Double) -> Double {
        guard level.isFinite else { return 0 }
        return 1 / (1 + exp(-(level + 30) / 3))
    }

    /// Percussion heard in a mix with no stems, 0 to 1: the share of the power that is noise above
    /// 2.5 kHz (``Chromagram/noisyHighs``), on a log scale, half at 0.03%: hats, snares and cymbals
    /// are noise there, pitched parts are partials (and a note's attack is too short to count).
    static func percussiveness(_ chroma: Chromagram) -> Double {
        Shape.logistic(log(max(chroma.noisyHighs, 1e-9)), log(3e-4), 0.6)
    }
}
