import RiffleCore

extension QualityScore {
    /// What the take was meant to be: the length, tempo, key and metre asked for (or chosen by the
    /// engine and reported in its interpretation), and the parts the prompt asked for or refused.
    public struct Expectation: Sendable {
        public var duration: Double
        /// Beats (quarter notes) per minute the audio should pulse at; `nil` to skip the tempo check.
        public var bpm: Double?
        /// Loudness target (LUFS) and true-peak ceiling (dBTP).
        public var loudness: Double = -14
        public var truePeakCeiling: Double = -1
        /// The key the take should sound in; `nil` skips the key check.
        public var key: MusicalKey?
        /// The metre whose bars the accents should mark; `nil` skips the metre check.
        public var metre: TimeSignature?
        /// Parts the prompt named (`true`: must be heard) or refused (`false`: must be silent).
        public var parts: [Instrument.Role: Bool] = [:]

        public init(duration: Double, bpm: Double?, key: MusicalKey? = nil, metre: TimeSignature? = nil,
                    parts: [Instrument.Role: Bool] = [:]) {
            self.duration = duration
            self.bpm = bpm
            self.key = key
            self.metre = metre
            self.parts = parts
        }

        /// The expectation a take's interpretation sets: its tempo, its key (asked, or the one the
        /// engine chose and reported), its metre, the parts of the instruments named and of a drum
        /// kit or drum voices asked for, and the parts refused ("no drums", "solo piano"), refusal first.
        public init(duration: Double, interpretation: Interpretation) {
            self.init(duration: duration, bpm: interpretation.bpm.value, key: interpretation.key?.value,
                      metre: interpretation.timeSignature.value)
            let arrangement = interpretation.arrangement
            for instrument in interpretation.instruments { parts[instrument.role] = true }
            for role in arrangement.programs.keys { parts[role] = true }
            if arrangement.drumKit != nil || !arrangement.drumVoices.isEmpty { parts[.drums] = true }
            for role in arrangement.excluded { parts[role] = false }
        }
    }
}
