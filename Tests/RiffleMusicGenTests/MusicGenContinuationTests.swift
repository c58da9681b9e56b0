import Foundation
import RiffleCore
import RiffleEngine
import Testing
@testable import RiffleMusicGen

@Suite("the musicgen engine continues uploaded audio")
struct MusicGenContinuationTests {
    func engine(_ name: String = "tiny-mono") throws -> MusicGenEngine {
        try MusicGenEngine(folder: ReferenceFixture.root.appendingPathComponent(name).path, catalog: MusicGenEngineTests.catalog)
    }

    /// The request an upload comes with: its duration is the engine's to set.
    func request(sampleRate: Int = 32000) -> GenerationRequest {
        GenerationRequest(prompt: "lo-fi hip hop beat with warm piano chords", duration: 30, numVariations: 1, seed: 4,
                          temperature: 1, topK: 1, guidanceScale: 3, sampleRate: sampleRate)
    }

    /// `seconds` of a 330 Hz sine at `rate`, on `channels` channels.
    static func sine(seconds: Double, rate: Int, channels: Int) -> AudioBuffer {
        let frames = Int(seconds * Double(rate))
        var samples = [Float](repeating: 0, count: frames * channels)
        for frame in 0..<frames {
            let value = Float(0.4 * sin(2 * .pi * 330 * Double(frame) / Double(rate)))
            for channel in 0..<channels { samples[frame * channels + channel] = value }
        }
        return AudioBuffer(sampleRate: rate, channelCount: channels, samples: samples)
    }

    @Test("2 s of stereo 44.1 kHz audio continued 3 s: 5 s at the asked rate, on the model's channels, starting from the audio's codes; a seed repeats it")
    func continuation() throws {
        let engine = try engine()
        let sine = Self.sine(seconds: 2, rate: 44100, channels: 2)
        let take = try engine.continuation(of: sine, from: 0, seconds: 3, request: request(), seed: 5, progress: { _ in },
                                           cancellation: Cancellation())
        #expect(take.request.duration == 5 && take.seed == 5)
        #expect(take.audio.sampleRate == 32000 && take.audio.channelCount == 1)
        #expect(take.audio.frameCount == 5 * 32000)
        #expect(abs(take.loudness.integrated + 14) < 2, "mastered like a new take")
        // The take keeps the codes of the audio it continued, then the 150 frames made after them.
        let state = try MusicGenState.decode(take.engineState)
        #expect(state.frames == 250)
        let prompt = engine.musicGen.encode(channels: try engine.promptChannels(sine, from: 0))
        #expect(prompt.frames == 100)
        for k in 0..<state.codebooks {
            #expect(Array(state.codes[(k * 250)..<(k * 250 + 100)]) == Array(prompt.codes[(k * 100)..<((k + 1) * 100)]))
        }
        let again = try engine.continuation(of: sine, from: 0, seconds: 3, request: request(), seed: 5, progress: { _ in },
                                            cancellation: Cancellation())
        #expect(again.audio == take.audio)
        // And it continues like any take.
        let extended = try engine.edit(take, .extend(seconds: 1), seed: 2, progress: { _ in }, cancellation: Cancellation())
        #expect(extended.audio.frameCount == 6 * 32000)
    }

    @Test("audio before the start is dropped; a stereo model hears mono on both sides")
    func startAndStereo() throws {
        let engine = try engine("tiny-stereo")
        let sine = Self.sine(seconds: 3, rate: 32000, channels: 1)
        let take = try engine.continuation(of: sine, from: 1, seconds: 4, request: request(sampleRate: 44100), seed: 1,
                                           progress: { _ in }, cancellation: Cancellation())
        #expect(take.request.duration == 6)
        #expect(take.audio.sampleRate == 44100 && take.audio.channelCount == 2 && take.audio.frameCount == 6 * 44100)
        #expect(try MusicGenState.decode(take.engineState).frames == 300)
        let heard = try engine.promptChannels(sine, from: 1)
        #expect(heard.count == 2 && heard[0] == heard[1] && heard[0].count == 2 * 32000)
        #expect(heard[0] == Array(sine.samples[32000...]))
    }

    @Test("a start outside the audio or too near its end, no seconds to add, or a take too long is refused", arguments: [
        (start: 2.0, seconds: 3.0), (start: 2.0 - 1e-6, seconds: 3.0), (start: 5.0, seconds: 3.0), (start: -0.5, seconds: 3.0),
        (start: 0.0, seconds: 0.0),
        (start: 0.0, seconds: 299.0),
    ])
    func refused(_ arguments: (start: Double, seconds: Double)) throws {
        let engine = try engine()
        let sine = Self.sine(seconds: 2, rate: 32000, channels: 1)
        #expect {
            try engine.continuation(of: sine, from: arguments.start, seconds: arguments.seconds, request: request(), seed: 1,
                                    progress: { _ in }, cancellation: Cancellation())
        } throws: { error in
            guard case EngineError.invalidEdit = error else { return false }
            return true
        }
    }

    @Test("continuation is offered before a model is loaded")
    func offered() {
        #expect(MusicGenEngine.offered.contains(.continuation))
    }
}
