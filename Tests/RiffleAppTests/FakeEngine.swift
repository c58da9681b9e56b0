import Dispatch
import Foundation
import RiffleCore
import RiffleEngine
import Synchronization

/// The built-in presets, loaded once for every test.
let catalog = PresetCatalog.standard()

/// A ``MusicEngine`` for testing the application core without FluidSynth: its audio is a short sine
/// whose pitch depends on the seed (and the genre), made at the request's rate and length, so the
/// same request and seed always give the same take and another seed another take.
///
/// Each take has two stems, "bass" and "melody", that sum exactly to the mix; MIDI bytes that name
/// the seed; two sections; and an engine state that records the seed and pitch. It counts every
/// call, and can be told to fail or to block until cancelled, for all seeds or some.
final class FakeEngine: MusicEngine {
    /// What ``generate(_:seed:progress:cancellation:)`` does for a seed.
    enum Behaviour: Sendable {
        case succeed
        /// Throws ``EngineError/failed(_:)`` with this message for every seed (`nil`) or these.
        case fail(String, seeds: Set<Int64>? = nil)
        /// Waits until cancelled, then throws ``EngineError/cancelled``, for every seed (`nil`) or these.
        case block(seeds: Set<Int64>? = nil)
    }

    /// One call to ``generate(_:seed:progress:cancellation:)``.
    struct Call: Sendable, Hashable {
        var request: GenerationRequest
        var seed: Int64
    }

    /// One call to ``edit(_:_:seed:progress:cancellation:)``: the edit, and the take it was given.
    struct EditCall: Sendable {
        var edit: TakeEdit
        var seed: Int64
        var parentSeed: Int64
        var parentState: Data?
        var parentFrames: Int
        var parentStemCount: Int
    }

    let identity: EngineIdentity
    let capabilities: EngineCapabilities
    let model: String
    private let interpreter = PromptInterpreter(catalog: catalog)
    private let state = Mutex<(behaviour: Behaviour, calls: [Call], edits: [EditCall], stems: Int, blocked: Int, continuations: Int)>(
        (.succeed, [], [], 0, 0, 0))

    /// Everything but ``EngineCapabilities/continuation``, which a test asks for when it wants it.
    static let all: EngineCapabilities = [.repaint, .extend, .restyle, .stems, .midi]

    init(name: String = "fake", version: String = "1", model: String = "/fake/model.sf2 (1 MB)",
         capabilities: EngineCapabilities = FakeEngine.all, behaviour: Behaviour = .succeed) {
        identity = EngineIdentity(name: name, version: version)
        self.capabilities = capabilities
        self.model = model
        state.withLock { $0.behaviour = behaviour }
    }

    // MARK: What the tests set and read

    var behaviour: Behaviour {
        get { state.withLock { $0.behaviour } }
        set { state.withLock { $0.behaviour = newValue } }
    }

    /// Every generate call so far, in the order they began.
    var calls: [Call] { state.withLock { $0.calls } }
    var generateCount: Int { state.withLock { $0.calls.count } }
    var edits: [EditCall] { state.withLock { $0.edits } }
    var editCount: Int { state.withLock { $0.edits.count } }
    var stemsCount: Int { state.withLock { $0.stems } }
    var continuationCount: Int { state.withLock { $0.continuations } }
    /// How many generations are blocked waiting to be cancelled now.
    var blockedCount: Int { state.withLock { $0.blocked } }

    // MARK: What the take of a request and seed is

    /// The pitch of the take: one of 40 notes by seed, shifted by the genre's name.
    static func frequency(_ request: GenerationRequest, seed: Int64) -> Double {
        let genre = request.genre.map { $0.utf8.reduce(0) { $0 &+ Int($1) } } ?? 0
        return 200 + Double((Int(seed % 40) + genre % 7)) * 15
    }

