import RiffleCore

/// Lays the genre's form over the bars a take has room for.
///
/// A long take plays the template with full four-bar intros and repeats its body when there is
/// time to spare. A short one (under ``shortTake`` seconds) gets to its first main section within
/// ``leadIn`` seconds: a bar or two of intro, a bar or two of outro, and the body's sections cut to
/// a phrase each, the melodic ones kept first.
enum FormPlanner {
    /// Takes shorter than this many seconds get short intros and outros.
    static let shortTake = 25.0
    /// The most seconds a short take plays before the melody's first section.
    static let leadIn = 4.5

    /// Bars a section gets when there is room: `phrase` (8, or 12 for a twelve-bar blues) for the
    /// main sections, 4 for the rest.
    static func nominalBars(_ kind: SectionKind, phrase: Int = 8) -> Int {
        switch kind {
        case .verse, .chorus, .drop, .solo: phrase
        case .intro, .outro, .build, .breakdown, .bridge: 4
        }
    }

    /// The sections filling exactly `totalBars`, taking the likeliest form: the shortest intro a
    /// short take allows, the template's order. Without `barSeconds` the take counts as long.
    static func plan(template: [SectionKind], requested: [SectionKind], totalBars: Int, phrase: Int = 8,
                     barSeconds: Double? = nil) -> [Score.Section] {
        plan(template: template, requested: requested, totalBars: totalBars, phrase: phrase,
             barSeconds: barSeconds ?? .infinity) { _ in false }
    }

    /// The sections filling exactly `totalBars`, the form drawn per seed: a long or short intro and
    /// outro, and in a short take whether the chorus comes first.
    static func plan(template: [SectionKind], requested: [SectionKind], totalBars: Int, phrase: Int = 8,
                     barSeconds: Double, _ choices: inout Choices) -> [Score.Section] {
        plan(template: template, requested: requested, totalBars: totalBars, phrase: phrase, barSeconds: barSeconds) { decision in
            choices.chance(decision.likelihood)
        }
    }

    /// The ways a form varies from seed to seed, each with how likely it is.
    enum Decision {
        /// A long take's intro of two bars instead of four.
        case shortIntro
        /// A short take's intro of two bars instead of one (where the lead-in allows).
        case longerIntro
        /// A short take's outro of two bars instead of one.
        case longerOutro
        /// A short take opens with its chorus.
        case chorusFirst

        var likelihood: Double {
            switch self {
            case .shortIntro: 0.3
            case .longerIntro: 0.4
            case .longerOutro: 0.4
            case .chorusFirst: 0.25
            }
        }
    }

    /// Sections with a melody.
    static func isMain(_ kind: SectionKind) -> Bool {
        MelodyWriter.lift(kind) != nil && kind != .outro
    }

    private static func plan(template: [SectionKind], requested: [SectionKind], totalBars: Int, phrase: Int,
                             barSeconds: Double, decide: (Decision) -> Bool) -> [Score.Section] {
        var kinds = template
        for kind in requested where !kinds.contains(kind) {
            let position = kinds.last == .outro ? kinds.count - 1 : kinds.count
            kinds.insert(kind, at: position)
        }
        let short = Double(totalBars) * barSeconds < shortTake
        guard short, kinds.contains(where: isMain) else {
            return long(kinds: kinds, requested: requested, totalBars: totalBars, phrase: phrase,
                        intro: decide(.shortIntro) ? 2 : 4)
        }
        return sections(shortForm(kinds: kinds, requested: Set(requested), totalBars: totalBars, phrase: phrase,
                                  barSeconds: barSeconds, decide: decide))
    }

