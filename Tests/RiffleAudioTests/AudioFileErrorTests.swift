import Foundation
import RiffleAudio
import RiffleCore
import RiffleTestSupport
import Testing

@Suite("Bad audio files give errors that name the file and the reason")
struct AudioFileErrorTests {
    @Test("a missing file")
    func missing() throws {
        let directory = try TemporaryDirectory()
        let path = directory.path("nowhere.wav")
        #expect(throws: AudioFileError(path: path, reason: .notFound)) { try AudioFileReader.read(path).frameCount }
    }

    @Test("an empty file")
    func empty() throws {
        let directory = try TemporaryDirectory()
        let path = directory.path("empty.flac")
        try #require(FileManager.default.createFile(atPath: path, contents: Data()))
        #expect(throws: AudioFileError(path: path, reason: .empty)) { try AudioFileReader.read(path).frameCount }
    }

    @Test("a directory")
    func directory() throws {
        let directory = try TemporaryDirectory()
        let error = try #require(throws: AudioFileError.self) { try AudioFileReader.read(directory.url.path) }
        #expect(error.description.contains(directory.url.path))
        #expect(error.description.contains("directory"))
    }

    @Test("a text file, a PNG and random bytes, each named as audio", arguments: ["notes.wav", "cover.mp3", "noise.flac", "junk.ogg"])
    func notAudio(name: String) throws {
        let directory = try TemporaryDirectory()
        let path = directory.path(name)
        let contents: Data = switch name {
        case "notes.wav": Data("These are my lyrics, not a WAV file.\n".utf8)
        case "cover.mp3": Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A] + [UInt8](repeating: 7, count: 600))
        default: Data((0..<4096).map { UInt8(truncatingIfNeeded: $0 &* 7919 &+ 13) })
        }
        try contents.write(to: URL(fileURLWithPath: path))
        let error = try #require(throws: AudioFileError.self) { try AudioFileReader.read(path).frameCount }
        #expect(error.description.hasPrefix(path + ":"), "\(error)")
        switch error.reason {
        case .unrecognised, .unreadable: break
        default: Issue.record("unexpected reason: \(error)")
        }
    }

    @Test("a file in one format named as another still reads, by its contents")
    func mislabelledButValid() throws {
        let directory = try TemporaryDirectory()
        let flacPath = directory.path("really-flac.flac")
        let original = quantised(stereoSines(seconds: 0.5, sampleRate: 44100), bits: 16)
        try AudioFileWriter.write(original, to: flacPath, options: AudioWriteOptions(format: .flac, encoding: .pcm16))
        let wrongName = directory.path("says-wav.wav")
        try FileManager.default.moveItem(atPath: flacPath, toPath: wrongName)

        #expect(try AudioFileReader.info(of: wrongName).format == .flac)
        #expect(firstDifference(try AudioFileReader.read(wrongName).samples, original.samples) == nil)
    }

    static let truncatable: [(AudioFormat, SampleEncoding)] = [(.wav, .pcm16), (.wav, .pcm24), (.wav, .float32), (.flac, .pcm16), (.flac, .pcm24)]

    @Test("a lossless file cut off part-way is reported as truncated, not read short", arguments: truncatable)
    func truncatedLossless(format: AudioFormat, encoding: SampleEncoding) throws {
        let directory = try TemporaryDirectory()
        let path = directory.path("cut.\(format.fileExtension)")
        try AudioFileWriter.write(stereoSines(seconds: 2, sampleRate: 44100), to: path, options: AudioWriteOptions(format: format, encoding: encoding))
        try truncate(path, keeping: 0.6)

        let error = try #require(throws: AudioFileError.self) { try AudioFileReader.read(path).frameCount }
        #expect(error.description.hasPrefix(path + ":"))
        guard case .truncated(let expected, let read) = error.reason else {
            Issue.record("expected a truncation error, got: \(error)")
            return
        }
        #expect(expected == 88200)
        #expect(read < 88200 * 7 / 10)
    }

    @Test("a file cut off inside its header", arguments: [AudioFormat.wav, .flac, .ogg, .mp3])
    func truncatedHeader(format: AudioFormat) throws {
        let directory = try TemporaryDirectory()
        let path = directory.path("stub.\(format.fileExtension)")
        try AudioFileWriter.write(stereoSines(seconds: 1, sampleRate: 44100), to: path, options: AudioWriteOptions(format: format))
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        try handle.truncate(atOffset: 20)
        try handle.close()
        let error = try #require(throws: AudioFileError.self) { try AudioFileReader.read(path).frameCount }
        #expect(error.description.hasPrefix(path + ":"), "\(error)")
    }

    @Test("a lossy file cut off part-way is an error, not a shorter read", arguments: [AudioFormat.ogg, .mp3])
    func truncatedLossy(format: AudioFormat) throws {
        let directory = try TemporaryDirectory()
        let path = directory.path("cut.\(format.fileExtension)")
        try AudioFileWriter.write(stereoSines(seconds: 4, sampleRate: 44100), to: path, options: AudioWriteOptions(format: format))
        try truncate(path, keeping: 0.5)
        // Half a file must not pass for a whole 2-second one: the Ogg stream has no end-of-stream page,
        // the MP3's length header counts more frames than are left.
        let error = try #require(throws: AudioFileError.self) { try AudioFileReader.read(path).frameCount }
        #expect(error.description.hasPrefix(path + ": the file is truncated"), "\(error)")
    }

    @Test("options a format cannot store are refused before anything is written")
    func unsupportedOptions() throws {
        let directory = try TemporaryDirectory()
        let path = directory.path("float.flac")
        let error = try #require(throws: AudioFileError.self) {
            try AudioFileWriter.write(stereoSines(seconds: 0.1, sampleRate: 44100), to: path,
                                      options: AudioWriteOptions(format: .flac, encoding: .float32))
        }
        #expect(error.description.contains("flac cannot store 32-bit float"), "\(error)")
        #expect(try directory.contents().isEmpty)
    }

    private func truncate(_ path: String, keeping fraction: Double) throws {
        let size = try #require(FileManager.default.attributesOfItem(atPath: path)[.size] as? Int)
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        try handle.truncate(atOffset: UInt64(Double(size) * fraction))
        try handle.close()
    }
}
