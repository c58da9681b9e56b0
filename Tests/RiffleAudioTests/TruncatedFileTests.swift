import Foundation
import RiffleAudio
import RiffleCore
import RiffleTestSupport
import Testing

/// An 8-bit unsigned stereo WAV, as old samplers and sox `-b 8` write it: `frames` frames of a ramp.
private func eightBitWAV(frames: Int) -> Data {
    func le32(_ value: Int) -> [UInt8] { (0..<4).map { UInt8(truncatingIfNeeded: value >> (8 * $0)) } }
    func le16(_ value: Int) -> [UInt8] { (0..<2).map { UInt8(truncatingIfNeeded: value >> (8 * $0)) } }
    let data = (0..<(frames * 2)).map { UInt8(truncatingIfNeeded: 128 + ($0 % 64)) }
    let header = Array("RIFF".utf8) + le32(36 + data.count) + Array("WAVEfmt ".utf8) + le32(16)
        + le16(1) + le16(2) + le32(22050) + le32(22050 * 2) + le16(2) + le16(8) + Array("data".utf8) + le32(data.count)
    return Data(header + data)
}

private func cut(_ path: String, keeping bytes: Int) throws {
    let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
    try handle.truncate(atOffset: UInt64(bytes))
    try handle.close()
}

private func size(_ path: String) throws -> Int {
    try #require(FileManager.default.attributesOfItem(atPath: path)[.size] as? Int)
}

/// Offsets of `marker` in the file, in order.
private func offsets(of marker: String, in path: String) throws -> [Int] {
    let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
    let pattern = Array(marker.utf8)
    return (0...(bytes.count - pattern.count)).filter { Array(bytes[$0..<($0 + pattern.count)]) == pattern }
}

@Suite("A file cut short is an error in every format, wherever the cut falls")
struct TruncatedFileTests {
    @Test("an 8-bit WAV cut off part-way is truncated; whole, it reads")
    func eightBit() throws {
        let directory = try TemporaryDirectory()
        let path = directory.path("old-sampler.wav")
        try eightBitWAV(frames: 22050).write(to: URL(fileURLWithPath: path))
        #expect(try AudioFileReader.read(path).frameCount == 22050)

        try cut(path, keeping: 44 + 22050)
        let error = try #require(throws: AudioFileError.self) { try AudioFileReader.read(path).frameCount }
        #expect(error.reason == .truncated(expectedFrames: 22050, readFrames: 11025), "\(error)")
        #expect(error.description.hasPrefix(path + ": the file is truncated"))
    }

    @Test("a FLAC whose STREAMINFO claims 2^36 - 1 samples is not read as whole")
    func flacClaimingTooMuch() throws {
        let directory = try TemporaryDirectory()
        let path = directory.path("liar.flac")
        try AudioFileWriter.write(stereoSines(seconds: 0.5, sampleRate: 44100), to: path, options: AudioWriteOptions(format: .flac))
        // STREAMINFO follows "fLaC" and its 4-byte block header; its 36-bit sample count starts in
        // the low nibble of its byte 13.
        var bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        bytes[8 + 13] |= 0x0F
        for index in (8 + 14)...(8 + 17) { bytes[index] = 0xFF }
        try Data(bytes).write(to: URL(fileURLWithPath: path))

        let error = try #require(throws: AudioFileError.self) { try AudioFileReader.read(path).frameCount }
        #expect(error.reason == .truncated(expectedFrames: (1 << 36) - 1, readFrames: 22050), "\(error)")
    }

    static let formats: [(AudioFormat, SampleEncoding)] = [
        (.wav, .pcm16), (.wav, .pcm24), (.wav, .float32), (.flac, .pcm16), (.flac, .pcm24), (.ogg, .lossy), (.mp3, .lossy),
    ]

