import Foundation
import RiffleCore
import RiffleEngine

/// The prompt parts of the quality score: tempo, key, metre, drums and the other parts, each
/// measured from the audio (and the stems when there are any), against what was asked.
enum Adherence {
    static func parts(_ analysis: Analysis) -> [QualityScore.Part] {
        [tempo(analysis), key(analysis), metre(analysis), drums(analysis), others(analysis)].compactMap { $0 }
    }

    /// The measured tempo's error in percent: 3% off costs a third; the beat heard at half or double
    /// the asked tempo earns half.
    static func tempo(_ analysis: Analysis) -> QualityScore.Part? {
        guard let bpm = analysis.expected.bpm, bpm > 0 else { return nil }
        let measured = TempoEstimator.estimate(analysis.envelope.flux())
        func credit(_ target: Double) -> Double { Shape.gaussian(abs(measured - target) / target, 0.03) }
        let value = max(credit(bpm), 0.5 * credit(2 * bpm), 0.5 * credit(bpm / 2))
        return part("tempo", value, String(format: "%.1f BPM measured, %.1f asked", measured, bpm))
    }

    /// How well the take's pitch profile fits the asked key against the best-fitting of the 24:
    /// the relative key (the same notes: the commonest confusion of key finding, C major heard as
    /// A minor) counts nearly as much as the key itself, and a profile
    /// that fits no key (noise, drums) earns little whatever it is closest to.
    static func key(_ analysis: Analysis) -> QualityScore.Part? {
        guard let asked = analysis.expected.key else { return nil }
        let profile = analysis.pitched.profile
        guard profile.reduce(0, +) > 0 else { return part("key", 0, "no pitch heard") }
        let candidate = KeyEstimator.Candidate(asked)
        let own = KeyEstimator.fit(profile, candidate)
        // A mode has no profile of its own: its notes are those of a major key (A dorian, G major)
        // and its relative minor, which fit it as well as its own tonic's profile does.
        var fit = max(own, KeyEstimator.fit(profile, candidate.relative) - 0.03)
        if let parent = KeyEstimator.Candidate.parent(of: asked) {
            fit = max(fit, KeyEstimator.fit(profile, parent), KeyEstimator.fit(profile, parent.relative))
        }
        let best = KeyEstimator.best(profile)
        let value = exp(-max(0, best.fit - fit) / 0.15) * Shape.logistic(fit, 0.4, 0.08)
        return part("key", value, String(format: "heard %@ (%.2f), %@ %.2f", best.key.name, best.fit, asked.description, own))
    }

    /// Whether the accents recur at the asked bar rather than a contradicting one.
    static func metre(_ analysis: Analysis) -> QualityScore.Part? {
        guard let metre = analysis.expected.metre, let bpm = analysis.expected.bpm,
              let result = MetreEstimator.measure(analysis.envelope, metre: metre, bpm: bpm) else { return nil }
        let rival = result.rival == result.rival.rounded() ? String(Int(result.rival)) : String(format: "%.1f", result.rival)
        return part("metre", Shape.logistic(result.margin, 0, 0.05),
                    String(format: "%@ bars %+.2f against %@ quarters", metre.description, result.margin, rival))
    }

    /// Drums asked for must be heard, drums refused must not: from the drums stem's level when there
    /// is one, else from the mix's percussive transients.
    static func drums(_ analysis: Analysis) -> QualityScore.Part? {
        guard let wanted = analysis.expected.parts[.drums] else { return nil }
        if !analysis.stems.isEmpty {
            let level = analysis.level("drums")
            return part("drums", presence(level: level, wanted: wanted), "\(wanted ? "asked" : "refused"), stem \(decibels(level))")
        }
        let heard = StemPresence.percussiveness(analysis.pitched)
        return part("drums", wanted ? heard : 1 - heard,
                    String(format: "%@, %.2f%% noise above 2.5 kHz", wanted ? "asked" : "refused", 100 * analysis.pitched.noisyHighs))
    }

    /// The other parts named or refused, from their stems (a mix alone cannot tell a piano from a
    /// violin): the mean of each part's presence score.
    static func others(_ analysis: Analysis) -> QualityScore.Part? {
        let asked = analysis.expected.parts.filter { $0.key != .drums }.sorted { $0.key.rawValue < $1.key.rawValue }
        guard !asked.isEmpty, !analysis.stems.isEmpty else { return nil }
        var scores: [Double] = [], details: [String] = []
        for (role, wanted) in asked {
            let level = analysis.level(role.rawValue)
            scores.append(presence(level: level, wanted: wanted))
            details.append("\(role.rawValue) \(wanted ? "asked" : "refused") \(decibels(level))")
        }
        return part("parts", scores.reduce(0, +) / Double(scores.count), details.joined(separator: ", "))
    }

    /// A part asked for scores as it is audible (half at -30 dB against the mix); a part refused
    /// scores as it is silent (half at -45 dB: even a faint bleed of a refused part is heard).
    static func presence(level: Double, wanted: Bool) -> Double {
        guard level.isFinite else { return wanted ? 0 : 1 }
        return wanted ? StemPresence.audibility(level: level) : 1 - Shape.logistic(level, -45, 3)
    }

    static func decibels(_ level: Double) -> String { level.isFinite ? String(format: "%.0f dB", level) : "silent" }
}
