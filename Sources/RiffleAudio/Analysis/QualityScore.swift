import Foundation
import RiffleCore
import RiffleEngine

/// How good a take is on the things that can be measured, 0 to 1, with the parts kept so a user
/// (or a test) can see why. A batch is ranked by it, so the best take is offered first.
///
/// Every part is continuous: how far a measured value lies from its target (a Gaussian or a
/// logistic of the error), never pass or fail, so two takes of a batch rarely tie. Three groups:
///
/// - craft (0.20 of the weight): loudness on target, peaks under the ceiling, no silence or
///   dropouts, the length asked for, a stereo image that is neither out of phase nor mono, and a
///   balance of lows and highs;
/// - the prompt (0.45): the tempo, key and metre asked for, measured from the audio, and the drums
///   and other parts asked for heard, those refused silent (from the stems when there are any);
/// - musical interest (0.35): a tune that moves among several pitches, a form that comes back to
///   its phrases without looping one bar, and a loudness range that breathes.
///
/// Parts that cannot be measured (no key known, no stems for a refused bass) are left out and the
/// weights of the others renormalised.
public struct QualityScore: Sendable, Hashable, Codable {
    /// The weighted mean of the parts.
    public var total: Double
    public var parts: [Part]

    public struct Part: Sendable, Hashable, Codable {
        /// One of ``QualityScore/weights``' names: "loudness", "tempo", "key", "melody"...
        public var name: String
        /// 0 to 1.
        public var score: Double
        /// What was measured, in a few words: "-14.1 LUFS", "2 dropouts".
        public var detail: String
    }

    /// Each part's weight (they sum to 1). The prompt weighs most: a take that ignores what was asked
    /// (refused drums, another key, another tempo) must rank below one that obeys, however well made.
    public static let weights: [String: Double] = [
        // Craft (0.20): engines rarely fail it, so it separates little, but a failure must still cost.
        "loudness": 0.03, "peaks": 0.03, "silence": 0.05, "duration": 0.03, "stereo": 0.03, "spectrum": 0.03,
        // The prompt (0.45).
        "tempo": 0.12, "key": 0.11, "metre": 0.07, "drums": 0.08, "parts": 0.07,
        // Musical interest (0.35): where takes of one batch differ most.
        "melody": 0.12, "form": 0.12, "dynamics": 0.11,
    ]

    /// Scores a take against what its interpretation asked for, with its stems.
    public static func score(_ take: Take) -> QualityScore {
        score(take.audio, stems: take.stems, loudness: take.loudness,
              expected: Expectation(duration: take.request.duration, interpretation: take.interpretation))
    }

    /// Scores `audio` (and its `stems`, when the engine made them) against `expected`; `loudness`
    /// is the take's measured one when known (it is costly to measure again).
    public static func score(_ audio: AudioBuffer, stems: [Take.Stem] = [], loudness: Take.MeasuredLoudness?,
                             expected: Expectation) -> QualityScore {
        let measured = loudness ?? (try? Loudness.measure(audio)).map { Take.MeasuredLoudness(integrated: $0.integrated, truePeak: $0.truePeak) }
        let analysis = Analysis(audio, stems: stems, expected: expected)
        var parts = Craft.parts(audio, loudness: measured, expected: expected)
        parts += Adherence.parts(analysis)
        parts += Interest.parts(analysis)
        let weight = parts.reduce(0.0) { $0 + (weights[$1.name] ?? 0) }
        let total = parts.reduce(0.0) { $0 + (weights[$1.name] ?? 0) * $1.score } / max(weight, 1e-9)
        return QualityScore(total: total, parts: parts)
    }
}

/// What the prompt and interest parts share, measured once: the onset envelope of the mix, the
/// chromagram of what has pitch (the mix less its drums stem), and the melody stem's chromagram.
struct Analysis {
    let audio: AudioBuffer
    let stems: [String: AudioBuffer]
    let expected: QualityScore.Expectation
    let envelope: OnsetEnvelope
    let pitched: Chromagram
    let melody: Chromagram?
    /// The mix mono at about 11 kHz (loudness range is measured on it: a sixth of the samples).
    let mixSignal: PitchSignal
    /// The mix's mean energy per sample, once for every stem's level.
    let mixEnergy: Double

    /// A stem's level against the mix in dB; `-infinity` for no such stem or a silent one.
    func level(_ name: String) -> Double {
        stems[name].map { StemPresence.level(StemPresence.energy($0), against: mixEnergy) } ?? -.infinity
    }

    init(_ audio: AudioBuffer, stems: [Take.Stem], expected: QualityScore.Expectation) {
        self.audio = audio
        self.expected = expected
        self.stems = Dictionary(stems.map { ($0.name, $0.audio) }, uniquingKeysWith: { first, _ in first })
        envelope = OnsetEnvelope(audio)
        mixEnergy = StemPresence.energy(audio)
        mixSignal = PitchSignal(audio)
        var signal = mixSignal
        if let drums = self.stems["drums"], drums.frameCount == audio.frameCount { signal = signal.subtracting(PitchSignal(drums)) }
        pitched = Chromagram(signal)
        if let tune = self.stems["melody"], StemPresence.level(StemPresence.energy(tune), against: mixEnergy) > -40 {
            melody = Chromagram(PitchSignal(tune))
        } else {
            melody = nil
        }
    }

    /// A bar in seconds at the expected tempo and metre (two seconds when neither is known).
    var barSeconds: Double {
        guard let bpm = expected.bpm, bpm > 0 else { return 2 }
        let metre = expected.metre ?? .common
        return Double(metre.beatsPerBar) * 4 / Double(metre.beatUnit) * 60 / bpm
    }
}

/// The shapes that turn an error into a score.
enum Shape {
    /// 1 at no error, e^-1/2 at one `width`.
    static func gaussian(_ error: Double, _ width: Double) -> Double { exp(-0.5 * (error / width) * (error / width)) }
    /// 1 at `target`, falling off by ratio rather than difference (`width` in natural-log units).
    static func logBump(_ value: Double, _ target: Double, _ width: Double) -> Double {
        value > 0 ? gaussian(log(value / target), width) : 0
    }
    /// 0 well below `centre`, 1 well above, one half at it.
    static func logistic(_ value: Double, _ centre: Double, _ width: Double) -> Double { 1 / (1 + exp(-(value - centre) / width)) }
}

/// A part, its score kept within 0...1.
func part(_ name: String, _ value: Double, _ detail: String) -> QualityScore.Part {
    QualityScore.Part(name: name, score: min(1, max(0, value)), detail: detail)
}