    /// The mix and its two stems, `frames` long, at the request's rate, mono.
    static func render(_ request: GenerationRequest, seed: Int64, frames: Int) -> (mix: AudioBuffer, stems: [Take.Stem]) {
        let rate = request.sampleRate
        let frequency = frequency(request, seed: seed)
        var bass = [Float](repeating: 0, count: frames)
        var melody = [Float](repeating: 0, count: frames)
        var mix = [Float](repeating: 0, count: frames)
        for frame in 0..<frames {
            let t = Double(frame) / Double(rate)
            bass[frame] = Float(0.25 * sin(2 * .pi * frequency / 2 * t))
            melody[frame] = Float(0.2 * sin(2 * .pi * frequency * t))
            mix[frame] = bass[frame] + melody[frame]
        }
        return (AudioBuffer(sampleRate: rate, channelCount: 1, samples: mix),
                [Take.Stem(name: "bass", audio: AudioBuffer(sampleRate: rate, channelCount: 1, samples: bass)),
                 Take.Stem(name: "melody", audio: AudioBuffer(sampleRate: rate, channelCount: 1, samples: melody))])
    }

    static func frames(_ request: GenerationRequest) -> Int {
        Int((request.duration * Double(request.sampleRate)).rounded())
    }

    /// The MIDI file of a take: a header and the seed, so each take's differs.
    static func midi(seed: Int64) -> Data {
        Data("MThd".utf8) + Data([0, 0, 0, 6, 0, 0, 0, 1, 0, 96]) + withUnsafeBytes(of: seed.bigEndian) { Data($0) }
    }

    static func sections(duration: Double) -> [Take.Section] {
        [Take.Section(name: "intro", start: 0), Take.Section(name: "verse", start: duration / 2)]
    }

    struct State: Codable, Hashable {
        var seed: Int64
        var frequency: Double
    }

