import CSndfile
import Foundation
import RiffleCore
import RiffleEngine

/// Writes WAV (16/24-bit, 32-bit float), FLAC (16/24-bit), OGG Vorbis and MP3 through libsndfile.
///
/// Writes are atomic: the file appears under its name complete or not at all.
public enum AudioFileWriter {
    /// Encodes `buffer` into `path` with `options`, replacing any file already there.
    ///
    /// Integer formats are quantised by rounding to the nearest step and clipping at full scale, so a
    /// float that already sits on a 16- or 24-bit step is written exactly. Non-finite samples are written
    /// as silence.
    public static func write(_ buffer: AudioBuffer, to path: String, options: AudioWriteOptions) throws(AudioFileError) {
        if let problem = options.problem {
            throw AudioFileError(path: path, reason: .unsupportedOptions(detail: problem))
        }
        var info = SF_INFO()
        info.samplerate = Int32(buffer.sampleRate)
        info.channels = Int32(buffer.channelCount)
        info.format = formatCode(options)
        guard sf_format_check(&info) != 0 else {
            throw AudioFileError(path: path, reason: .unsupportedOptions(
                detail: "\(options.format) cannot store \(buffer.channelCount) channels at \(buffer.sampleRate) Hz"))
        }
        try AtomicFile.write(to: path) { (temporary: String) throws(AudioFileError) in
            try encode(buffer, info: info, options: options, to: temporary, reportingAs: path)
        }
    }

    private static func encode(_ buffer: AudioBuffer, info: SF_INFO, options: AudioWriteOptions,
                               to temporary: String, reportingAs path: String) throws(AudioFileError) {
        let frames = buffer.frameCount
        var info = info
        guard let handle = sf_open(temporary, Int32(SFM_WRITE), &info) else {
            throw AtomicFile.failure(path, writing: temporary, systemReason(sf_strerror(nil)))
        }
        switch options.format {
        case .ogg:
            var quality = options.quality
            sf_command(handle, Int32(SFC_SET_VBR_ENCODING_QUALITY), &quality, Int32(MemoryLayout<Double>.size))
        case .mp3:
            var mode = Int32(SF_BITRATE_MODE_VARIABLE)
            sf_command(handle, Int32(SFC_SET_BITRATE_MODE), &mode, Int32(MemoryLayout<Int32>.size))
            var level = 1 - options.quality
            sf_command(handle, Int32(SFC_SET_COMPRESSION_LEVEL), &level, Int32(MemoryLayout<Double>.size))
        case .flac:
            // FLAC level 1 of 8 instead of libsndfile's 5: several times faster for a few percent
            // more bytes, and a studio writes a file per take while the user waits. Level 2's
            // exhaustive stereo search made a 24-bit Composer take 0.1% smaller for a fifth more
            // encoding time.
            var level = 0.125
            sf_command(handle, Int32(SFC_SET_COMPRESSION_LEVEL), &level, Int32(MemoryLayout<Double>.size))
        case .wav:
            break
        }
        // Converted a chunk at a time: a whole take's worth of integers would double the memory a write needs.
        var encoder = ChunkEncoder(encoding: options.encoding, channels: buffer.channelCount)
        var written: sf_count_t = 0
        buffer.samples.withUnsafeBufferPointer { samples in
            var first = 0
            while first < frames {
                let count = min(ChunkEncoder.chunkFrames, frames - first)
                let done = encoder.write(samples[(first * buffer.channelCount)..<((first + count) * buffer.channelCount)], to: handle)
                written += done
                if done != sf_count_t(count) { break }
                first += count
            }
        }
        let failure = written == sf_count_t(frames) ? nil : systemReason(sf_strerror(handle))
        let closed = sf_close(handle)
        if let failure {
            throw AtomicFile.failure(path, writing: temporary, "wrote \(written) of \(frames) frames: \(failure)")
        }
        if closed != 0 {
            throw AtomicFile.failure(path, writing: temporary, String(cString: sf_error_number(closed)))
        }
        if !options.format.isLossless {
            // libsndfile's MP3 encoder drops failed writes without a word (a full disk gives a short file
            // and success), and the Ogg encoder's are easy to miss at close: decode what was written
            // (a few milliseconds a take) and count its frames before it may take the file's name.
            let decoded = try? AudioFileReader.read(temporary).frameCount
            guard decoded == frames else {
                throw AtomicFile.failure(path, writing: temporary, "the encoder wrote \(decoded ?? 0) of \(frames) frames")
            }
        }
    }

