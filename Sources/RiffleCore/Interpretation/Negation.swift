/// Negations and solo forms: what a prompt refuses ("no drums", "without bass", "drumless") and
/// what it wants alone ("solo piano", "just piano and strings", "unaccompanied cello"), plus the
/// featured solo ("cello solo") that must not become a solo section.
///
/// A negated phrase is understood but never applied: a refused instrument is not asked for, and the
/// part it plays is silenced unless another instrument named in the prompt plays it. A negation
/// reaches the phrases joined to it by "and", "or", "nor" up to the end of its clause, and stops at
/// anything else: "no drums or bass" refuses both, "no drums but a big bass" keeps the bass.
extension PromptInterpreter {
    /// Words that start a negation.
    static let negators: Set<String> = ["no", "without", "minus", "sans", "w/o", "not", "zero", "excluding", "except", "nor"]
    /// Words between a negator and what it refuses ("without any drums").
    static let determiners: Set<String> = ["any", "the", "a", "an"]
    /// Words that carry a negation on to the next phrase.
    static let joiners: Set<String> = ["and", "or", "nor", "&", "/"]
    /// Suffixes that negate the word they end: "drumless", "bass-free".
    static let negatingSuffixes = ["less", "-free"]
    /// What a refusal of these words means beyond the lexicon: the drums for a beat; nothing for
    /// vocals, which the Composer never sings.
    static let refusalWords: [String: Instrument.Role?] = [
        "beat": .drums, "beats": .drums, "groove": .drums, "vocals": nil, "vocal": nil, "voice": nil, "voices": nil,
        "singing": nil, "singer": nil, "lyrics": nil, "words": nil, "rap": nil, "rapping": nil,
    ]

    /// Reads a negation at `index`; returns the words it used, or `nil` if there is none.
    func negation(at index: Int, _ prose: Prose, _ reading: inout Reading) -> Int? {
        let word = prose.lower[index]
        if let suffix = Self.negatingSuffixes.first(where: { word.hasSuffix($0) && word.count > $0.count + 2 }) {
            let stem = Prose(words: [String(word.dropLast(suffix.count))], lower: [String(word.dropLast(suffix.count))], clauseEnds: [true])
            if let used = refusal(at: 0, stem, &reading), used == 1 { return 1 }
        }
        guard Self.negators.contains(word) else { return nil }
        var next = index + 1
        while next < prose.count, Self.determiners.contains(prose.lower[next]) { next += 1 }
        guard next < prose.count, !prose.clauseEnds[index], let first = refusal(at: next, prose, &reading) else { return nil }
        var end = next + first
        // "no drums or bass", "without drums and bass": the negation carries over a joiner.
        while end + 1 < prose.count, !prose.clauseEnds[end - 1], Self.joiners.contains(prose.lower[end]),
              let more = refusal(at: end + 1, prose, &reading) {
            end += 1 + more
        }
        return end - index
    }

    /// Refuses the phrase at `index` if it names something the prompt can refuse; returns its length.
    private func refusal(at index: Int, _ prose: Prose, _ reading: inout Reading) -> Int? {
        let word = prose.lower[index]
        if let role = Self.refusalWords[word] {
            if let role, !reading.refused.contains(role) { reading.refused.append(role) }
            return 1
        }
        guard let (length, meanings) = match(at: index, prose), let meaning = meanings.first else { return nil }
        switch meaning {
        case .kit: refuse(.drums, &reading)
        case .instrument(let instrument): refuse(instrument.role, &reading)
        case .voice(let voice):
            reading.notes.append("no \(voice.rawValue): a single drum voice cannot be left out; the drums still play")
        case .style(let style):
            // "no reverb" is dry.
            if let opposite = style.opposite, let meant = StyleModifier.phrases[opposite] { record(.style(meant), &reading) }
        default:
            // A section, mood or genre refused: understood, not applied.
            break
        }
        return length
    }

    private func refuse(_ role: Instrument.Role, _ reading: inout Reading) {
        if !reading.refused.contains(role) { reading.refused.append(role) }
    }

    // MARK: Solo forms.

