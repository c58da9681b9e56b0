import CEbur128
import Foundation
import RiffleEngine

/// Loudness as EBU R 128 measures it, through libebur128.
public struct Loudness: Sendable, Equatable {
    /// Integrated (programme) loudness in LUFS; `-infinity` for silence.
    public var integrated: Double
    /// The highest true (inter-sample) peak of any channel, in dBTP.
    public var truePeak: Double
    /// The highest sample magnitude of any channel, in dBFS.
    public var samplePeak: Double

    public struct Failure: Error, CustomStringConvertible {
        public let description: String
    }

    /// Measures a whole buffer.
    public static func measure(_ buffer: AudioBuffer) throws(Failure) -> Loudness {
        try measure(buffer, integrated: true)
    }

    /// The peaks of a buffer whose integrated loudness is already known (`integrated` is taken as
    /// given): several times cheaper than ``measure(_:)``.
    ///
    /// Below 96 kHz the true peak comes from ``InterSamplePeaks``, libebur128's own interpolator
    /// run eight samples at a time on two cores, since oversampling every sample through
    /// libebur128 was the costliest step of mastering a take; above, libebur128 measures it.
    public static func peaks(_ buffer: AudioBuffer, integrated: Double) throws(Failure) -> Loudness {
        guard let (truePeak, samplePeak) = InterSamplePeaks.measure(buffer) else {
            var result = try measure(buffer, integrated: false)
            result.integrated = integrated
            return result
        }
        return Loudness(integrated: integrated, truePeak: decibels(Double(truePeak)), samplePeak: decibels(Double(samplePeak)))
    }

    private static func measure(_ buffer: AudioBuffer, integrated wantsIntegrated: Bool) throws(Failure) -> Loudness {
        let mode = wantsIntegrated ? riffle_ebur128_mode_loudness_and_true_peak() : riffle_ebur128_mode_peaks()
        guard let state = ebur128_init(UInt32(buffer.channelCount), UInt(buffer.sampleRate), Int32(mode)) else {
            throw Failure(description: "libebur128 could not start for \(buffer.channelCount) channels at \(buffer.sampleRate) Hz")
        }
        var handle: UnsafeMutablePointer<ebur128_state>? = state
        defer { ebur128_destroy(&handle) }

        let added = buffer.samples.withUnsafeBufferPointer {
            ebur128_add_frames_float(state, $0.baseAddress, buffer.frameCount)
        }
        guard added == Int32(EBUR128_SUCCESS.rawValue) else { throw Failure(description: "libebur128 error \(added)") }

        var integrated = -Double.infinity
        if wantsIntegrated { ebur128_loudness_global(state, &integrated) }
        var truePeak = 0.0
        var samplePeak = 0.0
        for channel in 0..<UInt32(buffer.channelCount) {
            var value = 0.0
            ebur128_true_peak(state, channel, &value)
            truePeak = max(truePeak, value)
            ebur128_sample_peak(state, channel, &value)
            samplePeak = max(samplePeak, value)
        }
        return Loudness(integrated: integrated, truePeak: decibels(truePeak), samplePeak: decibels(samplePeak))
    }
}

extension Loudness {
    /// Integrated loudness alone, in LUFS (`-infinity` for silence): several times faster than
    /// ``measure(_:)``, whose true-peak measurement oversamples the whole buffer.
    public static func integrated(_ buffer: AudioBuffer) throws(Failure) -> Double {
        try integrated(buffer, gain: 1, envelope: nil)
    }

    /// Integrated loudness of `buffer` as it would be with `gain` and a per-frame `envelope` applied,
    /// without making that buffer.
    ///
    /// Mono and stereo are measured by ``IntegratedLoudness`` (libebur128's method, several times
    /// faster); other channel layouts by libebur128, the gain going on in small chunks on the way in.
    public static func integrated(_ buffer: AudioBuffer, gain: Float, envelope: [Float]?) throws(Failure) -> Double {
        if buffer.channelCount <= 2 {
            return buffer.samples.withUnsafeBufferPointer { samples in
                guard let envelope else {
                    return IntegratedLoudness.measure(samples, channels: buffer.channelCount, sampleRate: buffer.sampleRate, gain: gain)
                }
                precondition(envelope.count >= buffer.frameCount, "the envelope needs a gain for every frame")
                return envelope.withUnsafeBufferPointer {
                    IntegratedLoudness.measure(samples, channels: buffer.channelCount, sampleRate: buffer.sampleRate, gain: gain, envelope: $0)
                }
            }
        }
        guard let state = ebur128_init(UInt32(buffer.channelCount), UInt(buffer.sampleRate),
                                       Int32(riffle_ebur128_mode_integrated())) else {
            throw Failure(description: "libebur128 could not start for \(buffer.channelCount) channels at \(buffer.sampleRate) Hz")
        }
        var handle: UnsafeMutablePointer<ebur128_state>? = state
        defer { ebur128_destroy(&handle) }
        let channels = buffer.channelCount
        let chunkFrames = 16384
        var chunk = [Float](repeating: 0, count: chunkFrames * channels)
        var added = Int32(EBUR128_SUCCESS.rawValue)
        buffer.samples.withUnsafeBufferPointer { samples in
            var first = 0
            while first < buffer.frameCount, added == Int32(EBUR128_SUCCESS.rawValue) {
                let count = min(chunkFrames, buffer.frameCount - first)
                if gain == 1 && envelope == nil {
                    added = ebur128_add_frames_float(state, samples.baseAddress! + first * channels, count)
                } else {
                    for frame in 0..<count {
                        let frameGain = gain * (envelope?[first + frame] ?? 1)
                        for channel in 0..<channels {
                            chunk[frame * channels + channel] = samples[(first + frame) * channels + channel] * frameGain
                        }
                    }
                    added = ebur128_add_frames_float(state, chunk, count)
                }
                first += count
            }
        }
        guard added == Int32(EBUR128_SUCCESS.rawValue) else { throw Failure(description: "libebur128 error \(added)") }
        var integrated = 0.0
        ebur128_loudness_global(state, &integrated)
        return integrated
    }
}

/// 20·log10 of a linear amplitude; `-infinity` for zero.
func decibels(_ amplitude: Double) -> Double {
    amplitude > 0 ? 20 * log10(amplitude) : -.infinity
}
