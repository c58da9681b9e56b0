import Foundation
import RiffleAudio
import RiffleCore
import RiffleEngine

/// MusicGen as a Riffle engine: text → audio codes (the decoder LM) → audio (EnCodec) → mastered take.
///
/// It follows the prompt's words; tempo, key and metre are not controls of this model, so the
/// interpretation says so. Extends and repaints continue the take's stored codes. It makes neither
/// stems nor MIDI.
public final class MusicGenEngine: MusicEngine {
    public let identity = EngineIdentity(name: "musicgen", version: "1")
    public let capabilities = MusicGenEngine.offered
    /// What every MusicGen engine can do besides generating, known before one is loaded (the studio's picker).
    public static let offered: EngineCapabilities = [.extend, .repaint, .continuation]
    /// The snapshot's real folder, its weights' size and the precision they are kept in: another
    /// checkpoint or precision makes other takes.
    public let model: String
    public let musicGen: MusicGenModel
    let interpreter: PromptInterpreter
    let mastering = Mastering.streaming

    /// Seconds over which a repainted region crossfades back into the original after its end.
    public static let repaintCrossfade = 0.25

    /// Loads the snapshot in `folder` (see ``MusicGenModel``).
    /// - Throws: ``EngineError/failed(_:)`` naming the file and the problem.
    public init(folder: String, precision: WeightPrecision = .fp32, catalog: PresetCatalog) throws(EngineError) {
        do {
            musicGen = try MusicGenModel(folder: folder, precision: precision)
        } catch {
            throw .failed("cannot load the MusicGen model: \(error)")
        }
        let real = URL(fileURLWithPath: folder).resolvingSymlinksInPath().path
        let bytes = musicGen.snapshot.files.reduce(0) { $0 + ((try? FileManager.default.attributesOfItem(atPath: $1.path)[.size] as? Int) ?? 0) }
        model = "musicgen \(real) (\(bytes) bytes, \(precision.rawValue))"
        interpreter = PromptInterpreter(catalog: catalog)
    }

    public func interpret(_ request: GenerationRequest) -> Interpretation {
        var interpretation = interpreter.interpret(request)
        // Every word goes to the text encoder: none is unused.
        interpretation.unusedWords = []
        interpretation.notes.append("MusicGen follows the prompt's words; tempo, key and metre are not set exactly")
        return interpretation
    }

    public func generate(_ request: GenerationRequest, seed: Int64, progress: ProgressHandler, cancellation: Cancellation) throws -> Take {
        let frames = frameCount(seconds: request.duration)
        let codes = try codes(request.prompt, frames: frames, after: [], promptFrames: 0, request: request, seed: seed,
                              progress: progress, cancellation: cancellation)
        var audio = try audio(codes: codes, frames: frames, progress: progress, cancellation: cancellation)
        trim(&audio, seconds: request.duration)
        return try finish(audio, codes: codes, frames: frames, request: request, seed: seed, gain: nil, progress: progress)
    }

    /// The takes of a batch decoded together, as many at once as ``cacheBudget`` allows: every decoder
    /// step reads the weights once for all of them, so four takes cost little more than one. Each take is
    /// what ``generate(_:seed:progress:cancellation:)`` gives for its seed, and is delivered as soon as its
    /// audio is decoded and mastered.
    public func generateBatch(_ request: GenerationRequest, seeds: [Int64], progress: @escaping @Sendable (Int, GenerationProgress) -> Void,
                              cancellation: Cancellation, deliver: @escaping @Sendable (Int, Result<Take, any Error>) -> Void) {
        let perSequence = musicGen.cacheBytesPerSequence(guided: sampler(request).usesGuidance)
        let together = max(1, min(Self.maximumTogether, Self.cacheBudget / max(perSequence, 1)))
        let frames = frameCount(seconds: request.duration)
        for first in stride(from: 0, to: seeds.count, by: together) {
            let group = Array(first..<min(first + together, seeds.count))
            let report: ProgressHandler = { report in for index in group { progress(index, report) } }
            let codes: [[Int32]]
            do {
                codes = try self.codes(request.prompt, frames: frames, seeds: group.map { seeds[$0] }, request: request,
                                       progress: report, cancellation: cancellation)
            } catch {
                for index in group { deliver(index, .failure(error)) }
                continue
            }
            for (position, index) in group.enumerated() {
                deliver(index, Result {
                    let own: ProgressHandler = { progress(index, $0) }
                    var audio = try audio(codes: codes[position], frames: frames, progress: own, cancellation: cancellation)
                    trim(&audio, seconds: request.duration)
                    return try finish(audio, codes: codes[position], frames: frames, request: request, seed: seeds[index], gain: nil, progress: own)
                })
            }
        }
    }