    /// Words before an instrument that make it the only one: "solo piano", "unaccompanied cello".
    static let aloneBefore: Set<String> = ["solo", "unaccompanied", "lone", "just", "only"]
    /// Words after an instrument that make it the only one: "piano only".
    static let aloneAfter: Set<String> = ["only", "alone"]
    /// Words that add another instrument to a "just ..." list: "just piano and strings".
    static let listJoiners: Set<String> = ["and", "&", "plus", "with", "+"]

    /// Reads "solo piano", "just piano and strings", "piano only", "cello solo" at `index`.
    func soloForm(at index: Int, _ prose: Prose, _ reading: inout Reading) -> Int? {
        let word = prose.lower[index]
        if Self.aloneBefore.contains(word), index + 1 < prose.count, !prose.clauseEnds[index],
           let (length, first) = player(at: index + 1, prose) {
            var players = [first]
            var end = index + 1 + length
            // Only "just" and "only" take a list; "solo piano and strings" is a solo piano with strings.
            if word == "just" || word == "only" {
                while end + 1 < prose.count, !prose.clauseEnds[end - 1], Self.listJoiners.contains(prose.lower[end]),
                      let (more, player) = player(at: end + 1, prose) {
                    players.append(player)
                    end += 1 + more
                }
            }
            alone(players, &reading)
            return end - index
        }
        guard let (length, instrument) = player(at: index, prose), index + length < prose.count, !prose.clauseEnds[index + length - 1]
        else { return nil }
        let after = prose.lower[index + length]
        if Self.aloneAfter.contains(after) {
            alone([instrument], &reading)
            return length + 1
        }
        guard after == "solo" || after == "solos", instrument.role != .drums else { return nil }
        // "piano solo" is a piece for piano alone; "cello solo" a cello featured on the tune.
        if (0...7).contains(instrument.program) {
            alone([instrument], &reading)
            return length + 1
        }
        featured(instrument, &reading)
        if index + length + 1 < prose.count, prose.lower[index + length + 1] == "section" {
            record(.section(.solo), &reading)
            return length + 2
        }
        return length + 1
    }

    /// The instrument or kit at `index` and its length in words.
    private func player(at index: Int, _ prose: Prose) -> (Int, Instrument)? {
        guard let (length, meanings) = match(at: index, prose) else { return nil }
        for meaning in meanings {
            if case .instrument(let instrument) = meaning { return (length, instrument) }
            if case .kit(let kit) = meaning { return (length, kit.instrument) }
        }
        return nil
    }

    /// Only `players` play: each on its own part, and on every other pitched part one of them can
    /// carry (a piano plays bass, chords and tune); the rest, drums included unless named, are left out.
    private func alone(_ players: [Instrument], _ reading: inout Reading) {
        // "solo piano" names the line-up only when nothing else was named before it ("drums and bass only" is no solo bass).
        if players.count == 1, players[0].role != .drums, reading.instruments.isEmpty, reading.soloName == nil {
            reading.soloName = "solo \(players[0].name)"
        }
        var programs: [Instrument.Role: Int] = [:]
        for player in players where player.role != .drums && programs[player.role] == nil { programs[player.role] = player.program }
        for role in [Instrument.Role.bass, .harmony, .melody] where programs[role] == nil {
            if let player = players.first(where: { $0.role != .drums && $0.playableRoles.contains(role) }) { programs[role] = player.program }
        }
        let drums = players.contains { $0.role == .drums }
        for role in Instrument.Role.allCases where programs[role] == nil && !(role == .drums && drums) && !reading.excluded.contains(role) {
            reading.excluded.append(role)
        }
        reading.programs.merge(programs) { $1 }
        for player in players {
            if player.role == .drums, let kit = DrumWords.kits.values.first(where: { $0.name == player.name }) {
                record(.kit(kit), &reading)
            } else {
                recordInstrument(player, &reading)
            }
        }
    }

    /// `instrument` featured on the tune.
    private func featured(_ instrument: Instrument, _ reading: inout Reading) {
        // A guitar solo is played on a driven lead tone, not the clean rhythm one.
        let program = instrument.program == 27 ? 29 : instrument.program
        let soloist = Instrument(name: instrument.name, program: program, role: .melody)
        reading.programs[.melody] = program
        recordInstrument(soloist, &reading)
    }
}
