/// Why an audio file could not be read or written, always naming the file.
public struct AudioFileError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Reason: Sendable, Equatable {
        /// No file at that path.
        case notFound
        /// The file has no bytes, or no audio in it.
        case empty
        /// The data is not audio in a format Riffle reads (or is labelled as one and is something else).
        case unrecognised(detail: String)
        /// The audio stops before its header says it should.
        case truncated(expectedFrames: Int, readFrames: Int)
        /// The file stops before its container says it ends (a RIFF size, an Ogg page, an MP3 frame),
        /// whatever the audio read from it: what is missing, in words.
        case cutShort(detail: String)
        /// The file is in a known format but damaged or unreadable.
        case unreadable(detail: String)
        /// The write options do not fit together (FLAC has no 32-bit float, say).
        case unsupportedOptions(detail: String)
        /// The file could not be written.
        case writeFailed(detail: String)
    }

    public var path: String
    public var reason: Reason

    public init(path: String, reason: Reason) {
        self.path = path
        self.reason = reason
    }

    public var description: String {
        switch reason {
        case .notFound: "\(path): no such file"
        case .empty: "\(path): the file is empty (no audio in it)"
        case .unrecognised(let detail): "\(path): not an audio file Riffle can read (\(detail))"
        case .truncated(let expected, let read):
            "\(path): the file is truncated: its header promises \(expected) frames but only \(read) could be read"
        case .cutShort(let detail): "\(path): the file is truncated: \(detail)"
        case .unreadable(let detail): "\(path): cannot read audio: \(detail)"
        case .unsupportedOptions(let detail): "\(path): \(detail)"
        case .writeFailed(let detail): "cannot write \(path): \(detail)"
        }
    }
}
