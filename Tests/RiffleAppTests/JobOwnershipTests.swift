import Foundation
import GRDB
@testable import RiffleApp
import RiffleCore
import RiffleEngine
import RiffleTestSupport
import Testing

/// Another process that stays alive while a test needs it: another Riffle, as far as a job's owner goes.
private final class LiveProcess {
    let process = Process()
    var pid: Int32 { process.processIdentifier }

    init() throws {
        process.executableURL = URL(fileURLWithPath: "/bin/sleep")
        process.arguments = ["60"]
        try process.run()
    }

    deinit {
        // SIGKILL: the test runner blocks most signals and a child inherits the mask, so SIGTERM would wait.
        kill(pid, SIGKILL)
        process.waitUntilExit()
    }
}


/// Sets a job's row as another Riffle would have left it, through a connection of its own.
private func setJob(_ id: String, status: JobStatus, owner: Int32, in library: Library) throws {
    try DatabaseQueue(path: library.directory.appendingPathComponent("riffle.sqlite").path).write { db in
        try db.execute(sql: "UPDATE job SET status = ?, owner_pid = ? WHERE id = ?", arguments: [status.rawValue, owner, id])
    }
}

/// A writer's temporary file in `folder`, as AtomicFile names it.
@discardableResult
private func partialFile(_ name: String, writer: Int32, in folder: URL) throws -> URL {
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    let file = folder.appendingPathComponent(".\(name).partial-\(writer)-12345")
    try Data("half a take".utf8).write(to: file)
    return file
}

@Suite("A job belongs to the process that claimed it")
struct JobOwnershipTests {
    @Test("opening the library leaves a live process's job and its half-written files alone, and clears a dead one's")
    func openingSparesLiveJobs() throws {
        let studio = try Studio(FakeEngine(behaviour: .fail("out of memory", seeds: [8])))
        let other = try LiveProcess()
        let crashed = try deadProcess()
        let resuming = try studio.generated(request(seed: 7, takes: 2))
        let cutOff = try studio.generated(request(seed: 20, takes: 1))
        let finished = try studio.generated(request(seed: 30, takes: 1))
        // Another Riffle has just claimed `resuming` (pending, not yet processing) and is writing its take;
        // `cutOff`'s process died mid-write; a live stems job writes into `finished`'s folder.
        try setJob(resuming.id, status: .pending, owner: other.pid, in: studio.library)
        try setJob(cutOff.id, status: .processing, owner: crashed, in: studio.library)
        let live = try partialFile("take-2.flac", writer: other.pid, in: studio.library.folder(forJob: resuming.id))
        let stems = try partialFile("bass.flac", writer: other.pid,
                                    in: studio.library.folder(forJob: finished.id).appendingPathComponent("take-1-stems"))
        let dead = try partialFile("take-1.flac", writer: crashed, in: studio.library.folder(forJob: cutOff.id))

        let reopened = try Library(directory: studio.library.directory)
        #expect(try reopened.job(resuming.id)?.status == .pending, "its owner is alive")
        #expect(try reopened.job(resuming.id)?.ownerPID == other.pid)
        #expect(FileManager.default.fileExists(atPath: live.path), "a live job's file being written is not touched")
        #expect(FileManager.default.fileExists(atPath: stems.path), "nor is a live writer's file in a finished job's folder")
        #expect(try reopened.job(cutOff.id)?.status == .interrupted)
        #expect(!FileManager.default.fileExists(atPath: dead.path), "a dead writer's file is cleared")
    }

    @Test("a job another live Riffle is resuming is not run here too: the refusal names its pid")
    func liveOwnerRefuses() throws {
        let engine = FakeEngine(behaviour: .fail("out of memory", seeds: [8]))
        let studio = try Studio(engine)
        let partial = try studio.generated(request(seed: 7, takes: 2))
        let other = try LiveProcess()
        try setJob(partial.id, status: .processing, owner: other.pid, in: studio.library)
        engine.behaviour = .succeed
        let calls = engine.generateCount

        let refusal = try #require(throws: AppError.self) { try studio.service.resume(partial.id) }
        #expect(refusal.kind == .conflict)
        #expect(refusal.description == "job \(partial.id) is being resumed by another Riffle (pid \(other.pid))")
        #expect(engine.generateCount == calls, "nothing ran")
        #expect(try studio.library.job(partial.id)?.ownerPID == other.pid, "the owner is unchanged")
    }

    @Test("a job whose process died after this library opened can be resumed at once, and becomes this process's")
    func deadOwnerResumes() throws {
        let engine = FakeEngine(behaviour: .fail("out of memory", seeds: [8]))
        let studio = try Studio(engine)
        let partial = try studio.generated(request(seed: 7, takes: 2))
        try setJob(partial.id, status: .processing, owner: try deadProcess(), in: studio.library)
        engine.behaviour = .block()

        _ = try studio.service.resume(partial.id)
        let claimed = try #require(try studio.library.job(partial.id))
        #expect(!claimed.status.isFinished && claimed.ownerPID == getpid(), "claimed by this process when resume returns")
        engine.behaviour = .succeed
        try studio.service.cancel(partial.id)
        _ = try studio.finished(partial.id)
        let finished = try studio.finished(try studio.service.resume(partial.id).jobID)
        #expect(finished.status == .completed && finished.error == nil)
        #expect(try studio.takes(partial.id).map(\.seed) == [7, 8])
    }

    @Test("takes that cannot be written are a file error naming the file; the job keeps the rest and stays resumable")
    func storageFailures() throws {
        let engine = FakeEngine(behaviour: .fail("out of memory", seeds: [8, 9]))
        let studio = try Studio(engine)
        let partial = try studio.generated(request(seed: 7, takes: 3))
        #expect(studio.service.storageFailure(of: partial.id) == nil, "the engine failing is not a file problem")
        engine.behaviour = .succeed
        // Something in the way of takes 2 and 3: a folder where each file must go.
        let folder = studio.library.folder(forJob: partial.id)
        let blocked = ["take-2.flac", "take-3.flac"].map { folder.appendingPathComponent($0) }
        for path in blocked { try FileManager.default.createDirectory(at: path, withIntermediateDirectories: true) }

        let job = try studio.finished(try studio.service.resume(partial.id).jobID)
        #expect(job.status == .failed && job.error?.contains("take 2:") == true && job.error?.contains("take 3:") == true,
                "\(String(describing: job.error))")
        let failure = try #require(studio.service.storageFailure(of: partial.id))
        #expect(failure.kind == .fileError)
        #expect(failure.description.contains(blocked[0].path) && failure.description.contains("it is a directory"), "\(failure)")
        #expect(try studio.takes(partial.id).map(\.seed) == [7])
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.contains(".partial-") }.isEmpty)
        #expect(try studio.library.completedJob(cacheKey: try #require(job.cacheKey)) == nil, "a partial batch is no cache answer")

        for path in blocked { try FileManager.default.removeItem(at: path) }
        let resumed = try studio.finished(try studio.service.resume(partial.id).jobID)
        #expect(resumed.status == .completed && resumed.error == nil)
        #expect(try studio.takes(partial.id).map(\.seed) == [7, 8, 9])
        #expect(studio.service.storageFailure(of: partial.id) == nil, "the last run wrote everything")
    }
}
