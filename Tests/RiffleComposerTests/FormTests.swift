import Foundation
@testable import RiffleComposer
import RiffleCore
import Testing

@Suite("Form: short takes reach their main section, long ones keep their intros, every plan fills its bars")
struct FormTests {
    @Test("a 20 s take of any genre has a main section and its melody starts within 4.5 s")
    func shortTakesReachTheTune() throws {
        var entries: [Double] = []
        for preset in catalog.presets {
            for seed: Int64 in [1, 2, 3] {
                let score = try score("\(preset.name) song", seed: seed, duration: 20)
                let kinds = score.sections.map(\.kind)
                #expect(kinds.contains { [.verse, .chorus, .drop, .solo].contains($0) }, "\(preset.name) seed \(seed): \(kinds)")
                #expect((score.sections.first { $0.kind == .intro }?.bars ?? 0) <= 2, "\(preset.name): intro \(score.sections)")
                #expect((score.sections.first { $0.kind == .outro }?.bars ?? 0) <= 2, "\(preset.name): outro \(score.sections)")
                let first = try #require(score.part(.melody)?.notes.map(\.start).min(), "\(preset.name) seed \(seed) has a melody")
                let entry = score.seconds(atQuarter: first)
                entries.append(entry)
                #expect(entry <= 4.5, "\(preset.name) seed \(seed): melody enters at \(entry) s over \(score.sections)")
            }
        }
        #expect(entries.sorted()[entries.count / 2] <= 3, "median melody entry \(entries.sorted()[entries.count / 2]) s")
    }

    @Test("a long take keeps a full intro and plays its form")
    func longTakesKeepTheirIntro() throws {
        let score = try score("modern pop song", seed: 1, duration: 150)
        #expect(score.sections.first?.kind == .intro && score.sections.first?.bars == 4)
        #expect(Set(score.sections.map(\.kind)).isSuperset(of: [.verse, .chorus, .bridge, .outro]))
    }

    @Test("drawn forms vary by seed, always fill the bars exactly and keep requested sections where there is room",
          arguments: [3, 6, 9, 12, 20, 40, 80])
    func drawnForms(bars: Int) {
        var plans = Set<[Score.Section]>()
        for seed in Int64(0)..<16 {
            var choices = Choices(seed: seed, stream: 9, sampling: SamplingParameters())
            for template in [ComposerStyle.standard.form, [.intro, .build, .drop, .breakdown, .build, .drop, .outro], [.verse]] {
                let sections = FormPlanner.plan(template: template, requested: [.bridge], totalBars: bars, barSeconds: 2, &choices)
                #expect(sections.map(\.bars).reduce(0, +) == bars)
                #expect(sections.allSatisfy { $0.bars > 0 })
                for (section, next) in zip(sections, sections.dropFirst()) { #expect(section.endBar == next.startBar) }
                if bars >= 12 { #expect(sections.contains { $0.kind == .bridge }, "the requested bridge in \(bars) bars: \(sections)") }
                if template == ComposerStyle.standard.form { plans.insert(sections) }
            }
        }
        if bars >= 9 { #expect(plans.count >= 2, "\(bars) bars: \(plans.count) different pop forms over 16 seeds") }
    }

    @Test("a short blues keeps whole twelve-bar loops when they fit")
    func bluesLoops() {
        let sections = FormPlanner.plan(template: [.intro, .verse, .verse, .solo, .verse, .outro], requested: [], totalBars: 15,
                                        phrase: 12, barSeconds: 1.6)
        #expect(sections.contains { $0.kind == .verse && $0.bars >= 12 }, "\(sections)")
        #expect(sections.map(\.bars).reduce(0, +) == 15)
    }

    @Test("an EDM take of 20 s reaches its drop within two bars")
    func dropEarly() {
        let sections = FormPlanner.plan(template: [.intro, .build, .drop, .breakdown, .build, .drop, .outro], requested: [],
                                        totalBars: 10, barSeconds: 1.875)
        let drop = sections.first { $0.kind == .drop }
        #expect(drop != nil && drop!.startBar <= 2, "\(sections)")
    }
}
