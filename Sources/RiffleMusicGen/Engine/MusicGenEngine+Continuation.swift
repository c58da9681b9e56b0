import Foundation
import RiffleAudio
import RiffleCore
import RiffleEngine

extension MusicGenEngine {
    /// `audio` from `start` seconds on, encoded to codes with EnCodec and continued for `seconds` more
    /// exactly as ``extend(_:state:by:seed:progress:cancellation:)`` continues a take's stored codes.
    ///
    /// The whole kept audio becomes the take's codes (so the take can be extended and repainted like
    /// any other); the decoder listens to its last ``MusicGenModel/overlapFrames`` as generation does
    /// across windows. The take's audio is those codes decoded, kept part included, and is mastered
    /// like a new take: uploaded audio has no master gain of its own to follow.
    public func continuation(of audio: AudioBuffer, from start: Double, seconds: Double, request: GenerationRequest, seed: Int64,
                             progress: ProgressHandler, cancellation: Cancellation) throws -> Take {
        guard start.isFinite, start >= 0, start < audio.duration else {
            throw EngineError.invalidEdit("the continuation starts at \(start) s, outside the audio's 0–\(audio.duration) s")
        }
        guard seconds.isFinite, seconds > 0 else {
            throw EngineError.invalidEdit("a continuation needs a positive number of seconds, not \(seconds)")
        }
        // The kept length as the resampler will make it (exactly round(frames × ratio)), known before
        // the work: an upload too long to continue is refused at once.
        let keptFrames = audio.frameCount - startFrame(start, in: audio)
        guard keptFrames > 0 else { throw EngineError.invalidEdit("the audio after \(start) s is too short to continue") }
        let kept = (Double(keptFrames) * Double(musicGen.sampleRate) / Double(audio.sampleRate)).rounded() / Double(musicGen.sampleRate)
        var request = request
        request.duration = kept + seconds
        guard GenerationRequest.Limits.duration.contains(request.duration) else {
            throw EngineError.invalidEdit("the kept \(kept) s and \(seconds) s more would last \(request.duration) s; takes last "
                                          + "\(GenerationRequest.Limits.duration.lowerBound)–\(GenerationRequest.Limits.duration.upperBound) s")
        }
        try cancellation.check()
        progress(GenerationProgress(fraction: 0, stage: "listening"))
        let prompt = try promptChannels(audio, from: start)
        let encoded = musicGen.encode(channels: prompt)
        guard encoded.frames > 0 else { throw EngineError.invalidEdit("the audio after \(start) s is too short to continue") }
        let added = frameCount(seconds: seconds)
        let codes = try codes(request.prompt, frames: added, after: encoded.codes, promptFrames: encoded.frames, request: request,
                              seed: seed, progress: progress, cancellation: cancellation)
        let frames = encoded.frames + added
        var decoded = try self.audio(codes: codes, frames: frames, progress: progress, cancellation: cancellation)
        trim(&decoded, seconds: request.duration)
        pad(&decoded, seconds: request.duration)
        return try finish(decoded, codes: codes, frames: frames, request: request, seed: seed, gain: nil, progress: progress)
    }

    /// The audio after `start`, one array per channel at the model's rate and with its channel count:
    /// a mono model hears the channels' average, a stereo one hears mono on both sides.
    func promptChannels(_ audio: AudioBuffer, from start: Double) throws -> [[Float]] {
        var source = audio
        source.samples.removeFirst(startFrame(start, in: audio) * audio.channelCount)
        do { source = try Resampler.resample(source, to: musicGen.sampleRate) } catch {
            throw EngineError.failed("resampling the audio to continue failed: \(error)")
        }
        let frames = source.frameCount, channels = source.channelCount
        if channels == musicGen.channels {
            return (0..<channels).map { channel in (0..<frames).map { source.samples[$0 * channels + channel] } }
        }
        let mono = (0..<frames).map { frame in
            (0..<channels).reduce(Float(0)) { $0 + source.samples[frame * channels + $1] } / Float(channels)
        }
        return Array(repeating: mono, count: musicGen.channels)
    }

    /// The first frame of `audio` kept when continuing from `start` seconds.
    func startFrame(_ start: Double, in audio: AudioBuffer) -> Int {
        min(Int((start * Double(audio.sampleRate)).rounded()), audio.frameCount)
    }

    /// Silence added to reach `seconds`, for codes whose audio falls a few samples short of the length asked.
    func pad(_ audio: inout AudioBuffer, seconds: Double) {
        let frames = Int((seconds * Double(audio.sampleRate)).rounded())
        if audio.frameCount < frames { audio.samples += [Float](repeating: 0, count: (frames - audio.frameCount) * audio.channelCount) }
    }
}