    /// At most this many takes share a decoder pass.
    public static let maximumTogether = 8
    /// Bytes of decoder cache a batch may take: 4 musicgen-small takes with guidance (590 MB each for 30 s) stay
    /// under it; larger models decode fewer at once.
    public static let cacheBudget = 2_500_000_000

    // MARK: Pieces shared by generation and edits

    func frameCount(seconds: Double) -> Int { max(1, Int((seconds * musicGen.frameRate).rounded())) }

    func sampler(_ request: GenerationRequest) -> TokenSampler {
        TokenSampler(guidanceScale: Float(request.guidanceScale ?? GenerationRequest.Defaults.guidanceScale),
                     temperature: Float(request.temperature), topK: request.topK, topP: Float(request.topP))
    }

    /// The decoder's part: 90% of the progress bar, one report per step (throttled by the caller's queue).
    func codes(_ text: String, frames: Int, after prompt: [Int32], promptFrames: Int, request: GenerationRequest, seed: Int64,
               progress: ProgressHandler, cancellation: Cancellation) throws -> [Int32] {
        try codes(text, frames: frames, after: prompt, promptFrames: promptFrames, seeds: [seed], request: request,
                  progress: progress, cancellation: cancellation)[0]
    }

    /// The codes of every seed, decoded together.
    func codes(_ text: String, frames: Int, after prompt: [Int32] = [], promptFrames: Int = 0, seeds: [Int64], request: GenerationRequest,
               progress: ProgressHandler, cancellation: Cancellation) throws -> [[Int32]] {
        try cancellation.check()
        progress(GenerationProgress(fraction: 0, stage: "reading the prompt"))
        return try musicGen.generateCodes(text: text, frames: frames, prompt: prompt, promptFrames: promptFrames,
                                          sampler: sampler(request), seeds: seeds, step: { done, total in
            progress(GenerationProgress(fraction: 0.9 * Double(done) / Double(max(total, 1)), stage: "generating"))
        }, check: { try cancellation.check() })
    }

    /// The codes decoded to interleaved audio at the model's rate.
    func audio(codes: [Int32], frames: Int, progress: ProgressHandler, cancellation: Cancellation) throws -> AudioBuffer {
        try cancellation.check()
        progress(GenerationProgress(fraction: 0.9, stage: "decoding audio"))
        let channels = musicGen.decode(codes: codes, frames: frames)
        let length = channels.map(\.count).min() ?? 0
        var samples = [Float](repeating: 0, count: length * channels.count)
        for (channel, values) in channels.enumerated() {
            for frame in 0..<length { samples[frame * channels.count + channel] = values[frame] }
        }
        return AudioBuffer(sampleRate: musicGen.sampleRate, channelCount: channels.count, samples: samples)
    }

    func trim(_ audio: inout AudioBuffer, seconds: Double) {
        let frames = Int((seconds * Double(audio.sampleRate)).rounded())
        if audio.frameCount > frames { audio.samples.removeLast((audio.frameCount - frames) * audio.channelCount) }
    }

    /// Resampled to the request's rate, mastered, and made a take that keeps its codes.
    func finish(_ audio: AudioBuffer, codes: [Int32], frames: Int, request: GenerationRequest, seed: Int64, gain: Double?,
                progress: ProgressHandler) throws -> Take {
        progress(GenerationProgress(fraction: 0.95, stage: "mastering"))
        var buffer = audio
        if buffer.sampleRate != request.sampleRate {
            do { buffer = try Resampler.resample(buffer, to: request.sampleRate) } catch { throw EngineError.failed("resampling failed: \(error)") }
        }
        var stems = [buffer]
        let mastered: Mastering.Result
        do { mastered = try mastering.master(&stems, gainDecibels: gain) } catch { throw EngineError.failed("mastering failed: \(error)") }
        progress(GenerationProgress(fraction: 1, stage: "done"))
        let state = MusicGenState(codebooks: musicGen.codebooks, frames: frames, codes: codes, masterGain: mastered.gainDecibels)
        return Take(audio: mastered.mix, stems: [], midi: nil, seed: seed, request: request, interpretation: interpret(request),
                    engine: identity, sections: [],
                    loudness: .init(integrated: mastered.loudness.integrated, truePeak: mastered.loudness.truePeak),
                    engineState: state.encoded())
    }
}
