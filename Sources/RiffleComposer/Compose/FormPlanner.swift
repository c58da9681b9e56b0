import RiffleCore

/// Lays the genre's form over the bars a take has room for.
enum FormPlanner {
    /// Bars a section gets when there is room: `phrase` (8, or 12 for a twelve-bar blues) for the
    /// main sections, 4 for the rest.
    static func nominalBars(_ kind: SectionKind, phrase: Int = 8) -> Int {
        switch kind {
        case .verse, .chorus, .drop, .solo: phrase
        case .intro, .outro, .build, .breakdown, .bridge: 4
        }
    }

    /// Sections filling exactly `totalBars`: the template, with the sections the prompt asks for
    /// added, shortened or trimmed from the middle when time is short, and its body repeated when
    /// there is time to spare.
    static func plan(template: [SectionKind], requested: [SectionKind], totalBars: Int, phrase: Int = 8) -> [Score.Section] {
        let nominalBars = { (kind: SectionKind) in Self.nominalBars(kind, phrase: phrase) }
        var kinds = template
        for kind in requested where !kinds.contains(kind) {
            let position = kinds.last == .outro ? kinds.count - 1 : kinds.count
            kinds.insert(kind, at: position)
        }
        var sizes = kinds.map(nominalBars)
        let body = kinds.filter { $0 != .intro && $0 != .outro }
        let protected = Set(requested)

        // Too long: halve the longest body sections to 4 bars (or one loop), then drop sections from
        // just before the end, then halve everything down to single bars.
        while sizes.reduce(0, +) > totalBars {
            // A form built on a long loop (a twelve-bar blues) keeps whole loops as long as it can.
            let shortest = phrase > 8 ? phrase : 4
            if let longest = sizes.indices.filter({ sizes[$0] > shortest }).max(by: { sizes[$0] <= sizes[$1] }) {
                sizes[longest] = max(shortest, sizes[longest] / 2)
            } else if kinds.count > 2,
                      let removable = kinds.indices.dropFirst().dropLast().reversed().first(where: { index in
                          !protected.contains(kinds[index]) || kinds.filter({ $0 == kinds[index] }).count > 1
                      }) ?? (kinds.count > 3 ? kinds.count - 2 : nil) {
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
            kinds = [template.first ?? .verse]
            sizes = [0]
        }
        sizes[sizes.count - 1] += totalBars - sizes.reduce(0, +)

        var sections: [Score.Section] = []
        var bar = 0
        for (kind, size) in zip(kinds, sizes) where size > 0 {
            sections.append(Score.Section(kind: kind, startBar: bar, bars: size))
            bar += size
        }
        return sections
    }
}
