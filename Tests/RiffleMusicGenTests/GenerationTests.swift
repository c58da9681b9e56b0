import Foundation
import RiffleEngine
import RiffleCore
import Testing
@testable import RiffleMusicGen

/// Whole generation against transformers' `generate(do_sample=False, guidance_scale=3, max_new_tokens=13)`
/// on the reference checkpoints: the same codes, token for token, and the same audio.
@Suite("MusicGen generation matches transformers")
struct GenerationTests {
    static let greedy = TokenSampler(guidanceScale: 3, temperature: 1, topK: 1, topP: 0)

    @Test("greedy codes with guidance 3 equal transformers', each prompt on its own", arguments: ["tiny-mono", "tiny-stereo", "tiny-mono-weightnorm"])
    func greedyCodes(fixture name: String) throws {
        let fixture = try ReferenceFixture(name)
        let model = try MusicGenModel(folder: fixture.folder)
        let prompts = try #require((fixture.json["generate"] as? [String: Any])?["prompts"] as? [String])
        let channels = model.channels
        let left = try fixture.integers("gen.codes.0")  // (1, B, 4, frames)
        let right = channels == 2 ? try fixture.integers("gen.codes.1") : nil
        let frames = left.shape[3], perChannel = left.shape[2]
        for (b, prompt) in prompts.enumerated() {
            let codes = try model.generateCodes(text: prompt, frames: frames, sampler: Self.greedy, seed: 0)
            for k in 0..<model.codebooks {
                let source = k % channels == 0 ? left.values : right!.values
                let own = k / channels
                let start = (b * perChannel + own) * frames
                let expected = source[start..<(start + frames)].map { Int32($0) }
                #expect(Array(codes[(k * frames)..<((k + 1) * frames)]) == expected, "prompt \(b), codebook \(k)")
            }
        }
    }

    @Test("the generated codes decode to transformers' audio", arguments: ["tiny-mono", "tiny-stereo"])
    func audio(fixture name: String) throws {
        let fixture = try ReferenceFixture(name)
        let model = try MusicGenModel(folder: fixture.folder)
        let prompts = try #require((fixture.json["generate"] as? [String: Any])?["prompts"] as? [String])
        let expected = try fixture.floats("gen.audio")  // (B, channels, samples)
        let samples = expected.shape[2]
        for (b, prompt) in prompts.enumerated() {
            let codes = try model.generateCodes(text: prompt, frames: samples / model.codec.hopLength, sampler: Self.greedy, seed: 0)
            let audio = model.decode(codes: codes, frames: samples / model.codec.hopLength)
            for channel in 0..<model.channels {
                let start = (b * model.channels + channel) * samples
                expectClose(audio[channel], Array(expected.values[start..<(start + samples)]), tolerance: 1e-4, floor: 1e-2,
                            "prompt \(b), channel \(channel)")
            }
        }
    }