    static func engineState(_ request: GenerationRequest, seed: Int64) -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        return (try? encoder.encode(State(seed: seed, frequency: frequency(request, seed: seed)))) ?? Data()
    }

    /// The take ``generate(_:seed:progress:cancellation:)`` makes of `request` and `seed`.
    func take(_ request: GenerationRequest, seed: Int64) -> Take {
        let (mix, stems) = Self.render(request, seed: seed, frames: Self.frames(request))
        return make(request, seed: seed, mix: mix, stems: stems)
    }

    private func make(_ request: GenerationRequest, seed: Int64, mix: AudioBuffer, stems: [Take.Stem]) -> Take {
        Take(audio: mix, stems: stems, midi: capabilities.contains(.midi) ? Self.midi(seed: seed) : nil, seed: seed,
             request: request, interpretation: interpret(request), engine: identity, sections: Self.sections(duration: mix.duration),
             loudness: .init(integrated: -14.2, truePeak: -1.5), engineState: Self.engineState(request, seed: seed))
    }

    // MARK: MusicEngine

    func interpret(_ request: GenerationRequest) -> Interpretation {
        interpreter.interpret(request)
    }

    func generate(_ request: GenerationRequest, seed: Int64, progress: ProgressHandler, cancellation: Cancellation) throws -> Take {
        let behaviour = state.withLock { state in
            state.calls.append(Call(request: request, seed: seed))
            return state.behaviour
        }
        try cancellation.check()
        switch behaviour {
        case .succeed:
            break
        case .fail(let message, let seeds):
            if seeds?.contains(seed) ?? true { throw EngineError.failed(message) }
        case .block(let seeds):
            if seeds?.contains(seed) ?? true {
                state.withLock { $0.blocked += 1 }
                defer { state.withLock { $0.blocked -= 1 } }
                let deadline = Date().addingTimeInterval(30)
                while !cancellation.isCancelled {
                    // A test that forgets to cancel must not hang the run.
                    if Date() > deadline { throw EngineError.failed("the fake engine was never cancelled") }
                    progress(GenerationProgress(fraction: 0.1, stage: "waiting"))
                    Thread.sleep(forTimeInterval: 0.002)
                }
                throw EngineError.cancelled
            }
        }
        progress(GenerationProgress(fraction: 0.5, stage: "rendering"))
        let take = take(request, seed: seed)
        try cancellation.check()
        progress(GenerationProgress(fraction: 1, stage: "mastering"))
        return take
    }

    func edit(_ take: Take, _ edit: TakeEdit, seed: Int64, progress: ProgressHandler, cancellation: Cancellation) throws -> Take {
        state.withLock {
            $0.edits.append(EditCall(edit: edit, seed: seed, parentSeed: take.seed, parentState: take.engineState,
                                     parentFrames: take.audio.frameCount, parentStemCount: take.stems.count))
        }
        try cancellation.check()
        var request = take.request
        let rate = take.audio.sampleRate
        let frames = take.audio.frameCount
        let duration = take.audio.duration
        // Every lane (the mix, then each stem) is edited the same way, so stems still sum to the mix.
        let parent = [take.audio] + take.stems.map(\.audio)
        let lanes: [AudioBuffer]
        switch edit {
        case .repaint(let from, let to, let prompt):
            guard capabilities.contains(.repaint) else { throw EngineError.unsupported(edit) }
            guard from >= 0, to <= duration, from < to else {
                throw EngineError.invalidEdit("the range \(from)–\(to) s is outside the take (0–\(duration) s)")
            }
            if let prompt { request.prompt = prompt }
            let fresh = Self.render(request, seed: seed, frames: frames)
            let new = [fresh.mix] + fresh.stems.map(\.audio)
            let range = Int(from * Double(rate))..<min(frames, Int(to * Double(rate)))
            lanes = parent.indices.map { lane in
                var samples = parent[lane].samples
                samples.replaceSubrange(range, with: new[lane].samples[range])
                return AudioBuffer(sampleRate: rate, channelCount: 1, samples: samples)
            }
        case .extend(let seconds):
            guard capabilities.contains(.extend) else { throw EngineError.unsupported(edit) }
            guard seconds > 0, duration + seconds <= GenerationRequest.Limits.duration.upperBound else {
                throw EngineError.invalidEdit("a take of \(duration) s cannot be extended by \(seconds) s")
            }
            request.duration = duration + seconds
            let fresh = Self.render(request, seed: seed, frames: Int((seconds * Double(rate)).rounded()))
            let new = [fresh.mix] + fresh.stems.map(\.audio)
            lanes = parent.indices.map { AudioBuffer(sampleRate: rate, channelCount: 1, samples: parent[$0].samples + new[$0].samples) }
        case .restyle(let genre):
            guard capabilities.contains(.restyle) else { throw EngineError.unsupported(edit) }
            guard let preset = catalog.preset(named: genre) else { throw EngineError.invalidEdit("no preset called \(genre)") }
            request.genre = preset.name
            let fresh = Self.render(request, seed: seed, frames: frames)
            lanes = Array(([fresh.mix] + fresh.stems.map(\.audio)).prefix(parent.count))
        }
        progress(GenerationProgress(fraction: 1, stage: edit.verb))
        let stems = zip(take.stems, lanes.dropFirst()).map { Take.Stem(name: $0.name, audio: $1) }
        return make(request, seed: seed, mix: lanes[0], stems: stems)
    }

    /// The audio from `start` (mixed to mono), then the render of `request` and `seed` for `seconds`;
    /// only with ``EngineCapabilities/continuation``, and only for audio at the request's rate.
    func continuation(of audio: AudioBuffer, from start: Double, seconds: Double, request: GenerationRequest, seed: Int64,
                      progress: ProgressHandler, cancellation: Cancellation) throws -> Take {
        state.withLock { $0.continuations += 1 }
        guard capabilities.contains(.continuation) else { throw EngineError.failed("\(identity.name) cannot continue uploaded audio") }
        guard audio.sampleRate == request.sampleRate else { throw EngineError.failed("the fake engine does not resample") }
        guard start >= 0, start < audio.duration else { throw EngineError.invalidEdit("\(start) s is outside the audio") }
        try cancellation.check()
        let channels = audio.channelCount
        let kept = (Int((start * Double(audio.sampleRate)).rounded())..<audio.frameCount).map { frame in
            (0..<channels).reduce(Float(0)) { $0 + audio.samples[frame * channels + $1] } / Float(channels)
        }
        var request = request
        request.duration = Double(kept.count) / Double(audio.sampleRate) + seconds
        let added = Self.render(request, seed: seed, frames: Int((seconds * Double(audio.sampleRate)).rounded())).mix
        progress(GenerationProgress(fraction: 1, stage: "continuing"))
        return make(request, seed: seed, mix: AudioBuffer(sampleRate: audio.sampleRate, channelCount: 1, samples: kept + added.samples), stems: [])
    }

    func stems(of take: Take, progress: ProgressHandler, cancellation: Cancellation) throws -> [Take.Stem] {
        state.withLock { $0.stems += 1 }
        guard capabilities.contains(.stems) else { throw EngineError.failed("\(identity.name) cannot make stems") }
        try cancellation.check()
        return Self.render(take.request, seed: take.seed, frames: take.audio.frameCount).stems
    }
}
