import Foundation
import RiffleTestSupport
import RiffleCore
import RiffleEngine
import Synchronization
import Testing
@testable import RiffleMusicGen

@Suite("the musicgen engine: takes, progress, cancel, extend and repaint")
struct MusicGenEngineTests {
    static let catalog = PresetCatalog.standard()

    func engine(_ name: String = "tiny-mono") throws -> MusicGenEngine {
        try MusicGenEngine(folder: ReferenceFixture.root.appendingPathComponent(name).path, catalog: Self.catalog)
    }

    func request(duration: Double = 5, sampleRate: Int = 32000) -> GenerationRequest {
        GenerationRequest(prompt: "lo-fi hip hop beat with warm piano chords", duration: duration, numVariations: 1, seed: 4,
                          temperature: 1, topK: 1, guidanceScale: 3, sampleRate: sampleRate)
    }

    static func correlation(_ a: ArraySlice<Float>, _ b: ArraySlice<Float>) -> Double {
        var ab = 0.0, aa = 0.0, bb = 0.0
        for (x, y) in zip(a, b) { ab += Double(x) * Double(y); aa += Double(x) * Double(x); bb += Double(y) * Double(y) }
        return ab / (aa * bb).squareRoot()
    }

    @Test("a 5 s take lasts 5 s at the asked rate, is mastered, keeps its codes, and a seed repeats it")
    func take() throws {
        let engine = try engine()
        let take = try engine.generate(request(), seed: 4, progress: { _ in }, cancellation: Cancellation())
        #expect(take.audio.sampleRate == 32000 && take.audio.channelCount == 1)
        #expect(take.audio.frameCount == 5 * 32000)
        // Random weights make spiky noise: the limiter keeps the ceiling and gets within 2 dB of -14 LUFS.
        #expect(abs(take.loudness.integrated + 14) < 2)
        #expect(take.loudness.truePeak <= -1 + 0.01)
        #expect(take.engine.name == "musicgen" && take.stems.isEmpty && take.midi == nil)
        let state = try MusicGenState.decode(take.engineState)
        #expect(state.frames == 250 && state.codebooks == 4)
        let again = try engine.generate(request(), seed: 4, progress: { _ in }, cancellation: Cancellation())
        #expect(again.audio == take.audio)
        // Mastering changes the level, not the music: the take follows the decoded codes.
        let raw = engine.musicGen.decode(codes: state.codes, frames: state.frames)[0]
        #expect(Self.correlation(take.audio.samples[0..<144_000], raw[0..<144_000]) > 0.98)
    }

    @Test("a batch decodes its takes together, each the same as made alone with its seed")
    func batch() throws {
        let engine = try engine()
        var sampled = request()
        sampled.topK = 50
        let seeds: [Int64] = [20, 21, 22]
        let delivered = Mutex<[Int: Take]>([:])
        engine.generateBatch(sampled, seeds: seeds, progress: { _, _ in }, cancellation: Cancellation()) { index, result in
            if case .success(let take) = result { delivered.withLock { $0[index] = take } }
        }
        let takes = delivered.withLock { $0 }
        #expect(takes.count == 3)
        for (index, seed) in seeds.enumerated() {
            let alone = try engine.generate(sampled, seed: seed, progress: { _ in }, cancellation: Cancellation())
            #expect(takes[index]?.audio == alone.audio, "seed \(seed)")
            #expect(takes[index]?.seed == seed)
        }
        #expect(takes[0]?.audio != takes[1]?.audio)
    }

    @Test("44.1 kHz and stereo checkpoints give takes of the asked rate and two channels")
    func rateAndStereo() throws {
        let take = try engine("tiny-stereo").generate(request(sampleRate: 44100), seed: 1, progress: { _ in }, cancellation: Cancellation())
        #expect(take.audio.channelCount == 2)
        #expect(take.audio.sampleRate == 44100 && take.audio.frameCount == 5 * 44100)
    }