    /// A short take: lead-in, body cut to fit, outro.
    private static func shortForm(kinds: [SectionKind], requested: Set<SectionKind>, totalBars: Int, phrase: Int,
                                  barSeconds: Double, decide: (Decision) -> Bool) -> [(SectionKind, Int)] {
        guard let firstMain = kinds.firstIndex(where: isMain) else { return [(kinds[0], totalBars)] }
        let hasOutro = kinds.last == .outro
        var body = Array(kinds[firstMain..<(hasOutro ? kinds.count - 1 : kinds.count)])
        if decide(.chorusFirst), let chorus = body.firstIndex(of: .chorus), chorus > 0 {
            body.insert(body.remove(at: chorus), at: 0)
        }

        // The lead-in: what comes before the first main section, within `leadIn` seconds.
        let allowed = max(1, min(2, Int(leadIn / barSeconds)))
        var prefix: [(SectionKind, Int)] = []
        if totalBars >= 3 {
            var left = allowed
            for kind in kinds[..<firstMain] where left > 0 {
                let size = kind == .intro && left >= 2 && decide(.longerIntro) ? 2 : 1
                prefix.append((kind, size))
                left -= size
            }
        }
        var room = totalBars - prefix.reduce(0) { $0 + $1.1 }
        var outro = 0
        if hasOutro, room >= 5 {
            outro = room >= 10 && decide(.longerOutro) ? 2 : 1
            room -= outro
        }

        // The body: a phrase per main section (whole loops of a long one when they fit), two bars
        // for the rest; cut down until it fits, the melodic sections last to go.
        let mainSize = phrase > 8 && room >= phrase ? phrase : 4
        var sizes = body.map { isMain($0) ? mainSize : 2 }
        func removable(_ melodic: Bool) -> Int? {
            body.indices.dropFirst().reversed().first { index in
                isMain(body[index]) == melodic && (!requested.contains(body[index]) || body.filter { $0 == body[index] }.count > 1)
            }
        }
        while sizes.reduce(0, +) > room, let index = removable(false) {
            body.remove(at: index)
            sizes.remove(at: index)
        }
        while sizes.reduce(0, +) > room, body.filter(isMain).count > 2, let index = removable(true) {
            body.remove(at: index)
            sizes.remove(at: index)
        }
        while sizes.reduce(0, +) > room {
            if let largest = sizes.indices.filter({ sizes[$0] > 2 }).max(by: { sizes[$0] <= sizes[$1] }) {
                sizes[largest] -= 1
            } else if body.count > 1 {
                body.removeLast()
                sizes.removeLast()
            } else {
                sizes[0] = room
            }
        }
        // Room to spare: the main sections grow toward a full phrase, then the last one takes the rest.
        for index in body.indices where isMain(body[index]) {
            let grow = min(max(0, nominalBars(body[index], phrase: phrase) - sizes[index]), room - sizes.reduce(0, +))
            sizes[index] += grow
        }
        sizes[sizes.count - 1] += room - sizes.reduce(0, +)

        var form = prefix
        for (kind, size) in zip(body, sizes) where size > 0 {
            // Two of a kind in a row are one longer section.
            if let last = form.last, last.0 == kind, form.count > prefix.count {
                form[form.count - 1].1 += size
            } else {
                form.append((kind, size))
            }
        }
        if outro > 0 { form.append((.outro, outro)) }
        return form
    }

    /// A long take: the template with its full sections, cut from the middle when time is short and
    /// its body repeated when there is time to spare.
    private static func long(kinds: [SectionKind], requested: [SectionKind], totalBars: Int, phrase: Int,
                             intro: Int) -> [Score.Section] {
        var kinds = kinds
        let nominalBars = { (kind: SectionKind) in kind == .intro ? intro : Self.nominalBars(kind, phrase: phrase) }
        var sizes = kinds.map(nominalBars)
        let body = kinds.filter { $0 != .intro && $0 != .outro }
        let protected = Set(requested)
        // A take keeps one main section at least, however short: intro and outro shrink first.
        func isLastMain(_ index: Int) -> Bool { isMain(kinds[index]) && kinds.filter(isMain).count == 1 }

        // Too long: halve the longest body sections to 4 bars (or one loop), then drop sections from
        // just before the end, then halve everything down to single bars.
        while sizes.reduce(0, +) > totalBars {
            // A form built on a long loop (a twelve-bar blues) keeps whole loops as long as it can.
            let shortest = phrase > 8 ? phrase : 4
            if let longest = sizes.indices.filter({ sizes[$0] > shortest }).max(by: { sizes[$0] <= sizes[$1] }) {
                sizes[longest] = max(shortest, sizes[longest] / 2)
            } else if kinds.count > 2,
                      let removable = kinds.indices.dropFirst().dropLast().reversed().first(where: { index in
                          (!protected.contains(kinds[index]) || kinds.filter({ $0 == kinds[index] }).count > 1) && !isLastMain(index)
                      }) ?? (kinds.count > 3 && !isLastMain(kinds.count - 2) ? kinds.count - 2 : nil) {
                kinds.remove(at: removable)
                sizes.remove(at: removable)
            } else if let longest = sizes.indices.filter({ sizes[$0] > 1 }).max(by: { sizes[$0] <= sizes[$1] }) {
                sizes[longest] = (sizes[longest] + 1) / 2
            } else {
                kinds.removeLast()
                sizes.removeLast()
            }
        }
        // Room to spare: repeat the body before the outro, then give what is left to the last section.
        var next = 0
        while totalBars - sizes.reduce(0, +) >= phrase, !body.isEmpty {
            let kind = body[next % body.count]
            next += 1
            let position = kinds.last == .outro ? kinds.count - 1 : kinds.count
            kinds.insert(kind, at: position)
            sizes.insert(nominalBars(kind), at: position)
        }
        if kinds.isEmpty {
            kinds = [body.first ?? .verse]
            sizes = [0]
        }
        sizes[sizes.count - 1] += totalBars - sizes.reduce(0, +)
        return sections(Array(zip(kinds, sizes)))
    }

    /// Sections from kinds and sizes, end to end from bar 0; empty ones left out.
    private static func sections(_ form: [(SectionKind, Int)]) -> [Score.Section] {
        var sections: [Score.Section] = []
        var bar = 0
        for (kind, size) in form where size > 0 {
            sections.append(Score.Section(kind: kind, startBar: bar, bars: size))
            bar += size
        }
        return sections
    }
}
