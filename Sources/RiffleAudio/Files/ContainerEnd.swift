import Foundation
import RiffleCore

/// Whether a file's bytes reach as far as its own container says they should: the checks libsndfile
/// does not make.
///
/// libsndfile reads a cut-off file as far as its data goes and, for most formats, then reports the
/// shortened length as the file's own, so "frames decoded < frames promised" cannot see the cut. The
/// container's framing can: a RIFF size, Ogg pages with an end-of-stream flag, MPEG frame lengths.
/// These are read from the file directly (mapped, not loaded); each check answers only what the
/// format defines and stays silent when the bytes are too damaged to judge, leaving that to the decoder.
enum ContainerEnd {
    /// What the container says about the file's end.
    struct Verdict: Equatable {
        /// Why the file is cut short, when it is.
        var cut: String?
        /// Whether libsndfile's frame count is the file's own promise (WAV, FLAC, Ogg, an MP3 with a
        /// Xing/Info or VBRI header) rather than an estimate from the file's size (any other MP3).
        var lengthIsExact: Bool
    }

    static func check(_ path: String, format: AudioFormat) -> Verdict {
        guard let bytes = try? Data(contentsOf: URL(fileURLWithPath: path), options: .alwaysMapped) else {
            return Verdict(cut: nil, lengthIsExact: format != .mp3)
        }
        switch format {
        case .wav: return Verdict(cut: riffCut(bytes), lengthIsExact: true)
        case .flac: return Verdict(cut: nil, lengthIsExact: true)
        case .ogg: return Verdict(cut: oggCut(bytes), lengthIsExact: true)
        case .mp3: return mpegVerdict(bytes)
        }
    }

    // MARK: RIFF

    /// A RIFF/WAVE file whose header claims more bytes than the file holds. 0 and 0xFFFFFFFF are what
    /// streaming writers put there when they cannot know the size, so they promise nothing; one byte
    /// short is a missing pad byte, which readers forgive. (RF64 keeps its sizes elsewhere; libsndfile's
    /// own check of its data chunk covers it.)
    static func riffCut(_ bytes: Data) -> String? {
        guard bytes.count >= 12, bytes.ascii(0, 4) == "RIFF", bytes.ascii(8, 4) == "WAVE" else { return nil }
        let size = bytes.littleEndian32(at: 4)
        guard size != 0, size != 0xFFFF_FFFF else { return nil }
        let promised = Int(size) + 8
        return promised > bytes.count + 1 ? "its header promises \(promised) bytes but the file holds \(bytes.count)" : nil
    }

    // MARK: Ogg

    /// An Ogg stream whose pages, walked from the first, run past the end of the file or stop before a
    /// page flagged end-of-stream (RFC 3533): a cut on a page boundary leaves a stream that decodes
    /// cleanly but never ends.
    static func oggCut(_ bytes: Data) -> String? {
        var offset = 0
        var lastFlags: UInt8 = 0
        while offset < bytes.count {
            guard offset + 27 <= bytes.count else { return "its last page is cut off" }
            // Something other than a page: damage, not a cut; the decoder says what it makes of it.
            guard bytes.ascii(offset, 4) == "OggS" else { return nil }
            let segments = Int(bytes[bytes.startIndex + offset + 26])
            guard offset + 27 + segments <= bytes.count else { return "its last page is cut off" }
            let body = (0..<segments).reduce(0) { $0 + Int(bytes[bytes.startIndex + offset + 27 + $1]) }
            lastFlags = bytes[bytes.startIndex + offset + 5]
            offset += 27 + segments + body
        }
        if offset > bytes.count { return "its last page is cut off" }
        return lastFlags & 0x04 == 0 ? "the stream stops before its end-of-stream page" : nil
    }

    // MARK: MPEG audio

    /// An MP3 whose last frame runs past the end of the file; and whether it carries a header with the
    /// stream's length (LAME's Xing/Info, Fraunhofer's VBRI), which makes libsndfile's count exact.
    static func mpegVerdict(_ bytes: Data) -> Verdict {
        var offset = id3v2Length(bytes)
        // The first frame may follow a little padding.
        let searchEnd = min(bytes.count - 4, offset + 4096)
        while offset < searchEnd, MPEGFrame(bytes, at: offset) == nil { offset += 1 }
        guard let first = MPEGFrame(bytes, at: offset) else { return Verdict(cut: nil, lengthIsExact: false) }
        let exact = first.hasLengthHeader(bytes, at: offset)
        while offset < bytes.count {
            guard let frame = MPEGFrame(bytes, at: offset) else {
                let rest = bytes.count - offset
                // An ID3v1 tag is the last 128 bytes; a shorter "TAG" is one cut off.
                if bytes.ascii(offset, 3) == "TAG", rest < 128 { return Verdict(cut: "its ID3 tag is cut off", lengthIsExact: exact) }
                // A header cut off, or anything else (APE or ID3v1 tags, damage): not ours to judge.
                if rest < 4, bytes[bytes.startIndex + offset] == 0xFF {
                    return Verdict(cut: "its last frame is cut off", lengthIsExact: exact)
                }
                return Verdict(cut: nil, lengthIsExact: exact)
            }
            if offset + frame.length > bytes.count { return Verdict(cut: "its last frame is cut off", lengthIsExact: exact) }
            offset += frame.length
        }
        return Verdict(cut: nil, lengthIsExact: exact)
    }

