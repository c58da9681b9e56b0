import RiffleCore

/// How samples are stored in a file.
public enum SampleEncoding: String, Sendable, Hashable, CaseIterable, CustomStringConvertible {
    case pcm16 = "16-bit"
    case pcm24 = "24-bit"
    case float32 = "32-bit float"
    /// Vorbis or MP3: no fixed bit depth.
    case lossy = "lossy"

    /// Bits per sample for integer PCM; `nil` otherwise.
    public var integerBits: Int? {
        switch self {
        case .pcm16: 16
        case .pcm24: 24
        case .float32, .lossy: nil
        }
    }

    public var description: String { rawValue }
}

/// What a file's header says about its audio.
public struct AudioFileInfo: Sendable, Equatable {
    /// The container and codec, from the file's contents (not its name).
    public var format: AudioFormat
    public var encoding: SampleEncoding
    public var sampleRate: Int
    public var channelCount: Int
    /// Frames according to the header; for MP3 an estimate, and `nil` when the header does not say.
    public var frameCount: Int?

    /// Length in seconds according to the header; `nil` when it does not say.
    public var duration: Double? { frameCount.map { Double($0) / Double(sampleRate) } }
}
