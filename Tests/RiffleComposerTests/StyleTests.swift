import Foundation
@testable import RiffleComposer
import RiffleCore
import RiffleTestSupport
import Testing

@Suite("Genre styles: the [composer] tables in Presets/")
struct StyleTests {
    @Test("every built-in preset has a complete style whose grooves fit its metres")
    func builtIns() throws {
        #expect(catalog.presets.count >= 20)
        for preset in catalog.presets {
            let style = try ComposerStyle.load(for: preset)
            #expect(style != .standard, "\(preset.name) has its own [composer] table")
            for role in [Instrument.Role.bass, .harmony, .melody, .texture] {
                #expect(!(style.instruments[role] ?? []).isEmpty, "\(preset.name): \(role) instruments")
            }
            if !style.grooves.isEmpty {
                // A groove for every metre the genre lists, written for it, and a real choice of them
                // in its first metre, so takes differ in their drums.
                for metre in preset.timeSignatures {
                    let fitting = style.grooves(fitting: metre)
                    #expect(!fitting.isEmpty, "\(preset.name): a groove written for \(metre)")
                    #expect(fitting.allSatisfy { $0.lanes.allSatisfy { $0.pattern.count % metre.stepsPerBar == 0 } })
                }
                #expect(style.grooves(fitting: preset.timeSignatures[0]).count >= 3, "\(preset.name): three grooves or more")
            }
        }
    }

    @Test("Roman numerals take their quality from the key; suffixes add sevenths")
    func numerals() throws {
        #expect(ChordSymbol("V")?.intervals(in: .major, addSeventh: false) == [7, 11, 14])
        #expect(ChordSymbol("ii")?.intervals(in: .major, addSeventh: false) == [2, 5, 9])
        #expect(ChordSymbol("VI")?.intervals(in: .minor, addSeventh: false) == [8, 12, 15])
        #expect(ChordSymbol("I7")?.intervals(in: .major, addSeventh: false) == [0, 4, 7, 10])
        #expect(ChordSymbol("ii7")?.intervals(in: .major, addSeventh: false) == [2, 5, 9, 12])
        #expect(ChordSymbol("IVmaj7")?.intervals(in: .major, addSeventh: false) == [5, 9, 12, 16])
        #expect(ChordSymbol("viio")?.degree == 6)
        #expect(ChordSymbol("VIII") == nil)
        #expect(ChordLoop("I V vi IV")?.chords.map(\.degree) == [0, 4, 5, 3])
        #expect(ChordLoop("I V x") == nil)
    }

    @Test("a user preset without a [composer] table gets the standard style; a broken one says what is wrong")
    func userPresets() throws {
        let directory = try TemporaryDirectory()
        let base = """
        name = "%@"
        time_signatures = ["4/4"]
        modes = ["major"]
        [tempo]
        min = 90
        max = 130
        default = 110

        """
        try String(format: base, "plain").write(toFile: directory.path("plain.toml"), atomically: true, encoding: .utf8)
        try (String(format: base, "broken") + "[composer]\n[[composer.grooves]]\nkick = \"X..Z\"\n")
            .write(toFile: directory.path("broken.toml"), atomically: true, encoding: .utf8)
        try (String(format: base, "wrong") + "[composer]\nloops = [\"I V banana\"]\n")
            .write(toFile: directory.path("wrong.toml"), atomically: true, encoding: .utf8)
        let catalog = PresetCatalog(directories: [directory.url])
        #expect(try ComposerStyle.load(for: #require(catalog.preset(named: "plain"))) == .standard)
        #expect {
            try ComposerStyle.load(for: #require(catalog.preset(named: "broken")))
        } throws: { error in
            "\(error)".contains("broken.toml") && "\(error)".contains("composer.grooves") && "\(error)".contains("X (accent)")
        }
        #expect {
            try ComposerStyle.load(for: #require(catalog.preset(named: "wrong")))
        } throws: { error in
            "\(error)".contains("wrong.toml") && "\(error)".contains("I V banana")
        }
    }

    @Test("the form fills exactly the bars there are, for any length", arguments: [1, 2, 3, 7, 8, 15, 16, 33, 64, 100, 250])
    func formPlanner(bars: Int) {
        for template in [ComposerStyle.standard.form, [.intro, .build, .drop, .breakdown, .drop, .outro], [.verse]] {
            let sections = FormPlanner.plan(template: template, requested: [.bridge], totalBars: bars)
            #expect(sections.map(\.bars).reduce(0, +) == bars)
            #expect(sections.allSatisfy { $0.bars > 0 })
            if bars >= 32 { #expect(sections.contains { $0.kind == .bridge }, "room for the requested bridge in \(bars) bars") }
        }
    }
}
