import CSndfile
import Foundation
import RiffleCore
import RiffleEngine

/// Reads WAV, FLAC, OGG Vorbis and MP3 files through libsndfile.
///
/// The format comes from the file's contents, not its name, so a FLAC file saved as `.wav` still reads.
/// Every failure (missing, empty, truncated, not audio, damaged) is an ``AudioFileError`` naming the file.
public enum AudioFileReader {
    /// What the file's header says, without decoding the audio.
    public static func info(of path: String) throws(AudioFileError) -> AudioFileInfo {
        let file = try OpenSoundFile(readingFrom: path)
        defer { file.close() }
        return file.info
    }

    /// The header and the decoded audio, from one opening of the file.
    public static func readWithInfo(_ path: String) throws(AudioFileError) -> (info: AudioFileInfo, audio: AudioBuffer) {
        let file = try OpenSoundFile(readingFrom: path)
        defer { file.close() }
        return (file.info, try file.readAll())
    }

    /// The whole file as float samples, resampled to `sampleRate` when given and different.
    public static func read(_ path: String, resamplingTo sampleRate: Int? = nil) throws(AudioFileError) -> AudioBuffer {
        let buffer = try readWithInfo(path).audio
        guard let sampleRate, sampleRate != buffer.sampleRate else { return buffer }
        do {
            return try Resampler.resample(buffer, to: sampleRate)
        } catch {
            throw AudioFileError(path: path, reason: .unreadable(detail: "resampling to \(sampleRate) Hz failed: \(error)"))
        }
    }
}

/// An open libsndfile handle for reading, with the checks that turn its failures into clear errors.
private struct OpenSoundFile {
    let path: String
    let handle: OpaquePointer
    let info: AudioFileInfo
    /// libsndfile's frame count as the header has it, however implausible: a FLAC whose STREAMINFO
    /// claims 2^36 - 1 samples must be held to that claim, not treated as "length unknown".
    let claimedFrames: sf_count_t

    init(readingFrom path: String) throws(AudioFileError) {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw AudioFileError(path: path, reason: .notFound)
        }
        if isDirectory.boolValue {
            throw AudioFileError(path: path, reason: .unreadable(detail: "it is a directory"))
        }
        let size = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? nil
        if size == 0 { throw AudioFileError(path: path, reason: .empty) }

