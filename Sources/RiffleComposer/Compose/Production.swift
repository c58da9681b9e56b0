import RiffleCore

/// The last pass over a composed score: what a producer adds to the notes (pan, sustain pedal,
/// expression, pitch bends) so the parts sound played and placed, in the stems and the MIDI alike.
enum Production {
    static func apply(to parts: inout [Score.Part], score: Score, style: ComposerStyle, interpretation: Interpretation) {
    }
}
