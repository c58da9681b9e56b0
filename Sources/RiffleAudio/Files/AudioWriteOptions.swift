import RiffleCore

/// How to encode a file: the format, and the sample encoding or quality that fits it.
public struct AudioWriteOptions: Sendable, Hashable {
    public var format: AudioFormat
    /// For WAV: 16-bit, 24-bit or 32-bit float; for FLAC: 16-bit or 24-bit. Ignored for OGG and MP3.
    public var encoding: SampleEncoding
    /// For OGG Vorbis and MP3: variable-bit-rate quality from 0 (smallest) to 1 (best).
    public var quality: Double

    public init(format: AudioFormat, encoding: SampleEncoding? = nil, quality: Double = 0.7) {
        self.format = format
        self.encoding = encoding ?? Self.defaultEncoding(for: format)
        self.quality = quality
    }

    /// 24-bit for the lossless formats (a mastered take keeps its detail); lossy has no bit depth.
    public static func defaultEncoding(for format: AudioFormat) -> SampleEncoding {
        format.isLossless ? .pcm24 : .lossy
    }

    /// The encodings each format can store.
    public static func encodings(for format: AudioFormat) -> [SampleEncoding] {
        switch format {
        case .wav: [.pcm16, .pcm24, .float32]
        case .flac: [.pcm16, .pcm24]
        case .ogg, .mp3: [.lossy]
        }
    }

    /// Why these options cannot be written, or `nil` when they can.
    public var problem: String? {
        if !Self.encodings(for: format).contains(encoding) {
            let allowed = Self.encodings(for: format).map(\.description).joined(separator: ", ")
            return "\(format) cannot store \(encoding) samples (allowed: \(allowed))"
        }
        if !(0...1).contains(quality) {
            return "quality \(quality) is out of range (allowed: 0 to 1)"
        }
        return nil
    }
}
