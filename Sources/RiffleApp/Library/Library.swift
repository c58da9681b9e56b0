import Foundation
import GRDB
import RiffleAudio
import RiffleCore

/// The durable record of every job and take: a SQLite database (through GRDB) beside the takes'
/// files, in one directory.
///
/// Crash safety: the database runs in WAL mode with full synchronisation, so a committed row
/// survives a power cut; a take is registered only after its files are completely written (the
/// writers rename finished files into place), so no half-written file is ever a take; and jobs a
/// crash left pending or processing are marked interrupted when the library next opens, with the
/// takes they finished intact (see `LibraryOpening.swift`). A job belongs to the process that
/// claimed it (its `owner_pid`), and no other Riffle marks or cleans up after a job whose owner lives.
public final class Library: Sendable {
    /// How a library is opened.
    public enum Access: Sendable {
        /// Reading and writing: schema migrations and crash clean-up run on opening.
        case readWrite
        /// Reading only, for a library on a read-only mount or a full disk: nothing is written, and
        /// jobs a crash cut off read as interrupted without being marked.
        case readOnly
    }

    /// The directory holding `riffle.sqlite` and the `takes/` folder.
    public let directory: URL
    /// How it was opened: a read-only library refuses every write with a ``Failure``.
    public let access: Access
    /// A pool when read-write (readers run beside the writer, so a server's status polls do not queue
    /// behind a job's writes), a queue when read-only.
    private let database: any DatabaseWriter

    /// What went wrong, naming the library's file or folder, and the file system's part in it.
    public struct Failure: Error, CustomStringConvertible {
        public let description: String
        /// The cause, when it is the file system's: a read-only library, a full disk.
        public var problem: StorageProblem?

        /// A failure described in words; `problem` when the file system is the cause.
        public init(description: String, problem: StorageProblem? = nil) {
            self.description = description
            self.problem = problem
        }
    }

    /// `--library`, else `RIFFLE_LIBRARY`, else `$XDG_DATA_HOME/riffle`, else `~/.local/share/riffle`.
    public static func directory(option: String? = nil, environment: [String: String] = ProcessInfo.processInfo.environment) -> URL {
        if let option, !option.isEmpty { return URL(fileURLWithPath: option) }
        if let path = environment["RIFFLE_LIBRARY"], !path.isEmpty { return URL(fileURLWithPath: path) }
        if let base = environment["XDG_DATA_HOME"], !base.isEmpty { return URL(fileURLWithPath: base).appendingPathComponent("riffle") }
        let home = environment["HOME"] ?? NSHomeDirectory()
        return URL(fileURLWithPath: home).appendingPathComponent(".local/share/riffle")
    }

    /// Opens the library in `directory`. Read-write (the default) creates it if needed, brings its
    /// schema up to date and marks interrupted the jobs a crash left unfinished; read-only needs an
    /// up-to-date library and changes nothing. See ``openForReading(directory:)`` for commands that
    /// only read.
    public init(directory: URL, access: Access = .readWrite) throws(Failure) {
        self.directory = directory
        self.access = access
        database = switch access {
        case .readWrite: try Self.openForWriting(directory)
        case .readOnly: try Self.openReadOnly(directory)
        }
    }

    /// The database file.
    var file: String { directory.appendingPathComponent("riffle.sqlite").path }

    /// The folder for a job's files.
    public func folder(forJob id: String) -> URL {
        directory.appendingPathComponent("takes").appendingPathComponent(id)
    }

    // MARK: Jobs

    public func insert(_ job: JobRecord) throws(Failure) {
        try write { db in try job.insert(db) }
    }

    /// Moves a job to `status`, stamping when it started or finished.
    public func update(job id: String, to status: JobStatus, error message: String? = nil) throws(Failure) {
        try write { db in
            guard var job = try JobRecord.fetchOne(db, key: id) else { return }
            job.status = status
            job.error = message
            // This process is working on it now (a resumed job may have been another's).
            if !status.isFinished { job.ownerPID = getpid() }
            if status == .processing { job.startedAt = Date() }
            if status.isFinished { job.finishedAt = Date() }
            try job.update(db)
        }
    }