    @Test("a long take goes window by window, each continuing the last third of the one before")
    func windows() throws {
        let model = try MusicGenModel(folder: ReferenceFixture("tiny-mono").folder)
        // The tiny checkpoint has 256 positions: windows of 252 frames, 84 kept between them.
        #expect(model.windowFrames == 252)
        #expect(model.overlapFrames == 84)
        let windows = model.windows(frames: 600, promptFrames: 0)
        #expect(windows.map(\.prompt) == [0, 84, 84, 84])
        #expect(windows.map(\.new).reduce(0, +) == 600)
        #expect(windows.allSatisfy { $0.prompt + $0.new <= 252 })
        let codes = try model.generateCodes(text: "a", frames: 300, sampler: Self.greedy, seed: 0)
        #expect(codes.count == 4 * 300)
        // The first window's frames are exactly what one window of that length gives.
        let first = try model.generateCodes(text: "a", frames: 252, sampler: Self.greedy, seed: 0)
        for k in 0..<4 { #expect(Array(codes[(k * 300)..<(k * 300 + 252)]) == Array(first[(k * 252)..<((k + 1) * 252)])) }
    }

    @Test("a continuation keeps its prompt's codes and a seed repeats it")
    func continuation() throws {
        let model = try MusicGenModel(folder: ReferenceFixture("tiny-mono").folder)
        let sampler = TokenSampler(guidanceScale: 3, temperature: 1, topK: 50, topP: 0)
        let start = try model.generateCodes(text: "lo-fi piano", frames: 20, sampler: sampler, seed: 11)
        let more = try model.generateCodes(text: "lo-fi piano", frames: 15, prompt: start, promptFrames: 20, sampler: sampler, seed: 12)
        #expect(more.count == 4 * 35)
        for k in 0..<4 { #expect(Array(more[(k * 35)..<(k * 35 + 20)]) == Array(start[(k * 20)..<((k + 1) * 20)])) }
        let again = try model.generateCodes(text: "lo-fi piano", frames: 15, prompt: start, promptFrames: 20, sampler: sampler, seed: 12)
        #expect(again == more)
        let other = try model.generateCodes(text: "lo-fi piano", frames: 15, prompt: start, promptFrames: 20, sampler: sampler, seed: 13)
        #expect(other != more)
    }
}

/// The acceptance run on the reference checkpoints: `--top-k 1 --guidance 3 --duration 5
/// --sample-rate 32000` against transformers' 5 s `generate` (max_new_tokens 250) of the same prompt.
@Suite("a 5 s take matches transformers' 5 s generation")
struct AcceptanceRunTests {
    static func correlation(_ a: [Float], _ b: [Float]) -> Double {
        var ab = 0.0, aa = 0.0, bb = 0.0
        for (x, y) in zip(a, b) { ab += Double(x) * Double(y); aa += Double(x) * Double(x); bb += Double(y) * Double(y) }
        return ab / (aa * bb).squareRoot()
    }

    @Test("every code of 250 greedy steps, and the mastered take's audio follows transformers'", arguments: ["tiny-mono", "tiny-stereo"])
    func fiveSeconds(fixture name: String) throws {
        let fixture = try ReferenceFixture(name)
        let long = try #require(fixture.json["long"] as? [String: Any])
        let prompt = try #require(long["prompt"] as? String)
        let engine = try MusicGenEngine(folder: fixture.folder, catalog: PresetCatalog.standard())
        let request = GenerationRequest(prompt: prompt, duration: 5, numVariations: 1, seed: 1, topK: 1, guidanceScale: 3, sampleRate: 32000)
        let take = try engine.generate(request, seed: 1, progress: { _ in }, cancellation: Cancellation())
        let state = try MusicGenState.decode(take.engineState)

        let channels = engine.musicGen.channels
        for channel in 0..<channels {
            let expected = try fixture.integers("long.codes.\(channel)")  // (1, 1, 4, frames)
            let frames = expected.shape[3]
            // transformers stops at 247 frames, so in its last 3 columns codebook 0 is already pad where ours
            // (250 frames) still holds music: the later codebooks' last 3 frames are predicted from other
            // inputs. Every frame before them must be the same.
            let shared = frames - (expected.shape[2] - 1)
            for own in 0..<expected.shape[2] {
                let k = own * channels + channel
                let ours = state.codes[(k * state.frames)..<(k * state.frames + shared)].map(Int.init)
                #expect(ours == Array(expected.values[(own * frames)..<(own * frames + shared)]), "channel \(channel), codebook \(own)")
            }
        }
        let audio = try fixture.floats("long.audio_1s")  // (1, channels, 32000)
        let samples = audio.shape[2]
        for channel in 0..<channels {
            let ours = (0..<samples).map { take.audio.samples[$0 * channels + channel] }
            let theirs = Array(audio.values[(channel * samples)..<((channel + 1) * samples)])
            #expect(Self.correlation(ours, theirs) >= 0.98, "channel \(channel)")
        }
    }
}
