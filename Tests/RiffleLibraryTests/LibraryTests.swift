import Foundation
import GRDB
@testable import RiffleLibrary
import RiffleTestSupport
import Testing

private func job(_ id: String, status: JobRecord.Status = .completed, owner: Int32? = getpid()) -> JobRecord {
    JobRecord(id: id, kind: .generate, status: status, prompt: "dusty lo-fi", request: #"{"prompt":"dusty lo-fi","seed":7}"#,
              engine: "composer 1", createdAt: Date(timeIntervalSince1970: 1_800_000_000), ownerPID: owner)
}

/// The id of a process that has exited.
private func deadProcess() throws -> Int32 {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/bin/true")
    try process.run()
    process.waitUntilExit()
    return process.processIdentifier
}

private func take(_ id: String, job: String, variation: Int, score: Double?, in directory: URL) throws -> TakeRecord {
    let audio = directory.appendingPathComponent("\(id).flac").path
    let midi = directory.appendingPathComponent("\(id).mid").path
    try Data("audio".utf8).write(to: URL(fileURLWithPath: audio))
    try Data("MThd".utf8).write(to: URL(fileURLWithPath: midi))
    return TakeRecord(id: id, jobID: job, variation: variation, seed: 7 + Int64(variation), duration: 30, sampleRate: 44100,
                      format: "flac", audioPath: audio, midiPath: midi, stems: nil, interpretation: #"{"genre":"lo-fi"}"#,
                      engineState: Data([1, 2, 3]), loudness: -14, truePeak: -1.3, score: score, inferenceSeconds: 0.5,
                      createdAt: Date(timeIntervalSince1970: 1_800_000_000))
}

@Suite("The library: jobs and takes that survive restarts and crashes")
struct LibraryTests {
    @Test("a new library creates its database and folders; its schema is at the latest migration")
    func creates() throws {
        let temporary = try TemporaryDirectory()
        let directory = temporary.url.appendingPathComponent("lib")
        _ = try Library(directory: directory)
        #expect(FileManager.default.fileExists(atPath: directory.appendingPathComponent("riffle.sqlite").path))
        #expect(FileManager.default.fileExists(atPath: directory.appendingPathComponent("takes").path))
        let database = try DatabaseQueue(path: directory.appendingPathComponent("riffle.sqlite").path)
        let applied = try database.read { try Schema.migrator.appliedIdentifiers($0) }
        #expect(applied == ["v1: jobs and takes", "v2: the process running a job"])
        #expect(try database.read { try String.fetchOne($0, sql: "PRAGMA journal_mode") } == "wal")
    }

    @Test("jobs and takes round-trip and are there after reopening; a batch lists best score first")
    func roundTrip() throws {
        let temporary = try TemporaryDirectory()
        let library = try Library(directory: temporary.url)
        try library.insert(job("j1"))
        let takes = [try take("t1", job: "j1", variation: 0, score: 0.6, in: temporary.url),
                     try take("t2", job: "j1", variation: 1, score: 0.9, in: temporary.url),
                     try take("t3", job: "j1", variation: 2, score: nil, in: temporary.url)]
        for each in takes { try library.insert(each) }

        let reopened = try Library(directory: temporary.url)
        #expect(try reopened.job("j1") == job("j1"))
        #expect(try reopened.takes(ofJob: "j1").map(\.id) == ["t2", "t1", "t3"])
        #expect(try reopened.take("t1") == takes[0])
        #expect(try reopened.take("nope") == nil)
    }

    @Test("jobs a crash left pending or processing are interrupted on the next start; running and finished ones are not")
    func interrupted() throws {
        let temporary = try TemporaryDirectory()
        let crashed = try deadProcess()
        do {
            let library = try Library(directory: temporary.url)
            try library.insert(job("cut-off", status: .processing, owner: crashed))
            try library.insert(take("kept", job: "cut-off", variation: 0, score: nil, in: temporary.url))
            try library.insert(job("queued", status: .pending, owner: crashed))
            try library.insert(job("running", status: .processing))
            try library.insert(job("done", status: .completed, owner: crashed))
        }
        let library = try Library(directory: temporary.url)
        #expect(try library.job("cut-off")?.status == .interrupted)
        #expect(try library.job("cut-off")?.error?.contains("interrupted") == true)
        #expect(try library.job("queued")?.status == .interrupted)
        #expect(try library.job("running")?.status == .processing, "its process is alive: another Riffle is working on it")
        #expect(try library.job("done")?.status == .completed)
        #expect(try library.takes(ofJob: "cut-off").map(\.id) == ["kept"], "the take it finished is intact")
    }

