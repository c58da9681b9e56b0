import Foundation
import RiffleCore

/// Whether the accents of a take recur at the bar length its time signature asks for.
///
/// The accent envelope is the onset flux of the low and middle bands (kick, bass, chord changes;
/// the hi-hat's even grid says nothing about the bar). Its autocorrelation at one and two bars of
/// the asked metre is compared with that at bar lengths that contradict it (3 against 4 quarters,
/// 5, 7 eighths...): lengths that divide or multiply the asked bar agree with it (2/4 and 4/4) and
/// are not counted against it. Tempo is the asked one; a wrong tempo costs in the tempo part.
enum MetreEstimator {
    /// Bar lengths, in quarter notes, that metres of the supported signatures make.
    static let candidates: [Double] = [2, 3, 3.5, 4, 5, 6, 7]

    struct Result {
        /// The asked bar's periodicity less the best contradicting one's, in correlation units
        /// (positive: the asked metre explains the accents better).
        var margin: Double
        /// The contradicting bar length that fits best, in quarters.
        var rival: Double
    }

    static func measure(_ envelope: OnsetEnvelope, metre: TimeSignature, bpm: Double) -> Result? {
        let accents = envelope.flux(bands: [0, 1])
        let energy = OnsetEnvelope.autocorrelation(accents, lag: 0)
        let asked = Double(metre.beatsPerBar) * 4 / Double(metre.beatUnit)
        let framesPerQuarter = OnsetEnvelope.rate * 60 / bpm
        // Two bars of the longest candidate must fit twice in the take.
        guard energy > 0, bpm > 0, Double(accents.count) > 4 * 7 * framesPerQuarter else { return nil }
        /// Periodicity at a bar length: the best lag within ±20 ms (timing is humanised), one and two bars.
        func periodicity(_ quarters: Double) -> Double {
            func peak(_ lag: Double) -> Double {
                (-2...2).map { OnsetEnvelope.autocorrelation(accents, lag: lag + Double($0)) }.max() ?? 0
            }
            let lag = quarters * framesPerQuarter
            return (peak(lag) + peak(2 * lag)) / (2 * energy)
        }
        func agrees(_ a: Double, _ b: Double) -> Bool {
            let ratio = max(a, b) / min(a, b)
            return abs(ratio - ratio.rounded()) < 1e-6
        }
        let own = periodicity(asked)
        let rivals = candidates.filter { !agrees($0, asked) }.map { ($0, periodicity($0)) }
        guard let rival = rivals.max(by: { $0.1 < $1.1 }) else { return nil }
        return Result(margin: own - rival.1, rival: rival.0)
    }
}