    @Test("progress rises step by step to 1, and a cancel stops the take within one step")
    func progressAndCancel() throws {
        let engine = try engine()
        let seen = Mutex<[GenerationProgress]>([])
        _ = try engine.generate(request(), seed: 2, progress: { report in seen.withLock { $0.append(report) } }, cancellation: Cancellation())
        let reports = seen.withLock { $0 }
        #expect(reports.last?.fraction == 1)
        #expect(zip(reports, reports.dropFirst()).allSatisfy { $0.fraction <= $1.fraction })
        // One report per decoder step: 250 frames and the 3 steps of the delay; the last one completes the decoder's share.
        let generating = reports.filter { $0.stage == "generating" }
        #expect(generating.count == 253)
        #expect(generating.last?.fraction == 0.9)

        let cancellation = Cancellation()
        let steps = Mutex(0)
        #expect(throws: EngineError.cancelled) {
            try engine.generate(request(), seed: 2, progress: { report in
                guard report.stage == "generating" else { return }
                let count = steps.withLock { $0 += 1; return $0 }
                if count == 3 { cancellation.cancel() }
            }, cancellation: cancellation)
        }
        #expect(steps.withLock { $0 } == 3)
    }

    @Test("extend continues the take's codes; repaint changes only its region; restyle is not offered")
    func edits() throws {
        let engine = try engine()
        let parent = try engine.generate(request(), seed: 4, progress: { _ in }, cancellation: Cancellation())
        let parentState = try MusicGenState.decode(parent.engineState)

        let extended = try engine.edit(parent, .extend(seconds: 2), seed: 9, progress: { _ in }, cancellation: Cancellation())
        #expect(extended.audio.frameCount == 7 * 32000)
        let longer = try MusicGenState.decode(extended.engineState)
        #expect(longer.frames == 350)
        for k in 0..<4 {
            #expect(Array(longer.codes[(k * 350)..<(k * 350 + 250)]) == Array(parentState.codes[(k * 250)..<((k + 1) * 250)]))
        }

        let repainted = try engine.edit(parent, .repaint(from: 1, to: 2, prompt: "ambient"), seed: 9, progress: { _ in }, cancellation: Cancellation())
        #expect(repainted.audio.frameCount == parent.audio.frameCount)
        let painted = try MusicGenState.decode(repainted.engineState)
        for k in 0..<4 {
            let row = k * 250
            #expect(Array(painted.codes[row..<(row + 50)]) == Array(parentState.codes[row..<(row + 50)]), "before the region")
            #expect(Array(painted.codes[(row + 100)..<(row + 250)]) == Array(parentState.codes[(row + 100)..<(row + 250)]), "after it")
        }
        #expect(painted.codes != parentState.codes)
        // A region from the very start keeps nothing before it, and still keeps everything after it.
        let fromStart = try MusicGenState.decode(try engine.edit(parent, .repaint(from: 0, to: 1, prompt: "ambient"), seed: 9,
                                                                 progress: { _ in }, cancellation: Cancellation()).engineState)
        #expect((0..<4).contains { k in fromStart.codes[k * 250] != parentState.codes[k * 250] }, "frame 0 is made again")
        for k in 0..<4 {
            #expect(Array(fromStart.codes[(k * 250 + 50)..<((k + 1) * 250)]) == Array(parentState.codes[(k * 250 + 50)..<((k + 1) * 250)]))
        }
        #expect(throws: EngineError.self) {
            try engine.edit(parent, .repaint(from: 3, to: 9, prompt: nil), seed: 1, progress: { _ in }, cancellation: Cancellation())
        }
        #expect(throws: EngineError.unsupported(.restyle(genre: "jazz"))) {
            try engine.edit(parent, .restyle(genre: "jazz"), seed: 1, progress: { _ in }, cancellation: Cancellation())
        }
        #expect(!engine.capabilities.contains(.stems) && !engine.capabilities.contains(.midi))
    }

    @Test("a folder that is not a snapshot fails to load, naming the file")
    func badFolder() throws {
        let directory = try TemporaryDirectory()
        #expect {
            _ = try MusicGenEngine(folder: directory.url.path, catalog: Self.catalog)
        } throws: { error in
            "\(error)".contains(directory.url.path) && "\(error)".contains("config.json")
        }
    }
}

