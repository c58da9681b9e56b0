import Foundation
@testable import RiffleComposer
import RiffleCore
import RiffleTestSupport
import Testing

/// What a listener hears of a lead line, measured from the score.
struct LineMeasure {
    let notes: [ScoreNote]
    let score: Score

    init(_ score: Score) {
        self.score = score
        notes = (score.part(.melody)?.notes ?? []).sorted { $0.start < $1.start }
    }

    /// Whether a note starts away from every beat (swing and human timing allowed for).
    func offBeat(_ note: ScoreNote) -> Bool {
        let inBar = note.start.truncatingRemainder(dividingBy: score.barLength)
        let beats = score.timeSignature.beatSteps.map { Double($0) * 0.25 } + [score.barLength]
        return !beats.contains { abs(inBar - $0) < 0.07 }
    }

    var offBeatCount: Int { notes.filter(offBeat).count }

    /// Successive notes on the same pitch.
    var repeats: Int { zip(notes, notes.dropFirst()).filter { $0.pitch == $1.pitch }.count }

    /// The longest row of notes an eighth apart (on the eighth grid, so swing still counts).
    var longestEighthRun: Int {
        let grid = notes.map { Int(($0.start * 2).rounded()) }
        var longest = 1, current = 1
        for (a, b) in zip(grid, grid.dropFirst()) {
            current = b - a == 1 ? current + 1 : 1
            longest = max(longest, current)
        }
        return notes.isEmpty ? 0 : longest
    }

    /// The rhythm as sixteenth positions from the first note, for comparing tunes.
    var rhythm: [Int] {
        guard let first = notes.first else { return [] }
        return notes.prefix(24).map { Int((($0.start - first.start) * 4).rounded()) }
    }
}

@Suite("Melody: rhythm cells per genre, phrase shapes, instrument ranges")
struct MelodyTests {
    static let seeds: [Int64] = Array(1...6)

    /// Off-beat notes over all notes for `prompt` across seeds.
    func offBeatShare(_ prompt: String, guidance: Double = 3, duration: Double = 30) throws -> Double {
        var off = 0, total = 0
        for seed in Self.seeds {
            let line = LineMeasure(try score(prompt, seed: seed, duration: duration, guidance: guidance))
            off += line.offBeatCount
            total += line.notes.count
        }
        return Double(off) / Double(max(1, total))
    }

    @Test("syncopation follows the genre: jazz, latin and reggae well off the beat, classical and ambient mostly on it, none never")
    func offBeatByGenre() throws {
        var shares: [String: Double] = [:]
        for preset in catalog.presets {
            shares[preset.name] = try offBeatShare("\(preset.name) song")
            #expect(shares[preset.name]! > 0.05, "\(preset.name) plays \(shares[preset.name]!) of its melody off the beat")
        }
        let calm = max(shares["classical"]!, shares["ambient"]!)
        for syncopated in ["jazz", "latin", "reggae"] {
            #expect(shares[syncopated]! > calm + 0.15, "\(syncopated) \(shares[syncopated]!) vs classical/ambient \(calm)")
        }
        #expect(shares["classical"]! < 0.45, "classical stays mostly on the beat: \(shares["classical"]!)")
    }

    @Test("bebop, bluegrass and a jig in 6/8 run in eighths", arguments: ["bebop jazz", "bluegrass country", "folk jig in 6/8"])
    func eighthRuns(prompt: String) throws {
        var withRuns = 0
        for seed in Self.seeds {
            let line = LineMeasure(try score(prompt, seed: seed))
            if line.longestEighthRun >= 4 { withRuns += 1 }
        }
        #expect(withRuns >= Self.seeds.count - 1, "\(prompt): \(withRuns) of \(Self.seeds.count) takes have a run of four eighths")
    }

