import Foundation
@testable import RiffleApp
import RiffleAudio
import RiffleCore
import RiffleTestSupport
import Testing

@Suite("Export onto a place it cannot write: \"cannot write PATH: reason\", and nothing replaced")
struct ExportTargetTests {
    /// A finished take with MIDI, in a fresh studio.
    private func take() throws -> (Studio, TakeRecord) {
        let studio = try Studio(FakeEngine())
        return (studio, try studio.takes(studio.generated(request(takes: 1), outputs: TakeOutputs(midi: true)).id)[0])
    }

    private func exportError(_ studio: Studio, _ id: String, to path: String, format: AudioFormat? = nil) -> AppError? {
        #expect(throws: AppError.self) { try studio.service.export(id, to: path, format: format) }
    }

    @Test("a named pipe, in the take's own format (a copy) or another (an encoding), is refused and stays a pipe",
          arguments: [nil, AudioFormat.wav])
    func fifo(format: AudioFormat?) throws {
        let (studio, take) = try take()
        let path = studio.directory.path("pipe.flac")
        try FileSystemTraps.fifo(path)
        let error = exportError(studio, take.id, to: path, format: format)
        #expect(error == AppError(.fileError, "cannot write \(path): it is a named pipe (FIFO), not a regular file"))
        #expect(FileSystemTraps.kind(path) == "fifo")
    }

    @Test("the MIDI file's place is checked too: a pipe named BASE.mid stays a pipe")
    func midiFIFO() throws {
        let (studio, take) = try take()
        let midi = studio.directory.path("song.mid")
        try FileSystemTraps.fifo(midi)
        let error = exportError(studio, take.id, to: studio.directory.path("song.flac"))
        #expect(error == AppError(.fileError, "cannot write \(midi): it is a named pipe (FIFO), not a regular file"))
        #expect(FileSystemTraps.kind(midi) == "fifo")
    }

    @Test("a dangling link and a file where a folder should be are named, not dumped as NSErrors")
    func namedReasons() throws {
        let (studio, take) = try take()
        let link = studio.directory.path("link.flac")
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: studio.directory.path("nowhere/x.flac"))
        #expect(exportError(studio, take.id, to: link)
                == AppError(.fileError, "cannot write \(link): it is a symbolic link to \(studio.directory.path("nowhere/x.flac")), which does not exist"))
        let blocker = studio.directory.path("exports")
        try Data("x".utf8).write(to: URL(fileURLWithPath: blocker))
        let inside = blocker + "/song.flac"
        #expect(exportError(studio, take.id, to: inside) == AppError(.fileError, "cannot write \(inside): \(blocker) is a file, not a folder"))
    }

    @Test("an empty name is bad input, not the current folder")
    func emptyName() throws {
        let (studio, take) = try take()
        #expect(exportError(studio, take.id, to: "")?.kind == .badInput)
    }
}
