import CALSA
import Foundation
import RiffleEngine

/// Plays audio through an ALSA PCM device, blocking until it has played or is stopped.
///
/// The studio's playback thread (seek, loop, switch take) builds on this; the command line plays a
/// take start to finish. Any PCM name ALSA knows works: `default`, `hw:0`, or
/// `file:'/tmp/out.raw',raw` to capture the samples without a sound card.
public final class PCMOutput: AudioSink {
    private let handle: OpaquePointer
    public let device: String
    public let sampleRate: Int
    public let channelCount: Int

    public struct Failure: Error, CustomStringConvertible {
        public let description: String
    }

    /// Opens `device` for 32-bit float interleaved audio of this rate and channel count
    /// (ALSA converts where the hardware needs it).
    public init(device: String, sampleRate: Int, channelCount: Int) throws(Failure) {
        Self.quiet
        var pcm: OpaquePointer?
        let opened = snd_pcm_open(&pcm, device, SND_PCM_STREAM_PLAYBACK, 0)
        guard opened >= 0, let pcm else {
            throw Failure(description: "cannot open the audio device \"\(device)\": \(String(cString: snd_strerror(opened)))")
        }
        // 100 ms of buffering: short enough to stop promptly, long enough not to underrun.
        let set = snd_pcm_set_params(pcm, SND_PCM_FORMAT_FLOAT_LE, SND_PCM_ACCESS_RW_INTERLEAVED, UInt32(channelCount),
                                     UInt32(sampleRate), 1, 100_000)
        guard set >= 0 else {
            snd_pcm_close(pcm)
            throw Failure(description: "the audio device \"\(device)\" cannot play \(channelCount) channels at \(sampleRate) Hz: \(String(cString: snd_strerror(set)))")
        }
        self.handle = pcm
        self.device = device
        self.sampleRate = sampleRate
        self.channelCount = channelCount
    }

    deinit {
        snd_pcm_close(handle)
    }

    private static let quiet: Void = riffle_alsa_silence_errors()

    /// Writes `frames` frames, blocking while the device's buffer is full; recovers from an underrun
    /// or a suspend. Returns the frames written.
    public func write(_ samples: UnsafePointer<Float>, frames: Int) throws(Failure) -> Int {
        while true {
            let written = snd_pcm_writei(handle, samples, snd_pcm_uframes_t(frames))
            if written >= 0 { return Int(written) }
            if snd_pcm_recover(handle, Int32(written), 1) < 0 {
                throw Failure(description: "playback on \"\(device)\" failed: \(String(cString: snd_strerror(Int32(written))))")
            }
        }
    }

    /// Throws away what the device has queued but not yet played, so the next write is heard at once.
    public func discard() {
        snd_pcm_drop(handle)
        snd_pcm_prepare(handle)
    }

    /// Waits until everything written has played.
    public func drain() {
        snd_pcm_drain(handle)
        snd_pcm_prepare(handle)
    }

    /// Plays `buffer` from `startFrame` to the end, or until `shouldStop` says so (checked every
    /// chunk of about 20 ms). Returns the frames played.
    @discardableResult
    public func play(_ buffer: AudioBuffer, from startFrame: Int = 0, shouldStop: () -> Bool = { false }) throws(Failure) -> Int {
        let chunk = max(1, sampleRate / 50)
        var frame = max(0, startFrame)
        var failure: Failure?
        buffer.samples.withUnsafeBufferPointer { samples in
            while frame < buffer.frameCount, !shouldStop() {
                let count = min(chunk, buffer.frameCount - frame)
                let written = snd_pcm_writei(handle, samples.baseAddress! + frame * channelCount, snd_pcm_uframes_t(count))
                if written < 0 {
                    // An underrun or a suspended device: recover and go on; anything else ends playback.
                    if snd_pcm_recover(handle, Int32(written), 1) < 0 {
                        failure = Failure(description: "playback on \"\(device)\" failed: \(String(cString: snd_strerror(Int32(written))))")
                        return
                    }
                    continue
                }
                frame += Int(written)
            }
        }
        if let failure { throw failure }
        if shouldStop() { snd_pcm_drop(handle) } else { snd_pcm_drain(handle) }
        return frame - max(0, startFrame)
    }
}