    /// Makes this process the owner of job `id`, atomically with deciding that it may: in one write
    /// transaction `decide` sees the job (`nil` when there is none) and its takes as they are, so no
    /// other Riffle can claim the job, or mark it interrupted, in between; unless `decide` throws, the
    /// job becomes pending, owned by this process, its old error cleared. What `decide` throws comes
    /// through as it is; a database failure is a ``Failure``.
    public func claim<T>(job id: String, deciding decide: (JobRecord?, [TakeRecord]) throws -> T) throws -> T {
        do {
            return try database.write { db in
                let job = try JobRecord.fetchOne(db, key: id)
                let value = try decide(job, try TakeRecord.filter(Column("job_id") == id).fetchAll(db))
                if var job {
                    job.status = .pending
                    job.ownerPID = getpid()
                    job.error = nil
                    try job.update(db)
                }
                return value
            }
        } catch let error as DatabaseError {
            throw failure(error, "library write failed")
        }
    }

    public func job(_ id: String) throws(Failure) -> JobRecord? {
        try read { db in try JobRecord.fetchOne(db, key: id).map(presented) }
    }

    /// The newest generation with this cache key (see ``CacheKey``) that completed whole, if any: one
    /// whose takes partly failed (its error says which) is no answer for the whole batch.
    public func completedJob(cacheKey: String) throws(Failure) -> JobRecord? {
        try read { db in
            try JobRecord.filter(Column("cache_key") == cacheKey && Column("kind") == JobRecord.Kind.generate.rawValue
                                 && Column("status") == JobStatus.completed.rawValue && Column("error") == nil)
                .order(Column("created_at").desc).fetchOne(db)
        }
    }

    /// Forgets a job with its takes, and deletes their files and the job's folder.
    public func delete(job id: String) throws(Failure) {
        guard try self.job(id) != nil else { throw Failure(description: "no job \(id)") }
        for take in try takes(ofJob: id) { try delete(take: take.id) }
        try write { db in _ = try JobRecord.deleteOne(db, key: id) }
        try? FileManager.default.removeItem(at: folder(forJob: id))
    }

    /// Every job, newest first; at most `limit` when given.
    public func jobs(limit: Int? = nil) throws(Failure) -> [JobRecord] {
        try read { db in try JobRecord.order(Column("created_at").desc, Column("id").desc).limit(limit ?? -1).fetchAll(db).map(presented) }
    }

