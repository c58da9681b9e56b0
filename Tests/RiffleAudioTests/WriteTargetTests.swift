import Foundation
import RiffleAudio
import RiffleTestSupport
import Testing

private let tone = stereoSines(seconds: 0.5, sampleRate: 44100)

/// Writes the tone to `path` as WAV; the error's description when it fails.
private func writeFailure(_ path: String) -> String? {
    do {
        try AudioFileWriter.write(tone, to: path, options: AudioWriteOptions(format: .wav))
        return nil
    } catch {
        return error.description
    }
}

@Suite("Where a file is written: only a free name or a regular file, with the system's reason when not")
struct WriteTargetTests {
    @Test("a named pipe is refused and stays a named pipe; nothing is left beside it")
    func fifo() throws {
        let directory = try TemporaryDirectory()
        let path = directory.path("pipe.wav")
        try FileSystemTraps.fifo(path)
        #expect(writeFailure(path) == "cannot write \(path): it is a named pipe (FIFO), not a regular file")
        #expect(FileSystemTraps.kind(path) == "fifo")
        let source = directory.path("source.wav")
        try AudioFileWriter.write(tone, to: source, options: AudioWriteOptions(format: .wav))
        let copy = #expect(throws: AudioFileError.self) { try AtomicFile.copy(source, to: path) }
        #expect(copy?.description == "cannot write \(path): it is a named pipe (FIFO), not a regular file")
        #expect(FileSystemTraps.kind(path) == "fifo")
        #expect(try directory.contents() == ["pipe.wav", "source.wav"])
    }

    @Test("a device node is refused and stays a device", .enabled(if: getuid() == 0, "making a device node needs root"))
    func device() throws {
        let directory = try TemporaryDirectory()
        let path = directory.path("null.wav")
        // A node for /dev/null's device, inside the test's own folder, so the real one is never at risk.
        // Device 1:3 in the classic encoding (major << 8 | minor); Swift does not import glibc's makedev macro.
        try #require(mknod(path, S_IFCHR | 0o666, dev_t(1 << 8 | 3)) == 0)
        #expect(writeFailure(path) == "cannot write \(path): it is a character device, not a regular file")
        #expect(FileSystemTraps.kind(path) == "device")
    }

    @Test("a symbolic link to nothing is refused and left as it is")
    func danglingLink() throws {
        let directory = try TemporaryDirectory()
        let path = directory.path("take.wav")
        try FileManager.default.createSymbolicLink(atPath: path, withDestinationPath: directory.path("gone/take.wav"))
        #expect(writeFailure(path) == "cannot write \(path): it is a symbolic link to \(directory.path("gone/take.wav")), which does not exist")
        #expect(FileSystemTraps.kind(path) == "link")
        #expect(try directory.contents() == ["take.wav"])
    }

    @Test("a symbolic link to a regular file is written through: the link stays, the file it names is replaced")
    func linkToFile() throws {
        let directory = try TemporaryDirectory()
        let real = directory.path("real.wav")
        let link = directory.path("link.wav")
        try Data("old".utf8).write(to: URL(fileURLWithPath: real))
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: real)
        #expect(writeFailure(link) == nil)
        #expect(FileSystemTraps.kind(link) == "link")
        #expect(try AudioFileReader.read(real).frameCount == tone.frameCount)
        #expect(try directory.contents() == ["link.wav", "real.wav"])
    }

    @Test("a file where a folder should be is named as the reason")
    func fileInTheWay() throws {
        let directory = try TemporaryDirectory()
        let blocker = directory.path("exports")
        try Data("not a folder".utf8).write(to: URL(fileURLWithPath: blocker))
        let path = directory.path("exports/2026/take.wav")
        #expect(writeFailure(path) == "cannot write \(path): \(blocker) is a file, not a folder")
        #expect(throws: FileTargetError(path: path, reason: "\(blocker) is a file, not a folder")) { try FileTarget.checkFolder(path) }
    }

    @Test("a folder that cannot be written gives the system's reason and keeps nothing")
    func readOnlyFolder() throws {
        let directory = try TemporaryDirectory()
        let folder = directory.path("locked")
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: false)
        guard let undo = FileSystemTraps.readOnly(folder) else { return }
        defer { undo() }
        let path = folder + "/take.wav"
        let failure = try #require(writeFailure(path))
        #expect(failure.hasPrefix("cannot write \(path): ")
                && (failure.contains("Permission denied") || failure.contains("Operation not permitted")), "\(failure)")
        #expect(throws: FileTargetError.self) { try FileTarget.checkFolder(folder + "/out") }
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder).isEmpty)
    }

    @Test("a full disk gives the system's reason, and no partial file is left", .enabled(if: getuid() == 0, "mounting a small file system needs root"))
    func fullDisk() throws {
        let directory = try TemporaryDirectory()
        let folder = directory.path("small")
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: false)
        guard let undo = FileSystemTraps.fullFileSystem(at: folder) else { return }
        defer { undo() }
        let failure = try #require(writeFailure(folder + "/take.wav"))
        // The cause in words, with the system's own reason beside it.
        #expect(failure.hasPrefix("cannot write \(folder)/take.wav: no space left on the device holding \(folder)"), "\(failure)")
        let source = directory.path("big.wav")
        try AudioFileWriter.write(tone, to: source, options: AudioWriteOptions(format: .wav))
        let copied = #expect(throws: AudioFileError.self) { try AtomicFile.copy(source, to: folder + "/copy.wav") }
        #expect(copied?.description.hasPrefix("cannot write \(folder)/copy.wav: no space left on the device holding \(folder)") == true,
                "\(String(describing: copied))")
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder).isEmpty)
    }

    @Test("a copy is byte for byte, and its source must be readable")
    func copy() throws {
        let directory = try TemporaryDirectory()
        let source = directory.path("take.wav")
        try AudioFileWriter.write(tone, to: source, options: AudioWriteOptions(format: .wav))
        try AtomicFile.copy(source, to: directory.path("out/copy.wav"))
        #expect(try Data(contentsOf: URL(fileURLWithPath: directory.path("out/copy.wav"))) == Data(contentsOf: URL(fileURLWithPath: source)))
        let missing = #expect(throws: AudioFileError.self) { try AtomicFile.copy(directory.path("nope.wav"), to: directory.path("x.wav")) }
        #expect(missing?.description == "cannot write \(directory.path("x.wav")): cannot read \(directory.path("nope.wav")): No such file or directory")
    }
}
