import Foundation
@testable import RiffleComposer
import RiffleCore
import TOMLKit
import Testing

@Suite("Grooves: drums in the music's metre, Latin by bar and clave, playable at any tempo")
struct GrooveTests {
    @Test("a waltz's drums fall on the three quarter beats, never 6/8's second dotted beat; a jig's on the dotted beats",
          arguments: ["orchestral waltz", "country waltz", "jazz waltz", "rock waltz", "folk waltz"])
    func waltz(prompt: String) throws {
        for seed in Int64(0)..<3 {
            let score = try arrangedScore(prompt, seed: seed, timeSignature: TimeSignature("3/4"))
            #expect(score.timeSignature.description == "3/4")
            let backbeat = [GMDrum.kick, GMDrum.snare, GMDrum.rim, GMDrum.clap].flatMap(score.grooveSteps)
            #expect(!backbeat.isEmpty, "\(prompt) has drums")
            #expect(!backbeat.contains(6), "\(prompt): a hit on the fourth eighth is 6/8, not a waltz")
            let kicks = Set(score.grooveSteps(GMDrum.kick))
            #expect(kicks.isSubset(of: [0, 4, 8]), "\(prompt): kicks on the beats: \(kicks)")
        }
        let jig = try arrangedScore("rock jig", timeSignature: TimeSignature("6/8"))
        let jigBackbeat = [GMDrum.snare, GMDrum.clap, GMDrum.rim].flatMap(jig.grooveSteps)
        #expect(jigBackbeat.contains(6) && !jigBackbeat.contains(4) && !jigBackbeat.contains(8), "6/8 backbeat on its second dotted beat: \(Set(jigBackbeat))")
    }

    @Test("a 12-step groove fits the metre its backbeat says; a tagged one only its own")
    func fitting() throws {
        let waltz = Groove(kick: "X...........", snare: "....x...x...")
        let jig = Groove(kick: "X...........", snare: "......x.....")
        let threeFour = try #require(TimeSignature("3/4")), sixEight = try #require(TimeSignature("6/8"))
        #expect(waltz.fits(threeFour) && !waltz.fits(sixEight))
        #expect(jig.fits(sixEight) && !jig.fits(threeFour))
        var tagged = waltz
        tagged.metre = sixEight
        #expect(tagged.fits(sixEight) && !tagged.fits(threeFour))
        let clave = Groove(kick: "X.......X.......", shaker: "X.....x.....x.......x...x.......")
        #expect(clave.fits(.common) && !clave.fits(threeFour))
    }

    @Test("odd metres get the genre's own groove: a 5/4 jazz ride with kicks on one and four; 7/8 metal grouped two, two, three")
    func oddMetres() throws {
        let jazz = try arrangedScore("jazz", timeSignature: TimeSignature("5/4"))
        #expect(jazz.grooveSteps(GMDrum.ride).count > 20)
        #expect(Set(jazz.grooveSteps(GMDrum.kick)) == [0, 12], "5/4 kicks at \(Set(jazz.grooveSteps(GMDrum.kick)))")
        let metal = try arrangedScore("metal", timeSignature: TimeSignature("7/8"))
        let snares = Set(metal.grooveSteps(GMDrum.snare))
        #expect(!snares.isEmpty && snares.isSubset(of: [4, 8, 12]), "7/8 snares at \(snares)")
        #expect(metal.grooveSteps(GMDrum.kick).contains(0))
        // A genre without a 7/8 groove recasts its own rather than a generic one: house keeps its four-to-the-floor kit.
        let house = try arrangedScore("deep house", timeSignature: TimeSignature("7/8"))
        #expect(!house.grooveSteps(GMDrum.clap).isEmpty, "house in 7/8 keeps its claps")
    }

    @Test("Latin at 180 BPM: no drum plays faster than about eight hits a second, and the clave spans two bars")
    func latinFast() throws {
        let score = try arrangedScore("latin", seed: 2, tempo: 180)
        let drums = try #require(score.part(.drums)?.notes)
        for pitch in Set(drums.map(\.pitch)) {
            let times = drums.filter { $0.pitch == pitch }.map { $0.start * score.secondsPerQuarter }.sorted()
            let closest = zip(times, times.dropFirst()).map { $1 - $0 }.min() ?? 1
            #expect(closest > 1 / 9.0, "drum \(pitch): hits \(Int(closest * 1000)) ms apart")
        }
        // The clave: bars alternate a three-stroke side and a two-stroke side.
        for seed in Int64(0)..<4 {
            let take = try arrangedScore("latin", seed: seed, duration: 40, tempo: 180) { $0.arrangement.drumVoices = [.clave] }
            let clave = take.part(.drums)!.notes.filter { $0.pitch == GMDrum.clave }
            var perBar: [Int: Int] = [:]
            for note in clave { perBar[Int((note.start / take.barLength + 0.01).rounded(.down)), default: 0] += 1 }
            let counts = Set(perBar.values)
            #expect(counts.contains(3) && counts.contains(2), "clave strokes per bar: \(perBar.sorted { $0.key < $1.key })")
        }
    }

    @Test("a fast tempo thins runs of sixteenths to eighths and keeps lone syncopations")
    func thinning() {
        let groove = Groove(kick: "X..x....X..x....", shaker: "xxxxxxxxxxxxxxxx")
        let fast = groove.playable(sixteenthsPerSecond: 12)
        #expect(fast.shaker == "x.x.x.x.x.x.x.x.")
        #expect(fast.kick == groove.kick)
        #expect(groove.playable(sixteenthsPerSecond: 8) == groove)
    }

    @Test("a groove lane may last two bars; its length must be whole bars of its metre; bass and harmony take a name or a list")
    func decoding() throws {
        struct File: Decodable { var composer: ComposerStyle }
        let good = """
        [composer]
        bass = ["tumbao", "bossa"]
        harmony = "montuno"
        [[composer.grooves]]
        clave = "X.....x.....x.......x...x......."
        kick = "X..x....X..x...."
        metre = "4/4"
        """
        let style = try TOMLDecoder().decode(File.self, from: good).composer
        #expect(style.bassPatterns == [.tumbao, .bossa])
        #expect(style.harmonyPatterns == [.montuno])
        #expect(style.grooves[0].steps == 32)
        let bad = good.replacingOccurrences(of: "metre = \"4/4\"", with: "metre = \"3/4\"")
        #expect(throws: (any Error).self) { try TOMLDecoder().decode(File.self, from: bad) }
        let unknown = good.replacingOccurrences(of: "harmony = \"montuno\"", with: "harmony = \"polka\"")
        #expect(throws: (any Error).self) { try TOMLDecoder().decode(File.self, from: unknown) }
    }
}
