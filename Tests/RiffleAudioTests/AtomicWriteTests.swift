import Foundation
import RiffleAudio
import RiffleCore
import RiffleEngine
import RiffleTestSupport
import Testing

@Suite("Writes are atomic: a file is complete under its name or not there at all")
struct AtomicWriteTests {
    @Test("a successful write leaves exactly the file, no temporary beside it")
    func leavesNoTemporary() throws {
        let directory = try TemporaryDirectory()
        try AudioFileWriter.write(stereoSines(seconds: 0.2, sampleRate: 44100), to: directory.path("take.flac"),
                                  options: AudioWriteOptions(format: .flac))
        #expect(try directory.contents() == ["take.flac"])
    }

    @Test("a failed write keeps the file that was there and cleans up after itself")
    func failureKeepsOldFile() throws {
        let directory = try TemporaryDirectory()
        let path = directory.path("take.wav")
        let original = quantised(stereoSines(seconds: 0.3, sampleRate: 44100), bits: 16)
        try AudioFileWriter.write(original, to: path, options: AudioWriteOptions(format: .wav, encoding: .pcm16))

        // MP3 cannot hold eight channels: the encoder fails after the temporary file was opened.
        let eightChannels = AudioBuffer(silenceOfFrames: 4410, sampleRate: 44100, channelCount: 8)
        #expect(throws: AudioFileError.self) {
            try AudioFileWriter.write(eightChannels, to: path, options: AudioWriteOptions(format: .mp3))
        }
        #expect(try directory.contents() == ["take.wav"])
        #expect(firstDifference(try AudioFileReader.read(path).samples, original.samples) == nil)
    }

    @Test("a destination that is a directory fails without touching it")
    func destinationIsDirectory() throws {
        let directory = try TemporaryDirectory()
        let target = directory.path("takes")
        try FileManager.default.createDirectory(atPath: target, withIntermediateDirectories: false)
        let error = try #require(throws: AudioFileError.self) {
            try AudioFileWriter.write(stereoSines(seconds: 0.1, sampleRate: 44100), to: target, options: AudioWriteOptions(format: .wav))
        }
        #expect(error.description == "cannot write \(target): it is a directory, not a regular file")
        #expect(try directory.contents() == ["takes"])
    }

    @Test("missing parent directories are created")
    func createsParents() throws {
        let directory = try TemporaryDirectory()
        let path = directory.path("exports/2026/take.ogg")
        try AudioFileWriter.write(stereoSines(seconds: 0.5, sampleRate: 48000), to: path, options: AudioWriteOptions(format: .ogg))
        #expect(try AudioFileReader.info(of: path).format == .ogg)
    }
}
