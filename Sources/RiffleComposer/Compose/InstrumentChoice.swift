import RiffleCore

/// Who plays: the drum grooves and kit a take gets, and a GM program per pitched part, from the
/// prompt's arrangement request, the instruments it names and the genre's lists.
extension Composer {
    /// Whether the prompt asks for drums: a kit instrument named ("drums", "808 kit"), drum voices,
    /// a kit or a drum program. Timpani are pitched orchestral drums, not a kit.
    static func drumsAsked(_ interpretation: Interpretation) -> Bool {
        let arrangement = interpretation.arrangement
        return interpretation.instruments.contains { $0.role == .drums && $0.name != "timpani" }
            || !arrangement.drumVoices.isEmpty || arrangement.drumKit != nil || arrangement.programs[.drums] != nil
    }

    /// The style whose grooves the drums play: none when the prompt refuses drums or names an
    /// ensemble of strings alone (a string quartet has no drummer), or when the genre plays drums
    /// only on request and none were asked for; the standard kit's groove for a genre without
    /// grooves when the prompt asks for drums; else the preset's.
    func drumGrooves(_ interpretation: Interpretation) -> ComposerStyle {
        var drumStyle = style
        let arrangement = interpretation.arrangement
        let stringsOnly = arrangement.ensemble != nil && !arrangement.programs.isEmpty
            && arrangement.programs.allSatisfy { $0.key != .drums && (40...51).contains($0.value) }
        let asked = Self.drumsAsked(interpretation)
        if !arrangement.allows(.drums) || (stringsOnly && !asked) || (style.drumsOnRequest && !asked) {
            drumStyle.grooves = []
        } else if drumStyle.grooves.isEmpty && asked {
            drumStyle.grooves = ComposerStyle.standard.grooves
        }
        return drumStyle
    }

    /// The GM kit: the one the prompt asks for, else a kit instrument it names, else the preset's.
    func drumKit(_ interpretation: Interpretation) -> Int {
        let arrangement = interpretation.arrangement
        if let kit = arrangement.drumKit ?? arrangement.programs[.drums] { return kit }
        if let named = interpretation.instruments.first(where: { $0.role == .drums && $0.name != "timpani" }),
           (0...127).contains(named.program), named.name != "drums" || named.program != 0 {
            return named.program
        }
        return style.drumKit
    }

    /// Keyboards (pianos, electric pianos, organs): an instrument that can carry a tune and its
    /// own harmony and bass.
    static func isKeyboard(_ program: Int) -> Bool { (0...7).contains(program) || (16...20).contains(program) }

    /// A GM program per part. In order of precedence: what the arrangement request fixes ("string
    /// quartet", "solo piano"), the instruments the prompt names, a draw from the preset's list.
    ///
    /// A prompt that names only keyboards (a piano nocturne, a sad piano ballad) gets the keyboard
    /// on the melody too, not the genre's violin or synth lead, and on the bass where the genre's
    /// bass is an orchestral string (a piano's left hand is its bass). A second instrument named
    /// for a part already taken colours the texture.
    func instrumentPrograms(_ interpretation: Interpretation, seed: Int64) -> [Instrument.Role: Int] {
        var choices = choices(.instruments, seed: seed)
        var programs: [Instrument.Role: Int] = [:]
        for role in [Instrument.Role.bass, .harmony, .melody, .texture] {
            let list = style.instruments[role] ?? []
            guard !list.isEmpty else { continue }
            // Gentle: the genre's first instrument is likeliest, its others come up in other takes.
            programs[role] = choices.pick(list.enumerated().map { ($0.element, conditioned: -0.3 * Double($0.offset), unconditioned: 0.0) })
        }
        let pitched = interpretation.instruments.filter { $0.role != .drums }
        var named = Set<Instrument.Role>()
        for instrument in pitched {
            if !named.contains(instrument.role) {
                programs[instrument.role] = instrument.program
                named.insert(instrument.role)
            } else if !named.contains(.texture) {
                programs[.texture] = instrument.program
                named.insert(.texture)
            }
        }
        if let keyboard = pitched.first, pitched.allSatisfy({ Self.isKeyboard($0.program) }) {
            programs[.melody] = keyboard.program
            if let bass = programs[.bass], (40...47).contains(bass) { programs[.bass] = keyboard.program }
        }
        for (role, program) in interpretation.arrangement.programs where role != .drums {
            programs[role] = program
        }
        return programs
    }
}
