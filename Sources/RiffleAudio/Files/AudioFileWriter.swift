import CSndfile
import Foundation
import RiffleCore

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
        let samples = EncoderSamples(buffer.samples, encoding: options.encoding)
        try AtomicFile.write(to: path) { (temporary: String) throws(AudioFileError) in
            try encode(samples, frames: buffer.frameCount, info: info, options: options, to: temporary, reportingAs: path)
        }
    }

    private static func encode(_ samples: EncoderSamples, frames: Int, info: SF_INFO, options: AudioWriteOptions,
                               to temporary: String, reportingAs path: String) throws(AudioFileError) {
        var info = info
        guard let handle = sf_open(temporary, Int32(SFM_WRITE), &info) else {
            throw AudioFileError(path: path, reason: .writeFailed(detail: String(cString: sf_strerror(nil))))
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
        case .wav, .flac:
            break
        }
        let written = switch samples {
        case .integers(let values): values.withUnsafeBufferPointer { sf_writef_int(handle, $0.baseAddress, sf_count_t(frames)) }
        case .floats(let values): values.withUnsafeBufferPointer { sf_writef_float(handle, $0.baseAddress, sf_count_t(frames)) }
        }
        let failure = written == sf_count_t(frames) ? nil : String(cString: sf_strerror(handle))
        let closed = sf_close(handle)
        if let failure {
            throw AudioFileError(path: path, reason: .writeFailed(detail: "wrote \(written) of \(frames) frames: \(failure)"))
        }
        if closed != 0 {
            throw AudioFileError(path: path, reason: .writeFailed(detail: String(cString: sf_error_number(closed))))
        }
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
private enum EncoderSamples {
    case integers([Int32])
    case floats([Float])

    /// Non-finite samples become silence; integer formats round to the nearest step and clip at full scale.
    init(_ samples: [Float], encoding: SampleEncoding) {
        guard let bits = encoding.integerBits else {
            self = .floats(samples.map { $0.isFinite ? $0 : 0 })
            return
        }
        let scale = Double(1 << (bits - 1))
        let shift = Int32(32 - bits)
        self = .integers(samples.map { sample in
            guard sample.isFinite else { return 0 }
            let step = min(max((Double(sample) * scale).rounded(), -scale), scale - 1)
            return Int32(step) << shift
        })
    }
}