    @Test("a cut in the header, early, midway, near the end or of the last byte is an error naming the file", arguments: formats)
    func everyRegion(format: AudioFormat, encoding: SampleEncoding) throws {
        let directory = try TemporaryDirectory()
        let whole = directory.path("whole.\(format.fileExtension)")
        try AudioFileWriter.write(stereoSines(seconds: 3, sampleRate: 44100), to: whole, options: AudioWriteOptions(format: format, encoding: encoding))
        let length = try size(whole)
        for keep in [30, 200, length / 10, length / 2, length * 9 / 10, length - 200, length - 1] {
            let path = directory.path("cut-\(keep).\(format.fileExtension)")
            try FileManager.default.copyItem(atPath: whole, toPath: path)
            try cut(path, keeping: keep)
            #expect(throws: AudioFileError.self, "\(format) \(encoding) cut to \(keep) of \(length) bytes read as whole") {
                try AudioFileReader.read(path).frameCount
            }
        }
    }

    @Test("an Ogg stream cut on a page boundary decodes cleanly but lacks its last page: an error")
    func oggPageBoundary() throws {
        let directory = try TemporaryDirectory()
        let path = directory.path("cut.ogg")
        try AudioFileWriter.write(stereoSines(seconds: 10, sampleRate: 44100), to: path, options: AudioWriteOptions(format: .ogg))
        let pages = try offsets(of: "OggS", in: path)
        try #require(pages.count > 4)
        try cut(path, keeping: pages[pages.count - 2])
        let error = try #require(throws: AudioFileError.self) { try AudioFileReader.read(path).frameCount }
        #expect(error.reason == .cutShort(detail: "the stream stops before its end-of-stream page"), "\(error)")
    }

    @Test("an MP3 with a length header cut on a frame boundary falls short of its count: an error")
    func mp3FrameBoundary() throws {
        let directory = try TemporaryDirectory()
        let path = directory.path("cut.mp3")
        try AudioFileWriter.write(stereoSines(seconds: 4, sampleRate: 44100), to: path, options: AudioWriteOptions(format: .mp3))
        // Walk the MPEG-1 layer III frames (44.1 kHz: 144 * bitrate / rate bytes, plus padding) to the middle one.
        let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        let kilobits = [0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320]
        var boundary = 0
        while boundary < bytes.count / 2 {
            try #require(bytes[boundary] == 0xFF && bytes[boundary + 1] & 0xE0 == 0xE0, "no frame at \(boundary)")
            let header = bytes[boundary + 2]
            boundary += 144 * kilobits[Int(header >> 4)] * 1000 / 44100 + Int(header >> 1) & 1
        }
        try cut(path, keeping: boundary)
        let error = try #require(throws: AudioFileError.self) { try AudioFileReader.read(path).frameCount }
        #expect(error.description.hasPrefix(path + ": the file is truncated"), "\(error)")
    }

    @Test("a WAV cut inside a chunk after its audio is truncated too: the file is not whole")
    func wavTrailingChunk() throws {
        let directory = try TemporaryDirectory()
        let path = directory.path("tagged.wav")
        try AudioFileWriter.write(stereoSines(seconds: 0.5, sampleRate: 44100), to: path, options: AudioWriteOptions(format: .wav, encoding: .pcm16))
        var bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        let note = Array("INFOICMT".utf8) + [14, 0, 0, 0] + Array("a long comment".utf8)
        bytes += Array("LIST".utf8) + [UInt8(note.count), 0, 0, 0] + note
        let riff = bytes.count - 8
        for index in 0..<4 { bytes[4 + index] = UInt8(truncatingIfNeeded: riff >> (8 * index)) }
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        #expect(try AudioFileReader.read(path).frameCount == 22050, "whole, it reads")

        try cut(path, keeping: bytes.count - 10)
        let error = try #require(throws: AudioFileError.self) { try AudioFileReader.read(path).frameCount }
        #expect(error.reason == .cutShort(detail: "its header promises \(bytes.count) bytes but the file holds \(bytes.count - 10)"),
                "\(error)")
    }

    @Test("a WAV whose sizes say 'unknown', as a streaming writer leaves them, is not called truncated")
    func streamedWAV() throws {
        let directory = try TemporaryDirectory()
        let path = directory.path("streamed.wav")
        var bytes = [UInt8](eightBitWAV(frames: 1000))
        for index in 4..<8 { bytes[index] = 0xFF }
        for index in 40..<44 { bytes[index] = 0xFF }
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        #expect(try AudioFileReader.read(path).frameCount == 1000)
    }
}
