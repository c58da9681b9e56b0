import Foundation
import RiffleAudio
import RiffleCore
import RiffleEngine

extension MusicGenEngine {
    public func edit(_ take: Take, _ edit: TakeEdit, seed: Int64, progress: ProgressHandler, cancellation: Cancellation) throws -> Take {
        let state: MusicGenState
        do { state = try MusicGenState.decode(take.engineState) } catch { throw EngineError.invalidEdit("\(error)") }
        guard state.codebooks == musicGen.codebooks else {
            throw EngineError.invalidEdit("this take has \(state.codebooks) codebooks; the loaded model uses \(musicGen.codebooks): load the model that made it")
        }
        switch edit {
        case .extend(let seconds):
            return try extend(take, state: state, by: seconds, seed: seed, progress: progress, cancellation: cancellation)
        case .repaint(let from, let to, let prompt):
            return try repaint(take, state: state, from: from, to: to, prompt: prompt, seed: seed, progress: progress, cancellation: cancellation)
        case .restyle:
            throw EngineError.unsupported(edit)
        }
    }

    /// The take continued for `seconds` more: the model carries on from the last 10 s of its codes.
    func extend(_ take: Take, state: MusicGenState, by seconds: Double, seed: Int64, progress: ProgressHandler,
                cancellation: Cancellation) throws -> Take {
        guard seconds > 0 else { throw EngineError.invalidEdit("extend needs a positive number of seconds, not \(seconds)") }
        var request = take.request
        request.duration = take.request.duration + seconds
        guard GenerationRequest.Limits.duration.contains(request.duration) else {
            throw EngineError.invalidEdit("the extended take would last \(request.duration) s; takes last at most \(GenerationRequest.Limits.duration.upperBound) s")
        }
        let added = frameCount(seconds: seconds)
        let codes = try codes(request.prompt, frames: added, after: state.codes, promptFrames: state.frames, request: request, seed: seed,
                              progress: progress, cancellation: cancellation)
        let frames = state.frames + added
        var audio = try audio(codes: codes, frames: frames, progress: progress, cancellation: cancellation)
        trim(&audio, seconds: request.duration)
        return try finish(audio, codes: codes, frames: frames, request: request, seed: seed, gain: state.masterGain, progress: progress)
    }

    /// `from..<to` made again, continuing the codes before `from` (under `prompt` when given), then
    /// crossfaded back into the original over ``repaintCrossfade`` after `to`.
    func repaint(_ take: Take, state: MusicGenState, from: Double, to: Double, prompt: String?, seed: Int64,
                 progress: ProgressHandler, cancellation: Cancellation) throws -> Take {
        let duration = take.request.duration
        guard from >= 0, to > from, to <= duration + 1e-9 else {
            throw EngineError.invalidEdit("the region \(from)–\(to) s does not fit the take's 0–\(duration) s")
        }
        // Frames before the region are kept as they are; a region from 0 keeps none (frameCount's minimum of
        // one is for lengths, not positions).
        let start = min(Int((from * musicGen.frameRate).rounded()), state.frames)
        let end = min(state.frames, Int((to * musicGen.frameRate).rounded()))
        let fade = min(frameCount(seconds: Self.repaintCrossfade), state.frames - end)
        let newFrames = max(1, end - start + fade)
        let head = MusicGenModel.appendFrames([], frames: 0, state.codes, from: 0, to: start, codebooks: state.codebooks, sourceFrames: state.frames)
        let made = try codes(prompt ?? take.request.prompt, frames: newFrames, after: head, promptFrames: start, request: take.request,
                             seed: seed, progress: progress, cancellation: cancellation)
        let repainted = try audio(codes: made, frames: start + newFrames, progress: progress, cancellation: cancellation)
        let original = try audio(codes: state.codes, frames: state.frames, progress: progress, cancellation: cancellation)
        var mixed = original
        let rate = Double(original.sampleRate)
        let channels = original.channelCount
        let fadeStart = Int(to * rate), fadeFrames = Int(Double(fade) / musicGen.frameRate * rate)
        mixed.samples.withUnsafeMutableBufferPointer { out in
            repainted.samples.withUnsafeBufferPointer { new in
                let limit = min(out.count, new.count) / channels
                for frame in 0..<min(limit, fadeStart + fadeFrames) {
                    // Before `to`: the new audio; over the crossfade, an equal-power blend back to the original.
                    let weight: Float = frame < fadeStart ? 1 : Float(cos(Double.pi / 2 * Double(frame - fadeStart) / Double(max(fadeFrames, 1))))
                    for channel in 0..<channels {
                        let index = frame * channels + channel
                        out[index] = weight * new[index] + (1 - weight * weight).squareRoot() * out[index]
                    }
                }
            }
        }
        // The codes to continue later: the new ones up to the region's end, the original's after it.
        let kept = MusicGenModel.appendFrames(MusicGenModel.appendFrames([], frames: 0, made, from: 0, to: end, codebooks: state.codebooks,
                                                                         sourceFrames: start + newFrames),
                                              frames: end, state.codes, from: end, to: state.frames, codebooks: state.codebooks, sourceFrames: state.frames)
        trim(&mixed, seconds: duration)
        return try finish(mixed, codes: kept, frames: state.frames, request: take.request, seed: seed, gain: state.masterGain, progress: progress)
    }
}
