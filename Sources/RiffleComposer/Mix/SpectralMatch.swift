import Foundation
import RiffleCore

/// Steers a take's spectrum toward its genre's reference curve (``MixStyle/target``): four shelves
/// (a low shelf at 60 and at 250 Hz, a high shelf at 2 and at 8 kHz) whose gains are solved from
/// the stems' spectra, then run on the stems that carry those bands.
///
/// The matching EQ a mastering engineer reaches for, but applied per stem, so the mix stays the
/// exact sum of the stems. The gains are bounded: a take far from the curve (a solo piano asked
/// for sub bass) moves toward it without being bent out of shape.
struct SpectralMatch {
    /// Gains in dB of the sub (60 Hz low shelf), low (250 Hz low shelf), high (2 kHz high shelf) and
    /// air (8 kHz high shelf) corrections.
    var gains: [Double]

    static let limits: [ClosedRange<Double>] = [-18...12, -8...6, -6...9, -6...9]

    /// The correction filters `role`'s stem runs (each band only where the part can carry it).
    func filters(for role: Instrument.Role, sampleRate: Int) -> [Biquad] {
        var filters: [Biquad] = []
        if (role == .bass || role == .drums) && abs(gains[0]) > 0.25 { filters.append(.lowShelf(60, gain: gains[0], sampleRate: sampleRate)) }
        if abs(gains[1]) > 0.25 { filters.append(.lowShelf(250, gain: gains[1], sampleRate: sampleRate)) }
        if abs(gains[2]) > 0.25 { filters.append(.highShelf(2000, gain: gains[2], sampleRate: sampleRate)) }
        if role != .bass && abs(gains[3]) > 0.25 { filters.append(.highShelf(8000, gain: gains[3], sampleRate: sampleRate)) }
        return filters
    }

    /// Solves the gains that bring the sum of `stems` (each a role, its spectrum and the filters it
    /// already gets, and its width) to `target`'s band shares.
    static func solve(stems: [(role: Instrument.Role, spectrum: Spectrum, filters: [Biquad], width: Double)], target: MixStyle.BandShares,
                      sampleRate: Int) -> SpectralMatch {
        let wanted = [target.sub, target.low, target.lowMid, target.highMid, target.air].map { max($0, 1e-4) }
        var match = SpectralMatch(gains: [0, 0, 0, 0])
        guard stems.contains(where: { $0.spectrum.power.contains { $0 > 0 } }) else { return match }
        for _ in 0..<12 {
            var power = [Double](repeating: 0, count: Spectrum.centres.count)
            for stem in stems {
                let after = stem.spectrum.filtered(by: stem.filters + match.filters(for: stem.role, sampleRate: sampleRate), width: stem.width,
                                                   sampleRate: sampleRate)
                for index in power.indices { power[index] += after.power[index] }
            }
            let shares = Spectrum.shares(power)
            // Each band's error in dB, measured against the low mids, which no shelf moves.
            let error = zip(wanted, shares).map { 10 * log10($0 / max($1, 1e-7)) }
            let relative = error.map { $0 - error[2] }
            // The 250 Hz shelf also lifts the sub, the 2 kHz one the air: each outer shelf makes
            // up only what its neighbour leaves.
            let steps = [relative[0] - relative[1], relative[1], relative[3], relative[4] - relative[3]]
            for index in match.gains.indices {
                match.gains[index] = min(max(match.gains[index] + 0.7 * steps[index], limits[index].lowerBound), limits[index].upperBound)
            }
        }
        return match
    }
}
