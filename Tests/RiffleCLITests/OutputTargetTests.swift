import Foundation
import RiffleAudio
import RiffleTestSupport
import Testing

/// The `riffle` binary beside this test bundle in the build folder.
private let riffle = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("riffle")

private func run(_ arguments: [String]) throws -> ProcessResult {
    try runProcess(riffle, arguments)
}

/// A folder with a one-second tone in it, `tone.wav`, to convert.
private func folderWithTone() throws -> TemporaryDirectory {
    let directory = try TemporaryDirectory()
    try AudioFileWriter.write(stereoSines(seconds: 1, sampleRate: 44100), to: directory.path("tone.wav"), options: AudioWriteOptions(format: .wav))
    return directory
}

private let hasGMSoundFont = FileManager.default.fileExists(atPath: "/usr/share/sounds/sf2/FluidR3_GM.sf2")

@Suite("Writing files from the command line: exit 4 with \"cannot write PATH: reason\", and nothing but regular files replaced")
struct OutputTargetTests {
    @Test("convert onto a named pipe refuses, and the pipe stays a pipe")
    func convertOntoFIFO() throws {
        let directory = try folderWithTone()
        let pipe = directory.path("pipe.flac")
        try FileSystemTraps.fifo(pipe)
        let result = try run(["convert", directory.path("tone.wav"), pipe])
        #expect(result.status == 4)
        #expect(result.errors == "riffle: cannot write \(pipe): it is a named pipe (FIFO), not a regular file\n")
        #expect(FileSystemTraps.kind(pipe) == "fifo")
    }

    @Test("convert onto a device node refuses, and the node stays a device", .enabled(if: getuid() == 0, "mknod needs root"))
    func convertOntoDevice() throws {
        let directory = try folderWithTone()
        let node = directory.path("null.wav")
        // /dev/null's device number, in the test's own folder: the real /dev/null is never at risk.
        try #require(mknod(node, S_IFCHR | 0o666, dev_t(1 << 8 | 3)) == 0)
        let result = try run(["convert", directory.path("tone.wav"), node])
        #expect(result.status == 4)
        #expect(result.errors.contains("cannot write \(node): it is a character device, not a regular file"), "\(result.errors)")
        #expect(FileSystemTraps.kind(node) == "device")
    }

    @Test("convert onto a dangling link, a folder, or under a file: exit 4 with the reason, no NSError", arguments: ["link", "folder", "under-file"])
    func convertReasons(case kind: String) throws {
        let directory = try folderWithTone()
        let target: String, reason: String
        switch kind {
        case "link":
            target = directory.path("out.wav")
            try FileManager.default.createSymbolicLink(atPath: target, withDestinationPath: directory.path("gone/out.wav"))
            reason = "it is a symbolic link to \(directory.path("gone/out.wav")), which does not exist"
        case "folder":
            target = directory.path("folder")
            try FileManager.default.createDirectory(atPath: target, withIntermediateDirectories: false)
            reason = "it is a directory, not a regular file"
        default:
            target = directory.path("tone.wav/out.wav")
            reason = "\(directory.path("tone.wav")) is a file, not a folder"
        }
        let result = try run(["convert", directory.path("tone.wav"), target, "--format", "wav"])
        #expect(result.status == 4)
        #expect(result.errors == "riffle: cannot write \(target): \(reason)\n")
        #expect(FileSystemTraps.kind(target) == (kind == "link" ? "link" : kind == "folder" ? "folder" : nil))
    }

    @Test("convert into a folder that cannot be written, or onto a full disk: exit 4 with the system's reason")
    func convertSystemReasons() throws {
        let directory = try folderWithTone()
        let locked = directory.path("locked")
        try FileManager.default.createDirectory(atPath: locked, withIntermediateDirectories: false)
        if let undo = FileSystemTraps.readOnly(locked) {
            defer { undo() }
            let result = try run(["convert", directory.path("tone.wav"), locked + "/out.flac"])
            #expect(result.status == 4)
            #expect(result.errors.hasPrefix("riffle: cannot write \(locked)/out.flac: "), "\(result.errors)")
            #expect(result.errors.contains("Permission denied") || result.errors.contains("Operation not permitted"))
        }
        let small = directory.path("small")
        try FileManager.default.createDirectory(atPath: small, withIntermediateDirectories: false)
        if let undo = FileSystemTraps.fullFileSystem(at: small) {
            defer { undo() }
            let result = try run(["convert", directory.path("tone.wav"), small + "/out.wav"])
            #expect(result.status == 4)
            #expect(result.errors.hasPrefix("riffle: cannot write \(small)/out.wav: no space left on the device holding \(small)"),
                    "\(result.errors)")
            #expect(try FileManager.default.contentsOfDirectory(atPath: small).isEmpty, "no partial file left")
        }
    }
}

@Suite("Export and generate --out onto bad places", .enabled(if: hasGMSoundFont, "needs fluid-soundfont-gm"))
struct ExportTargetCommandTests {
    /// A five-second take in a fresh library: its id and the library's arguments.
    private func take(_ temporary: TemporaryDirectory) throws -> (String, [String]) {
        let library = ["--library", temporary.path("library")]
        let result = try run(["generate", "lo-fi 80 bpm", "--duration", "5", "--variations", "1", "--seed", "1", "--json"] + library)
        #expect(result.status == 0, "\(result.errors)")
        let report = try #require(try JSONSerialization.jsonObject(with: Data(result.output.utf8)) as? [String: Any])
        return (try #require((report["results"] as? [[String: Any]])?.first?["id"] as? String), library)
    }

    @Test("export onto a pipe, a dangling link or under a file exits 4 naming the file and the reason")
    func export() throws {
        let temporary = try TemporaryDirectory()
        let (id, library) = try take(temporary)
        let pipe = temporary.path("pipe.flac")
        try FileSystemTraps.fifo(pipe)
        let link = temporary.path("link.wav")
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: temporary.path("gone.wav"))
        let cases = [(pipe, "it is a named pipe (FIFO), not a regular file"),
                     (link, "it is a symbolic link to \(temporary.path("gone.wav")), which does not exist"),
                     (temporary.path("pipe.flac/x.wav"), "\(pipe) is a named pipe (FIFO), not a folder")]
        for (target, reason) in cases {
            let result = try run(["export", id, "--out", target] + library)
            #expect(result.status == 4, "\(target)")
            #expect(result.errors == "riffle: cannot write \(target): \(reason)\n")
        }
        #expect(FileSystemTraps.kind(pipe) == "fifo" && FileSystemTraps.kind(link) == "link")
    }

    @Test("generate --out onto a file or a dangling link exits 4 before any take is made")
    func generateOut() throws {
        let temporary = try TemporaryDirectory()
        let file = temporary.path("notes.txt")
        try "x".write(toFile: file, atomically: true, encoding: .utf8)
        let link = temporary.path("out")
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: temporary.path("gone"))
        for (out, reason) in [(file, "it is a file, not a folder"), (link, "it is a symbolic link to \(temporary.path("gone")), which does not exist")] {
            let result = try run(["generate", "x", "--duration", "5", "--variations", "1", "--out", out, "--library", temporary.path("library")])
            #expect(result.status == 4)
            #expect(result.errors == "riffle: cannot write \(out): \(reason)\n")
        }
        let list = try run(["list", "--json", "--library", temporary.path("library")])
        #expect(list.output.trimmingCharacters(in: .whitespacesAndNewlines) == "[\n\n]" || list.output.contains("[]"), "no job: \(list.output)")
    }
}
