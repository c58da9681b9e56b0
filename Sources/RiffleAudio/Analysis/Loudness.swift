import CEbur128
import Foundation

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
        guard let state = ebur128_init(UInt32(buffer.channelCount), UInt(buffer.sampleRate),
                                       Int32(riffle_ebur128_mode_loudness_and_true_peak())) else {
            throw Failure(description: "libebur128 could not start for \(buffer.channelCount) channels at \(buffer.sampleRate) Hz")
        }
        var handle: UnsafeMutablePointer<ebur128_state>? = state
        defer { ebur128_destroy(&handle) }

        let added = buffer.samples.withUnsafeBufferPointer {
            ebur128_add_frames_float(state, $0.baseAddress, buffer.frameCount)
        }
        guard added == Int32(EBUR128_SUCCESS.rawValue) else { throw Failure(description: "libebur128 error \(added)") }

        var integrated = 0.0
        ebur128_loudness_global(state, &integrated)
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

/// 20·log10 of a linear amplitude; `-infinity` for zero.
func decibels(_ amplitude: Double) -> Double {
    amplitude > 0 ? 20 * log10(amplitude) : -.infinity
}