    /// libsndfile's message without its wrapping: "System error : No space left on device." is the
    /// system's "No space left on device".
    private static func systemReason(_ message: UnsafePointer<CChar>?) -> String {
        var reason = message.map { String(cString: $0) } ?? "unknown error"
        if reason.hasPrefix("System error : ") {
            reason.removeFirst(15)
            if reason.hasSuffix(".") { reason.removeLast() }
        }
        return reason
    }

    private static func formatCode(_ options: AudioWriteOptions) -> Int32 {
        let container: Int32 = switch options.format {
        case .wav: Int32(SF_FORMAT_WAV)
        case .flac: Int32(SF_FORMAT_FLAC)
        case .ogg: Int32(SF_FORMAT_OGG)
        case .mp3: Int32(SF_FORMAT_MPEG)
        }
        let codec: Int32 = switch (options.format, options.encoding) {
        case (.ogg, _): Int32(SF_FORMAT_VORBIS)
        case (.mp3, _): Int32(SF_FORMAT_MPEG_LAYER_III)
        case (_, .pcm16): Int32(SF_FORMAT_PCM_16)
        case (_, .pcm24): Int32(SF_FORMAT_PCM_24)
        case (_, .float32), (_, .lossy): Int32(SF_FORMAT_FLOAT)
        }
        return container | codec
    }
}

/// Samples in the form the encoder takes them.
///
/// Integer formats get left-justified 32-bit integers that Riffle rounds itself: libsndfile scales
/// floats by 2^(bits-1) - 1 when writing but by 2^(bits-1) when reading, so handing it floats would
/// shift every sample by up to one step and no lossless round trip would be exact.
/// Turns float samples into what the file stores, a chunk at a time.
private struct ChunkEncoder {
    static let chunkFrames = 32768

    let channels: Int
    /// Bits per integer sample; `nil` for float files.
    let bits: Int?
    var integers: [Int32] = []
    var floats: [Float] = []

    init(encoding: SampleEncoding, channels: Int) {
        self.channels = channels
        self.bits = encoding.integerBits
    }

    /// Writes `samples` (whole frames); returns the frames written. Non-finite samples become
    /// silence; integer formats round to the nearest step and clip at full scale.
    mutating func write(_ samples: Slice<UnsafeBufferPointer<Float>>, to handle: OpaquePointer) -> sf_count_t {
        let frames = sf_count_t(samples.count / channels)
        guard let bits else {
            floats.removeAll(keepingCapacity: true)
            floats.append(contentsOf: samples.lazy.map { $0.isFinite ? $0 : 0 })
            return floats.withUnsafeBufferPointer { sf_writef_float(handle, $0.baseAddress, frames) }
        }
        let scale = Double(1 << (bits - 1))
        let shift = Int32(32 - bits)
        if integers.count < samples.count { integers = [Int32](repeating: 0, count: samples.count) }
        integers.withUnsafeMutableBufferPointer { integers in
            for (index, sample) in zip(integers.indices, samples) {
                // Half a step away from zero, then truncation: the same as `rounded()`, without a
                // call into libm for every sample.
                let scaled = sample.isFinite ? Double(sample) * scale : 0
                let step = min(max(scaled + (scaled < 0 ? -0.5 : 0.5), -scale), scale - 1)
                integers[index] = Int32(step) << shift
            }
        }
        return integers.withUnsafeBufferPointer { sf_writef_int(handle, $0.baseAddress, frames) }
    }
}
