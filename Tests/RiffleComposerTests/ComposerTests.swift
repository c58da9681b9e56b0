import Foundation
@testable import RiffleComposer
import RiffleCore
import RiffleTestSupport
import Testing

@Suite("Composition: form, harmony, key, ending, and the sampling knobs")
struct ComposerTests {
    @Test("the same request and seed give the same score, note for note; another seed another score")
    func deterministic() throws {
        let first = try score("upbeat pop with piano and synth lead", seed: 42)
        let again = try score("upbeat pop with piano and synth lead", seed: 42)
        let other = try score("upbeat pop with piano and synth lead", seed: 43)
        #expect(first == again)
        #expect(first.parts != other.parts)
    }

    @Test("the form fills the take: whole bars, the last chord ringing to the very end", arguments: [5.0, 12.5, 30, 61, 300])
    func formFitsDuration(duration: Double) throws {
        let score = try score("rock anthem 128 bpm", seed: 7, duration: duration)
        let barSeconds = score.seconds(atQuarter: score.barLength)
        #expect(score.bars == Int(duration / barSeconds))
        #expect(score.sections.first?.startBar == 0)
        for (section, next) in zip(score.sections, score.sections.dropFirst()) { #expect(section.endBar == next.startBar) }
        let end = duration / score.secondsPerQuarter
        for part in score.parts {
            for note in part.notes {
                #expect(note.start >= 0 && note.start + note.length <= end + 1e-6, "\(part.role) note past the end")
            }
        }
        let final = try #require(score.chords.last)
        #expect(final.symbol.degree == 0, "the piece ends on the tonic")
        #expect(abs(final.start - Double(score.bars - 1) * score.barLength) < 1e-9, "struck on the last bar's downbeat")
        let harmony = try #require(score.part(.harmony)?.notes)
        #expect(harmony.contains { abs($0.start + $0.length - end) < 1e-6 }, "the final chord rings until the take ends")
    }

    @Test("a full-length take has the genre's sections, and the ones the prompt asks for")
    func sections() throws {
        let pop = try score("modern pop song", seed: 1, duration: 120)
        #expect(Set(pop.sections.map(\.kind)).isSuperset(of: [.intro, .verse, .chorus, .outro]))
        let house = try score("deep house with a drop and a breakdown", seed: 1, duration: 120)
        #expect(Set(house.sections.map(\.kind)).isSuperset(of: [.drop, .breakdown]))
        let requested = try score("folk song with a bridge", seed: 1, duration: 90)
        #expect(requested.sections.contains { $0.kind == .bridge })
    }

    @Test("the notes are in the key asked for, in every genre", arguments: ["C major", "A minor", "F# minor", "Eb major", "B minor", "G major"])
    func keyFromPitchClasses(key: String) throws {
        let asked = try #require(MusicalKey(key))
        for preset in catalog.presets {
            for seed: Int64 in [5, 38] {
                let score = try score("\(preset.name) in \(key)", seed: seed)
                #expect(score.key == asked)
                let estimated = MusicAnalysis.key(of: score.pitchedNotes)
                #expect(estimated.tonic == asked.tonicPitchClass && estimated.minor == (asked.mode == .minor),
                        "\(preset.name) in \(key), seed \(seed): the notes say \(estimated), chords \(score.degrees.prefix(16))")
            }
        }
    }

    @Test("chords come from the genre's loops: blues plays the twelve-bar form with dominant sevenths")
    func bluesForm() throws {
        let score = try score("blues in A, 4/4", seed: 3, duration: 60, temperature: 0.05)
        let dominant = score.chords.dropLast().filter { $0.symbol.seventh == .dominant }.count
        #expect(Double(dominant) / Double(score.chords.count - 1) > 0.9, "\(dominant) of \(score.chords.count) chords are dominant sevenths")
        let verse = try #require(score.sections.first { $0.kind == .verse })
        #expect(verse.bars == 12)
        let verseChords = score.chords.filter { $0.start >= Double(verse.startBar) * score.barLength - 1e-9 }
        #expect(Array(verseChords.map(\.symbol.degree).prefix(12)) == [0, 0, 0, 0, 3, 3, 0, 0, 4, 3, 0, 4])
    }

    @Test("an instrument the prompt names plays its part")
    func promptInstruments() throws {
        let score = try score("smooth jazz with saxophone and upright bass", seed: 9)
        #expect(score.part(.melody)?.program == 65)
        #expect(score.part(.bass)?.program == 32)
    }

