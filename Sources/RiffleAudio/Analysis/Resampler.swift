import CSamplerate
import RiffleEngine

/// Sample-rate conversion through libsamplerate's band-limited sinc converters.
public enum Resampler {
    public struct Failure: Error, CustomStringConvertible {
        public let description: String
    }

    /// `buffer` at `sampleRate`, the same length in time: exactly round(frames × ratio) frames.
    public static func resample(_ buffer: AudioBuffer, to sampleRate: Int) throws(Failure) -> AudioBuffer {
        guard sampleRate != buffer.sampleRate else { return buffer }
        guard sampleRate > 0 else { throw Failure(description: "invalid target rate \(sampleRate) Hz") }
        let ratio = Double(sampleRate) / Double(buffer.sampleRate)
        let outputFrames = Int((Double(buffer.frameCount) * ratio).rounded())
        // libsamplerate may stop a few frames short of the exact count; the zeroed margin and the final
        // trim make the length exact whatever it produced.
        var output = [Float](repeating: 0, count: (outputFrames + 64) * buffer.channelCount)
        let status: Int32 = buffer.samples.withUnsafeBufferPointer { input in
            output.withUnsafeMutableBufferPointer { out in
                var data = SRC_DATA()
                data.data_in = input.baseAddress
                data.input_frames = Int(buffer.frameCount)
                data.data_out = out.baseAddress
                data.output_frames = Int(out.count / buffer.channelCount)
                data.src_ratio = ratio
                data.end_of_input = 1
                let status = src_simple(&data, Int32(SRC_SINC_MEDIUM_QUALITY), Int32(buffer.channelCount))
                return status
            }
        }
        guard status == 0 else { throw Failure(description: String(cString: src_strerror(status))) }
        output.removeLast(output.count - outputFrames * buffer.channelCount)
        return AudioBuffer(sampleRate: sampleRate, channelCount: buffer.channelCount, samples: output)
    }
}
