import Foundation
import RiffleAudio
import RiffleTestSupport
import Testing

/// The `riffle` binary beside this test bundle in the build folder.
private let riffle = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("riffle")
private let soundFontInstalled = FileManager.default.fileExists(atPath: "/usr/share/sounds/sf2/FluidR3_GM.sf2")

private func run(_ arguments: [String]) throws -> ProcessResult {
    try runProcess(riffle, arguments)
}

private func json(_ text: String) throws -> Any {
    try JSONSerialization.jsonObject(with: Data(text.utf8))
}

/// Files a writer left half-done under `folder`.
private func partialFiles(under folder: String) -> [String] {
    (FileManager.default.enumerator(atPath: folder)?.compactMap { $0 as? String } ?? []).filter { $0.contains(".partial-") }
}

@Suite("Two Riffles on one library", .enabled(if: soundFontInstalled, "needs fluid-soundfont-gm"))
struct SharedLibraryTests {
    @Test("two `resume J` at once: one runs the job, the other is refused; the job ends complete with every take")
    func twoResumes() throws {
        let temporary = try TemporaryDirectory()
        let library = ["--library", temporary.path("library")]
        let made = try run(["generate", "folk song", "--duration", "6", "--variations", "4", "--seed", "40", "--json"] + library)
        #expect(made.status == 0, "\(made.errors)")
        let job = try #require((try json(made.output) as? [String: Any])?["job_id"] as? String)
        // Three takes gone: the job is missing them, as one whose takes failed is.
        for take in 2...4 { #expect(try run(["delete", "\(job)-\(take)"] + library).status == 0) }

        let resumes = (0..<2).map { _ in
            let process = Process()
            process.executableURL = riffle
            process.arguments = ["resume", job] + library
            process.standardOutput = Pipe()
            process.standardError = Pipe()
            return process
        }
        for process in resumes { try process.run() }
        let outcomes = resumes.map { process in
            let errors = (process.standardError as? Pipe)?.fileHandleForReading.readDataToEndOfFile() ?? Data()
            _ = (process.standardOutput as? Pipe)?.fileHandleForReading.readDataToEndOfFile()
            process.waitUntilExit()
            return (status: process.terminationStatus, errors: String(decoding: errors, as: UTF8.self))
        }
        #expect(outcomes.map(\.status).sorted() == [0, 2], "\(outcomes)")
        let refused = try #require(outcomes.first { $0.status == 2 })
        #expect(refused.errors.contains("is being resumed by another Riffle (pid") || refused.errors.contains("is completed"),
                "\(refused.errors)")

        let shown = try #require(try json(try run(["show", job, "--json"] + library).output) as? [String: Any])
        let record = try #require(shown["job"] as? [String: Any])
        #expect(record["status"] as? String == "completed" && record["error"] == nil, "\(record)")
        let takes = try #require(shown["takes"] as? [[String: Any]])
        #expect(Set(takes.compactMap { $0["seed"] as? Int }) == Set(40..<44))
        for take in takes {
            #expect(abs(try AudioFileReader.read(try #require(take["path"] as? String)).duration - 6) < 0.001)
        }
        #expect(partialFiles(under: temporary.path("library")).isEmpty)
    }
}