    @Test("a library made by the first version is migrated on opening and keeps its rows")
    func migratesFromFirstVersion() throws {
        let temporary = try TemporaryDirectory()
        let path = temporary.path("riffle.sqlite")
        do {
            let database = try DatabaseQueue(path: path)
            try Schema.migrator.migrate(database, upTo: "v1: jobs and takes")
            try database.write { db in
                try db.execute(sql: """
                    INSERT INTO job (id, kind, status, prompt, request, engine, created_at)
                    VALUES ('old', 'generate', 'completed', 'from v1', '{}', 'composer 1', '2026-11-01 10:00:00.000')
                    """)
            }
        }
        let library = try Library(directory: temporary.url)
        let old = try #require(try library.job("old"))
        #expect(old.prompt == "from v1" && old.status == .completed && old.ownerPID == nil)
    }

    @Test("status changes stamp when a job started and finished")
    func stamps() throws {
        let temporary = try TemporaryDirectory()
        let library = try Library(directory: temporary.url)
        try library.insert(job("j", status: .pending))
        try library.update(job: "j", to: .processing)
        #expect(try library.job("j")?.startedAt != nil)
        #expect(try library.job("j")?.finishedAt == nil)
        try library.update(job: "j", to: .failed, error: "the SoundFont is missing")
        let failed = try #require(try library.job("j"))
        #expect(failed.status == .failed && failed.error == "the SoundFont is missing" && failed.finishedAt != nil)
    }

    @Test("rating takes 1 to 5 stars and says what is wrong otherwise; one pick per batch")
    func rateAndPick() throws {
        let temporary = try TemporaryDirectory()
        let library = try Library(directory: temporary.url)
        try library.insert(job("j"))
        try library.insert(take("a", job: "j", variation: 0, score: nil, in: temporary.url))
        try library.insert(take("b", job: "j", variation: 1, score: nil, in: temporary.url))
        try library.rate(take: "a", stars: 5)
        #expect(try library.take("a")?.rating == 5)
        for stars in [0, 6] {
            #expect { try library.rate(take: "a", stars: stars) } throws: { "\($0)".contains("rating: \(stars) is out of range (allowed: 1 to 5)") }
        }
        #expect { try library.rate(take: "zzz", stars: 3) } throws: { "\($0)".contains("no take zzz") }
        try library.pick(take: "a")
        try library.pick(take: "b")
        #expect(try library.takes(ofJob: "j").filter(\.picked).map(\.id) == ["b"])
    }

    @Test("deleting a take forgets it and removes its files")
    func delete() throws {
        let temporary = try TemporaryDirectory()
        let library = try Library(directory: temporary.url)
        try library.insert(job("j"))
        let gone = try take("gone", job: "j", variation: 0, score: nil, in: temporary.url)
        try library.insert(gone)
        try library.delete(take: "gone")
        #expect(try library.take("gone") == nil)
        #expect(!FileManager.default.fileExists(atPath: gone.audioPath))
        #expect(!FileManager.default.fileExists(atPath: try #require(gone.midiPath)))
    }

    @Test("where the library lives: --library, then RIFFLE_LIBRARY, then XDG_DATA_HOME, then ~/.local/share")
    func location() {
        let environment = ["RIFFLE_LIBRARY": "/r", "XDG_DATA_HOME": "/x", "HOME": "/h"]
        #expect(Library.directory(option: "/o", environment: environment).path == "/o")
        #expect(Library.directory(environment: environment).path == "/r")
        #expect(Library.directory(environment: ["XDG_DATA_HOME": "/x", "HOME": "/h"]).path == "/x/riffle")
        #expect(Library.directory(environment: ["HOME": "/h"]).path == "/h/.local/share/riffle")
    }
}