    /// How many jobs the library has in each status (for the server's metrics).
    public func jobCounts() throws(Failure) -> [JobStatus: Int] {
        try read { db in
            var counts: [JobStatus: Int] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT status, COUNT(*) AS n FROM job GROUP BY status") {
                if let status = JobStatus(rawValue: row["status"]) { counts[status] = row["n"] }
            }
            return counts
        }
    }

    // MARK: Takes

    /// Registers a finished take with its waveform lanes, in one transaction; its files must already
    /// be complete on disk.
    public func insert(_ take: TakeRecord, waveforms: [WaveformRecord] = []) throws(Failure) {
        try write { db in
            try take.insert(db)
            for lane in waveforms { try lane.insert(db) }
        }
    }

    public func take(_ id: String) throws(Failure) -> TakeRecord? {
        try read { db in try TakeRecord.fetchOne(db, key: id) }
    }

    /// A job's takes, best score first (unscored last), then in batch order.
    public func takes(ofJob id: String) throws(Failure) -> [TakeRecord] {
        try read { db in
            try TakeRecord.filter(Column("job_id") == id)
                .order(Column("score").desc, Column("variation"))
                .fetchAll(db)
        }
    }

    /// Takes of `ids`' jobs, keyed by job, each list best first: one query for a whole jobs pane.
    public func takes(ofJobs ids: [String]) throws(Failure) -> [String: [TakeRecord]] {
        try read { db in
            let takes = try TakeRecord.filter(ids.contains(Column("job_id")))
                .order(Column("score").desc, Column("variation")).fetchAll(db)
            return Dictionary(grouping: takes, by: \.jobID)
        }
    }

    /// A take's waveform lanes, mix first.
    public func waveforms(ofTake id: String) throws(Failure) -> [WaveformRecord] {
        try read { db in try WaveformRecord.filter(Column("take_id") == id).order(Column("lane")).fetchAll(db) }
    }

    /// Records a take's waveform lanes (replacing any it had): for takes stored before the library
    /// kept them, and after stems are made.
    public func setWaveforms(take id: String, _ lanes: [WaveformRecord]) throws(Failure) {
        try write { db in
            _ = try WaveformRecord.filter(Column("take_id") == id).deleteAll(db)
            for lane in lanes { try lane.insert(db) }
        }
    }

    /// Records the stems written for a take after it was made (stem name to file), with their lanes.
    public func setStems(take id: String, paths: [String: String], waveforms: [WaveformRecord]) throws(Failure) {
        try write { db in
            guard var take = try TakeRecord.fetchOne(db, key: id) else { throw Failure(description: "no take \(id)") }
            take.stems = paths
            try take.update(db)
            _ = try WaveformRecord.filter(Column("take_id") == id).deleteAll(db)
            for lane in waveforms { try lane.insert(db) }
        }
    }

    /// Gives a take 1 to 5 stars.
    public func rate(take id: String, stars: Int) throws(Failure) {
        guard (1...5).contains(stars) else { throw Failure(description: "rating: \(stars) is out of range (allowed: 1 to 5)") }
        try change(take: id) { $0.rating = stars }
    }

    /// Marks a take as the pick of its batch (and no other take of that batch).
    public func pick(take id: String) throws(Failure) {
        try write { db in
            guard let take = try TakeRecord.fetchOne(db, key: id) else { throw Failure(description: "no take \(id)") }
            try db.execute(sql: "UPDATE take SET picked = (id = ?) WHERE job_id = ?", arguments: [id, take.jobID])
        }
    }

    /// Forgets a take and deletes its files, its stems' folder with them.
    public func delete(take id: String) throws(Failure) {
        guard let take = try self.take(id) else { throw Failure(description: "no take \(id)") }
        try write { db in _ = try TakeRecord.deleteOne(db, key: id) }
        for path in [take.audioPath, take.midiPath].compactMap({ $0 }) + (take.stems.map { Array($0.values) } ?? []) {
            try? FileManager.default.removeItem(atPath: path)
        }
        try? FileManager.default.removeItem(at: take.stemsFolder)
    }

    private func change(take id: String, _ edit: (inout TakeRecord) -> Void) throws(Failure) {
        try write { db in
            guard var take = try TakeRecord.fetchOne(db, key: id) else { throw Failure(description: "no take \(id)") }
            edit(&take)
            try take.update(db)
        }
    }

    // MARK: Access

    /// Runs `body` in a read transaction; internal so the library's extensions in other files read the same way.
    func read<T>(_ body: (Database) throws -> T) throws(Failure) -> T {
        do {
            return try database.read(body)
        } catch {
            throw failure(error, "library read failed")
        }
    }

    /// Runs `body` in one write transaction; what it throws rolls the transaction back.
    func write<T>(_ body: (Database) throws -> T) throws(Failure) -> T {
        do {
            return try database.write(body)
        } catch {
            throw failure(error, "library write failed")
        }
    }

    /// `error` as a ``Failure``: one already is; one the file system caused names that cause.
    func failure(_ error: any Error, _ what: String) -> Failure {
        if let failure = error as? Failure { return failure }
        return Self.failure(error, what, directory: directory)
    }
}
