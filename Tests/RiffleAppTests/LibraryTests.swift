import Foundation
import GRDB
@testable import RiffleApp
import RiffleAudio
import RiffleCore
import RiffleEngine
import RiffleTestSupport
import Testing

private let composer = EngineIdentity(name: "composer", version: "1")

private func job(_ id: String, status: JobStatus = .completed, owner: Int32? = getpid()) -> JobRecord {
    JobRecord(id: id, kind: .generate, status: status, prompt: "dusty lo-fi",
              request: GenerationRequest(prompt: "dusty lo-fi", genre: "lo-fi", seed: 7, guidanceScale: 3),
              engine: composer, model: "/usr/share/sounds/sf2/FluidR3_GM.sf2 (148 MB)", outputs: TakeOutputs(stems: true, midi: true),
              cacheKey: "key-\(id)", createdAt: Date(timeIntervalSince1970: 1_800_000_000), ownerPID: owner)
}

/// What the prompt interpreter makes of a lo-fi prompt: a real, typed interpretation.
private let interpretation = PromptInterpreter(catalog: PresetCatalog.standard())
    .interpret(GenerationRequest(prompt: "dusty lo-fi with rhodes", tempo: 82))


/// A quality-score part as the scorer writes it (its initialiser is the scorer's own).
private func scorePart(_ name: String, _ score: Double) throws -> QualityScore.Part {
    try JSONDecoder().decode(QualityScore.Part.self, from: Data(#"{"name":"\#(name)","score":\#(score),"detail":"-14.0 LUFS"}"#.utf8))
}

private func take(_ id: String, job: String, variation: Int, score: Double?, in directory: URL) throws -> TakeRecord {
    let audio = directory.appendingPathComponent("\(id).flac").path
    let midi = directory.appendingPathComponent("\(id).mid").path
    try Data("audio".utf8).write(to: URL(fileURLWithPath: audio))
    try Data("MThd".utf8).write(to: URL(fileURLWithPath: midi))
    let stemsFolder = directory.appendingPathComponent("\(id)-stems")
    try FileManager.default.createDirectory(at: stemsFolder, withIntermediateDirectories: true)
    let bass = stemsFolder.appendingPathComponent("bass.flac").path
    try Data("bass".utf8).write(to: URL(fileURLWithPath: bass))
    return TakeRecord(id: id, jobID: job, variation: variation, seed: 7 + Int64(variation), duration: 30, sampleRate: 44100,
                      format: "flac", audioPath: audio, midiPath: midi, stems: ["bass": bass], interpretation: interpretation,
                      engineState: Data([1, 2, 3]), loudness: -14, truePeak: -1.3, score: score,
                      scoreParts: try score.map { [try scorePart("loudness", $0)] },
                      sections: [Take.Section(name: "intro", start: 0), Take.Section(name: "verse", start: 7.5)],
                      inferenceSeconds: 0.5, createdAt: Date(timeIntervalSince1970: 1_800_000_000))
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
        #expect(applied == ["v1: jobs and takes", "v2: the process running a job",
                            "v3: typed engine, outputs, cache key, sections and waveforms", "v4: API keys, usage and API jobs",
                            "v5: webhook deliveries"])
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

    @Test("read-only: everything reads and nothing is written; a job cut off reads as interrupted; writes are refused")
    func readOnly() throws {
        let temporary = try TemporaryDirectory()
        let crashed = try deadProcess()
        do {
            let library = try Library(directory: temporary.url)
            try library.insert(job("cut-off", status: .processing, owner: crashed))
            try library.insert(take("kept", job: "cut-off", variation: 0, score: 0.5, in: temporary.url))
        }
        let leftover = temporary.url.appendingPathComponent("takes/cut-off/.take-2.flac.partial-\(crashed)-1")
        try FileManager.default.createDirectory(at: leftover.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data("half".utf8).write(to: leftover)

        let library = try Library(directory: temporary.url, access: .readOnly)
        #expect(library.access == .readOnly)
        #expect(try library.job("cut-off")?.status == .interrupted)
        #expect(try library.jobs().map(\.status) == [.interrupted])
        #expect(try library.takes(ofJob: "cut-off").map(\.id) == ["kept"])
        #expect { try library.rate(take: "kept", stars: 4) } throws: { "\($0)".contains("readonly") }
        var configuration = Configuration()
        configuration.readonly = true
        let raw = try DatabaseQueue(path: temporary.path("riffle.sqlite"), configuration: configuration)
        #expect(try raw.read { try String.fetchOne($0, sql: "SELECT status FROM job") } == "processing", "nothing was marked")
        #expect(try raw.read { try Int.fetchOne($0, sql: "SELECT rating IS NULL FROM take") } == 1)
        #expect(FileManager.default.fileExists(atPath: leftover.path), "nothing was cleaned up")
    }

    @Test("a command that only reads opens a writable library read-write, so crash recovery still runs")
    func openForReading() throws {
        let temporary = try TemporaryDirectory()
        let crashed = try deadProcess()
        do {
            let library = try Library(directory: temporary.url)
            try library.insert(job("cut-off", status: .processing, owner: crashed))
        }
        let library = try Library.openForReading(directory: temporary.url)
        #expect(library.access == .readWrite)
        var configuration = Configuration()
        configuration.readonly = true
        let raw = try DatabaseQueue(path: temporary.path("riffle.sqlite"), configuration: configuration)
        #expect(try raw.read { try String.fetchOne($0, sql: "SELECT status FROM job") } == "interrupted")
    }

    @Test("a library made by an older version is migrated through v3 on opening and keeps its rows",
          arguments: ["v1: jobs and takes", "v2: the process running a job"])
    func migratesFromOlderVersions(from version: String) throws {
        let temporary = try TemporaryDirectory()
        let path = temporary.path("riffle.sqlite")
        let interpretationJSON = String(decoding: try JSONEncoder().encode(interpretation), as: UTF8.self)
        do {
            let database = try DatabaseQueue(path: path)
            try Schema.migrator.migrate(database, upTo: version)
            try database.write { db in
                try db.execute(sql: """
                    INSERT INTO job (id, kind, status, prompt, request, engine, created_at)
                    VALUES ('old', 'generate', 'completed', 'from v1', '{"prompt":"from v1","seed":7,"duration":12}',
                            'composer 1', '2026-11-01 10:00:00.000')
                    """)
                try db.execute(sql: """
                    INSERT INTO take (id, job_id, variation, seed, duration, sample_rate, format, audio_path, stems,
                                      interpretation, loudness, true_peak, score_parts, inference_seconds, created_at)
                    VALUES ('old-1', 'old', 0, 7, 12, 44100, 'flac', '/nowhere/take-1.flac', '{"bass":"/nowhere/bass.flac"}',
                            ?, -14, -1.2, '[{"name":"loudness","score":0.9,"detail":"-14.0 LUFS"}]', 0.5,
                            '2026-11-01 10:00:01.000')
                    """, arguments: [interpretationJSON])
            }
        }
        let library = try Library(directory: temporary.url)
        let old = try #require(try library.job("old"))
        #expect(old.prompt == "from v1" && old.status == .completed && old.ownerPID == nil)
        #expect(old.engine == EngineIdentity(name: "composer", version: "1"), "the engine text became a typed identity")
        #expect(old.request == GenerationRequest(prompt: "from v1", duration: 12, seed: 7))
        #expect(old.outputs == TakeOutputs(stems: false, midi: true))
        #expect(old.model == nil && old.cacheKey == nil)
        let take = try #require(try library.take("old-1"))
        #expect(take.sections == [], "takes made before sections were kept have none")
        #expect(take.interpretation == interpretation)
        #expect(take.stems == ["bass": "/nowhere/bass.flac"])
        #expect(take.scoreParts == [try scorePart("loudness", 0.9)])
        #expect(try library.waveforms(ofTake: "old-1").isEmpty)
        #expect(try library.completedJob(cacheKey: "anything") == nil, "an old job has no cache key, so it never answers a request")
    }

    @Test("a row that does not decode is an error, not a silent nil")
    func undecodableRow() throws {
        let temporary = try TemporaryDirectory()
        let library = try Library(directory: temporary.url)
        try library.insert(job("j"))
        let database = try DatabaseQueue(path: temporary.path("riffle.sqlite"))
        try database.write { db in try db.execute(sql: "UPDATE job SET request = '{\"duration\": \"long\"}' WHERE id = 'j'") }
        #expect(throws: Library.Failure.self) { try library.job("j") }
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
        #expect(!FileManager.default.fileExists(atPath: gone.stemsFolder.path), "the stems go with it")
    }

    @Test("deleting a job forgets it and its takes and removes its folder; an unknown job is an error")
    func deleteJob() throws {
        let temporary = try TemporaryDirectory()
        let library = try Library(directory: temporary.url)
        try library.insert(job("j"))
        try library.insert(job("other"))
        let folder = library.folder(forJob: "j")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let first = try take("j-1", job: "j", variation: 0, score: nil, in: folder)
        try library.insert(first, waveforms: [WaveformRecord(takeID: "j-1", lane: 0, name: "mix", peaks: Data([1]))])
        try library.insert(take("other-1", job: "other", variation: 0, score: nil, in: temporary.url))
        try library.delete(job: "j")
        #expect(try library.job("j") == nil)
        #expect(try library.take("j-1") == nil)
        #expect(try library.waveforms(ofTake: "j-1").isEmpty)
        #expect(!FileManager.default.fileExists(atPath: folder.path))
        #expect(try library.take("other-1") != nil, "another job's take stays")
        #expect(throws: Library.Failure.self) { try library.delete(job: "j") }
    }

    @Test("waveform lanes are stored with a take, mix first, and replaced when stems are recorded")
    func waveformsAndStems() throws {
        let temporary = try TemporaryDirectory()
        let library = try Library(directory: temporary.url)
        try library.insert(job("j"))
        var plain = try take("j-1", job: "j", variation: 0, score: nil, in: temporary.url)
        plain.stems = nil
        try library.insert(plain, waveforms: [WaveformRecord(takeID: "j-1", lane: 0, name: "mix", peaks: Data([9]))])
        #expect(try library.waveforms(ofTake: "j-1").map(\.name) == ["mix"])
        let paths = ["bass": "/s/bass.flac", "drums": "/s/drums.flac"]
        try library.setStems(take: "j-1", paths: paths, waveforms: [
            WaveformRecord(takeID: "j-1", lane: 2, name: "bass", peaks: Data([3])),
            WaveformRecord(takeID: "j-1", lane: 0, name: "mix", peaks: Data([1])),
            WaveformRecord(takeID: "j-1", lane: 1, name: "drums", peaks: Data([2])),
        ])
        #expect(try library.take("j-1")?.stems == paths)
        #expect(try library.take("j-1")?.orderedStemPaths.map(\.name) == ["drums", "bass"], "part order, not name order")
        #expect(try library.waveforms(ofTake: "j-1").map(\.name) == ["mix", "drums", "bass"])
        #expect(try library.waveforms(ofTake: "j-1").map(\.peaks) == [Data([1]), Data([2]), Data([3])])
        #expect(throws: Library.Failure.self) { try library.setStems(take: "nope", paths: [:], waveforms: []) }
    }

    @Test("the cache finds the newest completed generation with the key, and nothing else")
    func completedJobByCacheKey() throws {
        let temporary = try TemporaryDirectory()
        let library = try Library(directory: temporary.url)
        func insert(_ id: String, key: String, status: JobStatus, kind: JobRecord.Kind = .generate, at seconds: Double) throws {
            var record = job(id, status: status)
            record.cacheKey = key
            record.kind = kind
            record.createdAt = Date(timeIntervalSince1970: seconds)
            try library.insert(record)
        }
        try insert("old", key: "k", status: .completed, at: 1_800_000_000)
        try insert("new", key: "k", status: .completed, at: 1_800_000_100)
        try insert("failed", key: "k", status: .failed, at: 1_800_000_200)
        try insert("edit", key: "k", status: .completed, kind: .repaint, at: 1_800_000_300)
        try insert("elsewhere", key: "other", status: .completed, at: 1_800_000_400)
        #expect(try library.completedJob(cacheKey: "k")?.id == "new")
        #expect(try library.completedJob(cacheKey: "missing") == nil)
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