    @Test("the line moves: under 30% repeated notes in every genre")
    func fewRepeats() throws {
        for preset in catalog.presets {
            var repeats = 0, pairs = 0
            for seed in Self.seeds.prefix(4) {
                let line = LineMeasure(try score("\(preset.name) song", seed: seed))
                repeats += line.repeats
                pairs += max(0, line.notes.count - 1)
            }
            let share = Double(repeats) / Double(max(1, pairs))
            #expect(share < 0.3, "\(preset.name): \(share) of successive notes repeat")
        }
    }

    @Test("every melody note lies in the lead instrument's range: alto sax in 5/4 jazz, and any program the writer is given")
    func instrumentRange() throws {
        for seed in Self.seeds {
            let jazz = try score("5/4 jazz with alto sax, bright and energetic", seed: seed)
            #expect(jazz.timeSignature == TimeSignature(beatsPerBar: 5, beatUnit: 4))
            let melody = try #require(jazz.part(.melody))
            #expect(melody.program == 65)
            let outside = melody.notes.filter { !InstrumentRange.of(65).contains($0.pitch) }
            #expect(outside.isEmpty, "seed \(seed): \(outside.count) of \(melody.notes.count) alto notes out of range: \(outside.map(\.pitch))")
        }
        // The writer given a program keeps to that program's range, however high or low it is.
        let base = try score("modern pop in B major, happy", seed: 3)
        for program in [42, 57, 66, 72, 73, 9, 0, 81] {
            var writer = MelodyWriter(style: try ComposerStyle.load(for: #require(catalog.preset(named: "modern-pop"))),
                                      key: base.key, timeSignature: base.timeSignature, moods: ["happy", "bright"])
            writer.program = program
            let dynamics = Dynamics(sections: base.sections, barLength: base.barLength, moods: [], beatLength: 1, hasDrums: true)
            var choices = Choices(seed: 3, stream: 3, sampling: SamplingParameters())
            let notes = writer.line(for: base, motifs: [:], dynamics: dynamics, &choices).notes
            let range = InstrumentRange.of(program)
            #expect(!notes.isEmpty)
            #expect(notes.allSatisfy { range.contains($0.pitch) }, "program \(program): \(notes.map(\.pitch).filter { !range.contains($0) }) outside \(range)")
            let span = (notes.map(\.pitch).max() ?? 0) - (notes.map(\.pitch).min() ?? 0)
            #expect(span >= 7, "program \(program): the line spans \(span) semitones")
        }
    }

    @Test("the same seed in different genres gives different melody rhythms")
    func rhythmsDifferByGenre() throws {
        for seed: Int64 in [1, 2] {
            let rhythms = try catalog.presets.map { LineMeasure(try score("\($0.name) song", seed: seed)).rhythm }
            #expect(Set(rhythms).count >= rhythms.count - 4, "seed \(seed): \(Set(rhythms).count) rhythms among \(rhythms.count) genres")
        }
    }

    @Test("phrases repeat with variation: a section's first bar comes back, and the line ends phrases on long notes")
    func phraseRepetition() throws {
        let score = try score("modern pop song", seed: 5, duration: 60)
        let line = LineMeasure(score)
        let verse = try #require(score.sections.first { $0.kind == .verse && $0.bars >= 4 })
        func bar(_ index: Int) -> [Int] {
            let start = Double(index) * score.barLength
            return line.notes.filter { $0.start >= start - 0.1 && $0.start < start + score.barLength - 0.1 }
                .map { Int((($0.start - start) * 4).rounded()) }
        }
        let firstBars = (0..<verse.bars).map { bar(verse.startBar + $0) }
        #expect(firstBars.filter { $0 == firstBars[0] }.count >= 2, "the motif's rhythm returns within the verse: \(firstBars)")
        #expect(Set(firstBars).count >= 2, "but not every bar is the same: \(firstBars)")
    }

    @Test("same seed, same melody; another seed, another")
    func deterministic() throws {
        let first = try score("bebop jazz quartet", seed: 8)
        let again = try score("bebop jazz quartet", seed: 8)
        let other = try score("bebop jazz quartet", seed: 9)
        #expect(first.part(.melody) == again.part(.melody))
        #expect(first.part(.melody)?.notes.map(\.pitch) != other.part(.melody)?.notes.map(\.pitch))
    }

    /// The share of the motifs' cells that are the preset's own.
    func cellUsage(_ prompt: String, guidance: Double, temperature: Double = 1) throws -> (usage: Double, distinct: Int) {
        let (composer, _) = try composer(for: GenerationRequest(prompt: prompt))
        let own = Set(composer.style.melody.cells.map(\.pattern))
        var used = 0, total = 0
        var distinct = Set<[String]>()
        for seed in Int64(0)..<12 {
            let score = try score(prompt, seed: seed, temperature: temperature, guidance: guidance)
            for motif in score.motifs.values {
                let cells = motif.cells ?? []
                used += cells.filter(own.contains).count
                total += cells.count
            }
            if let verse = score.motifs[.verse]?.cells { distinct.insert(verse) }
        }
        return (Double(used) / Double(max(1, total)), distinct.count)
    }

    @Test("higher guidance, closer to the genre's rhythm cells; lower temperature, fewer different ones")
    func guidanceAndTemperature() throws {
        let loose = try cellUsage("jazz", guidance: 1), firm = try cellUsage("jazz", guidance: 8)
        #expect(firm.usage > loose.usage, "share of jazz's own cells: \(loose.usage) at guidance 1, \(firm.usage) at 8")
        let cold = try cellUsage("jazz", guidance: 3, temperature: 0.2), hot = try cellUsage("jazz", guidance: 3, temperature: 1.5)
        #expect(cold.distinct < hot.distinct, "distinct verse motifs over 12 seeds: \(cold.distinct) at temperature 0.2, \(hot.distinct) at 1.5")
    }

    @Test("the melody table decodes, and a wrong one says what is allowed")
    func styleTable() throws {
        let jazz = try ComposerStyle.load(for: #require(catalog.preset(named: "jazz")))
        #expect(jazz.melody.cells.contains { $0.pattern == "x.x.x.x." && $0.weight > 1 })
        #expect(jazz.melody != MelodyStyle.standard)
        #expect(PhrasePlan("A A' B C")?.bars == [.motif, .variation, .contrast, .cadence])
        #expect(PhrasePlan("A D") == nil)
        let rhythm = RhythmCells.rhythm(of: ["x..x..x.", "..x."])
        #expect(rhythm.onsets == [0, 3, 6, 10])
        #expect(rhythm.lengths == [3, 3, 4, 2], "a cell starting with a hold ties the note before it over")
        let directory = try TemporaryDirectory()
        let base = "name = \"%@\"\ntime_signatures = [\"4/4\"]\nmodes = [\"major\"]\n[tempo]\nmin = 90\nmax = 130\ndefault = 110\n[composer]\n[composer.melody]\n"
        for (name, table) in [("cells", "cells = [\"x.x.\", { pattern = \"x...\", weight = 3 }]\nphrases = [\"A B A C\"]\n"),
                              ("badcell", "cells = [\"x.y.\"]\n"), ("badleaps", "leaps = 2\n"), ("badplan", "phrases = [\"A D\"]\n")] {
            try (String(format: base, name) + table).write(toFile: directory.path("\(name).toml"), atomically: true, encoding: .utf8)
        }
        let presets = PresetCatalog(directories: [directory.url])
        let table = try ComposerStyle.load(for: #require(presets.preset(named: "cells"))).melody
        #expect(table.cells == [RhythmCell("x.x."), RhythmCell("x...", weight: 3)])
        #expect(table.phrases == [PhrasePlan(bars: [.motif, .contrast, .motif, .cadence])])
        #expect(table.contours == MelodyStyle.standard.contours, "what the table leaves out comes from the standard")
        for (name, message) in [("badcell", "x or X (note)"), ("badleaps", "outside 0 to 1"), ("badplan", "A A' B C")] {
            #expect {
                try ComposerStyle.load(for: #require(presets.preset(named: name)))
            } throws: { error in
                "\(error)".contains("\(name).toml") && "\(error)".contains("composer.melody") && "\(error)".contains(message)
            }
        }
    }
}