        var raw = SF_INFO()
        guard let handle = sf_open(path, Int32(SFM_READ), &raw) else {
            let message = String(cString: sf_strerror(nil))
            let reason: AudioFileError.Reason = sf_error(nil) == Int32(SF_ERR_UNRECOGNISED_FORMAT)
                ? .unrecognised(detail: message) : .unreadable(detail: message)
            throw AudioFileError(path: path, reason: reason)
        }
        guard let format = Self.format(of: raw.format) else {
            sf_close(handle)
            throw AudioFileError(path: path, reason: .unrecognised(
                detail: String(format: "libsndfile format 0x%08x is not one of \(AudioFormat.list)", raw.format)))
        }
        guard raw.samplerate > 0, raw.channels > 0 else {
            sf_close(handle)
            throw AudioFileError(path: path, reason: .unreadable(detail: "the header names \(raw.channels) channels at \(raw.samplerate) Hz"))
        }
        self.path = path
        self.handle = handle
        claimedFrames = raw.frames
        // libsndfile says "unknown length" with its largest count (a damaged MP3 does this).
        let frames = raw.frames >= 0 && raw.frames < Self.implausibleFrameCount ? Int(raw.frames) : nil
        self.info = AudioFileInfo(format: format, encoding: Self.encoding(of: raw.format), sampleRate: Int(raw.samplerate),
                                  channelCount: Int(raw.channels), frameCount: frames)
    }

    /// More frames than any real file holds: a day at 192 kHz.
    static let implausibleFrameCount: sf_count_t = 192_000 * 86_400

    func close() { sf_close(handle) }

    /// Decodes every frame. Reads until the decoder stops rather than trusting the header's count (a
    /// tagless MP3's is only an estimate), then holds the file to what it promised: fewer frames than
    /// the header claims, or a container that stops short (see ``ContainerEnd``), is a truncated file.
    func readAll() throws(AudioFileError) -> AudioBuffer {
        let channels = info.channelCount
        // About 128 K samples a chunk whatever the channel count: a header claiming 1024 channels
        // must not make one chunk a quarter of a gigabyte.
        let chunkFrames = max(1, 131_072 / channels)
        var samples: [Float] = []
        // Reserve what the header promises, but never more than ten minutes' worth up front: a lying
        // header must not make us allocate gigabytes before a single frame is decoded.
        samples.reserveCapacity(min(info.frameCount ?? 0, 48_000 * 600) * channels)
        var chunk = [Float](repeating: 0, count: chunkFrames * channels)
        while true {
            let got = chunk.withUnsafeMutableBufferPointer { sf_readf_float(handle, $0.baseAddress, sf_count_t(chunkFrames)) }
            if got <= 0 { break }
            samples.append(contentsOf: chunk[0..<(Int(got) * channels)])
        }
        if sf_error(handle) != 0 {
            throw AudioFileError(path: path, reason: .unreadable(detail: String(cString: sf_strerror(handle))))
        }
        let framesRead = samples.count / channels
        if framesRead == 0 { throw AudioFileError(path: path, reason: .empty) }
        let container = ContainerEnd.check(path, format: info.format)
        // 0 is "length unknown" (a streamed FLAC), and so is libsndfile's largest count.
        let claimed = container.lengthIsExact && claimedFrames > 0 && claimedFrames < sf_count_t.max ? Int(claimedFrames) : 0
        let promised = max(claimed, declaredFrames() ?? 0)
        if framesRead < promised {
            throw AudioFileError(path: path, reason: .truncated(expectedFrames: promised, readFrames: framesRead))
        }
        if let cut = container.cut { throw AudioFileError(path: path, reason: .cutShort(detail: cut)) }
        return AudioBuffer(sampleRate: info.sampleRate, channelCount: channels, samples: samples)
    }

    /// The frame count a WAV header declared before libsndfile corrected it, read from libsndfile's log.
    ///
    /// libsndfile quietly shortens a WAV whose data chunk claims more bytes than the file holds; its log
    /// says so, and that is the one place the declared size shows. The log also gives the bytes of one
    /// frame ("Block Align"), right for every sample width (8-bit included) where bits would not be.
    private func declaredFrames() -> Int? {
        guard info.format == .wav else { return nil }
        let log = logText()
        // The log reads "data : 1234567 (should be 123456)" when the chunk outruns the file.
        guard let bytes = Self.number(in: log, after: #"data\s*:\s*"#, before: #"\s*\(should be \d+\)"#),
              // A streaming writer's "size unknown": it promises nothing.
              bytes != 0xFFFF_FFFF else { return nil }
        let frameBytes = Self.number(in: log, after: #"Block Align\s*:\s*"#, before: "")
            ?? info.encoding.integerBits.map { $0 / 8 * info.channelCount }
        guard let frameBytes, frameBytes > 0 else { return nil }
        return bytes / frameBytes
    }

    /// The digits in `log` that follow the pattern `prefix` where `suffix` follows them.
    private static func number(in log: String, after prefix: String, before suffix: String) -> Int? {
        guard let range = log.range(of: prefix + #"\d+"# + suffix, options: .regularExpression) else { return nil }
        let match = log[range]
        guard let start = match.range(of: prefix, options: .regularExpression)?.upperBound else { return nil }
        return Int(match[start...].prefix { $0.isNumber })
    }

    private func logText() -> String {
        var buffer = [CChar](repeating: 0, count: 4096)
        let length = buffer.withUnsafeMutableBufferPointer {
            sf_command(handle, Int32(SFC_GET_LOG_INFO), $0.baseAddress, Int32($0.count))
        }
        guard length > 0 else { return "" }
        return String(decoding: buffer.prefix(Int(length)).map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    static func format(of code: Int32) -> AudioFormat? {
        switch code & Int32(SF_FORMAT_TYPEMASK) {
        case Int32(SF_FORMAT_WAV), Int32(SF_FORMAT_WAVEX), Int32(SF_FORMAT_RF64): .wav
        case Int32(SF_FORMAT_FLAC): .flac
        case Int32(SF_FORMAT_OGG): .ogg
        case Int32(SF_FORMAT_MPEG): .mp3
        default: nil
        }
    }

    static func encoding(of code: Int32) -> SampleEncoding {
        switch code & Int32(SF_FORMAT_SUBMASK) {
        case Int32(SF_FORMAT_PCM_16): .pcm16
        case Int32(SF_FORMAT_PCM_24): .pcm24
        case Int32(SF_FORMAT_FLOAT): .float32
        default: .lossy
        }
    }
}