    @Test("drums: a fill before each new section, a crash on its first beat, and human timing and velocity")
    func drums() throws {
        let score = try score("rock anthem 120 bpm", seed: 11, duration: 90)
        let drums = try #require(score.part(.drums)?.notes)
        let toms = [GMDrum.highTom, GMDrum.midTom, GMDrum.lowTom, GMDrum.snare]
        for section in score.sections.dropFirst() {
            let boundary = Double(section.startBar) * score.barLength
            let lastBeat = drums.filter { $0.start >= boundary - 1.05 && $0.start < boundary - 0.05 }
            #expect(lastBeat.filter { toms.contains($0.pitch) }.count >= 2, "a fill into bar \(section.startBar)")
            #expect(drums.contains { $0.pitch == GMDrum.crash && abs($0.start - boundary) < 0.1 }, "a crash at bar \(section.startBar)")
        }
        let offGrid = drums.filter { abs($0.start * 4 - ($0.start * 4).rounded()) > 0.005 }
        #expect(Double(offGrid.count) / Double(drums.count) > 0.5, "humanised timing moves most hits off the exact grid")
        #expect(Set(drums.filter { $0.pitch == GMDrum.closedHat }.map(\.velocity)).count > 8, "hats vary in velocity")
        let worstOffset = drums.map { abs($0.start * 4 - ($0.start * 4).rounded()) * 0.25 * score.secondsPerQuarter }.max() ?? 0
        #expect(worstOffset < 0.04, "no hit strays more than 40 ms")
    }

    @Test("lower temperature, less variety between seeds")
    func temperatureVariety() throws {
        func variety(_ temperature: Double) throws -> Double {
            let scores = try (0..<8).map { try score("modern pop in C major", seed: Int64($0), temperature: temperature) }
            var distance = 0.0, pairs = 0.0
            for (index, first) in scores.enumerated() {
                for second in scores[(index + 1)...] {
                    let a = first.part(.melody)!.notes.map(\.pitch), b = second.part(.melody)!.notes.map(\.pitch)
                    let differ = zip(a, b).filter { $0 != $1 }.count + abs(a.count - b.count)
                    distance += Double(differ) / Double(max(1, max(a.count, b.count)))
                    distance += first.degrees == second.degrees ? 0 : 1
                    pairs += 1
                }
            }
            return distance / pairs
        }
        let cold = try variety(0.1), warm = try variety(1.0), hot = try variety(1.8)
        #expect(cold < warm && warm <= hot + 0.05, "variety between seeds: \(cold) at 0.1, \(warm) at 1.0, \(hot) at 1.8")
    }

    @Test("higher guidance, closer to the prompt: chord moves follow the genre's loops, dark moods pick minor chords")
    func guidanceAdherence() throws {
        func adherence(_ guidance: Double) throws -> (loops: Double, minor: Double) {
            let (composer, _) = try composer(for: GenerationRequest(prompt: "dark lo-fi in C major"))
            var moves = Set<[Int]>()
            for loop in composer.style.loops(for: .major) {
                for (index, chord) in loop.chords.enumerated() { moves.insert([chord.degree, loop.chords[(index + 1) % loop.chords.count].degree]) }
            }
            var inLoop = 0.0, minor = 0.0, total = 0.0
            for seed in 0..<16 {
                let score = try score("dark lo-fi in C major", seed: Int64(seed), guidance: guidance)
                let degrees = score.degrees.dropLast(2) // the cadence is fixed
                for (a, b) in zip(degrees, degrees.dropFirst()) where moves.contains([a, b]) { inLoop += 1 }
                minor += Double(degrees.filter { [1, 2, 5].contains($0) }.count)
                total += Double(degrees.count)
            }
            return (inLoop / total, minor / total)
        }
        let loose = try adherence(1), firm = try adherence(8)
        #expect(firm.loops > loose.loops, "share of chord moves from the genre's loops: \(loose.loops) at 1, \(firm.loops) at 8")
        #expect(firm.minor > loose.minor, "share of minor chords for a dark prompt: \(loose.minor) at 1, \(firm.minor) at 8")
    }

    @Test("top-k 1 makes every seed the same composition")
    func topKOne() throws {
        let first = try score("house track in A minor", seed: 1, topK: 1)
        let second = try score("house track in A minor", seed: 2, topK: 1)
        #expect(first.degrees == second.degrees)
        #expect(first.part(.melody)?.notes.map(\.pitch) == second.part(.melody)?.notes.map(\.pitch))
    }
}