    /// The bytes of an ID3v2 tag at the start of the file (ID3v2.4 §3.1: a synchsafe size, plus a
    /// footer when flagged), or 0.
    static func id3v2Length(_ bytes: Data) -> Int {
        guard bytes.count >= 10, bytes.ascii(0, 3) == "ID3" else { return 0 }
        let size = (6..<10).reduce(0) { ($0 << 7) | Int(bytes[bytes.startIndex + $1] & 0x7F) }
        let footer = bytes[bytes.startIndex + 5] & 0x10 != 0 ? 10 : 0
        return min(bytes.count, 10 + size + footer)
    }
}

/// One MPEG-1/2/2.5 audio frame header (ISO 11172-3, 13818-3): enough to know the frame's length.
struct MPEGFrame {
    let length: Int
    let version: Int
    let layer: Int
    let isMono: Bool

    private static let bitrates: [[Int]] = [
        [32, 64, 96, 128, 160, 192, 224, 256, 288, 320, 352, 384, 416, 448], // MPEG-1 layer I
        [32, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320, 384],     // MPEG-1 layer II
        [32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320],      // MPEG-1 layer III
        [32, 48, 56, 64, 80, 96, 112, 128, 144, 160, 176, 192, 224, 256],     // MPEG-2/2.5 layer I
        [8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160],          // MPEG-2/2.5 layers II and III
    ]

    /// The header at `offset`, or `nil` when there is none (no sync, a reserved value, free format).
    init?(_ bytes: Data, at offset: Int) {
        guard offset >= 0, offset + 4 <= bytes.count else { return nil }
        let base = bytes.startIndex + offset
        let (b1, b2, b3) = (bytes[base + 1], bytes[base + 2], bytes[base + 3])
        guard bytes[base] == 0xFF, b1 & 0xE0 == 0xE0 else { return nil }
        let versionBits = Int(b1 >> 3) & 3 // 0: MPEG-2.5, 2: MPEG-2, 3: MPEG-1
        let layerBits = Int(b1 >> 1) & 3   // 1: III, 2: II, 3: I
        let bitrateIndex = Int(b2 >> 4)
        let rateIndex = Int(b2 >> 2) & 3
        guard versionBits != 1, layerBits != 0, bitrateIndex != 0, bitrateIndex != 15, rateIndex != 3 else { return nil }
        let layer = 4 - layerBits
        let mpeg1 = versionBits == 3
        let table = mpeg1 ? layer - 1 : (layer == 1 ? 3 : 4)
        let bitrate = Self.bitrates[table][bitrateIndex - 1] * 1000
        let rate = [44100, 48000, 32000][rateIndex] / (mpeg1 ? 1 : versionBits == 2 ? 2 : 4)
        let padding = Int(b2 >> 1) & 1
        switch layer {
        case 1: length = (12 * bitrate / rate + padding) * 4
        case 3 where !mpeg1: length = 72 * bitrate / rate + padding
        default: length = 144 * bitrate / rate + padding
        }
        version = mpeg1 ? 1 : 2
        self.layer = layer
        isMono = b3 >> 6 == 3
    }

    /// Whether this first frame is a Xing/Info header (after the side information) or a VBRI header
    /// (32 bytes in) that counts the stream's frames.
    func hasLengthHeader(_ bytes: Data, at offset: Int) -> Bool {
        let sideInformation = version == 1 ? (isMono ? 17 : 32) : (isMono ? 9 : 17)
        let xing = offset + 4 + sideInformation
        if ["Xing", "Info"].contains(bytes.ascii(xing, 4)), xing + 8 <= bytes.count {
            return bytes[bytes.startIndex + xing + 7] & 0x01 != 0 // the frame count is present
        }
        return bytes.ascii(offset + 36, 4) == "VBRI"
    }
}

private extension Data {
    /// `count` bytes at `offset` as ASCII text, or "" past the end.
    func ascii(_ offset: Int, _ count: Int) -> String {
        guard offset >= 0, offset + count <= self.count else { return "" }
        return String(decoding: self[(startIndex + offset)..<(startIndex + offset + count)], as: UTF8.self)
    }

    func littleEndian32(at offset: Int) -> UInt32 {
        (0..<4).reduce(UInt32(0)) { $0 | UInt32(self[startIndex + offset + $1]) << (8 * $1) }
    }
}
