import Foundation
import GRDB
import RiffleAudio
import RiffleCore

/// Opening a library: read-write with crash recovery, or read-only when it cannot be written; and
/// naming the file system's part when either fails.
extension Library {
    /// Opens the library for a command that only reads (list, show, play, export): read-write when
    /// it can, so crash recovery still runs, else read-only when the library cannot be written (a
    /// read-only mount or folder, a full disk). Fails as ``init(directory:access:)`` does when neither works.
    public static func openForReading(directory: URL) throws(Failure) -> Library {
        do {
            return try Library(directory: directory)
        } catch {
            guard error.problem != nil, FileManager.default.fileExists(atPath: directory.appendingPathComponent("riffle.sqlite").path) else {
                throw error
            }
            do { return try Library(directory: directory, access: .readOnly) } catch let readOnly { throw readOnly.problem == nil ? readOnly : error }
        }
    }

    /// The database, created or brought up to date, after recovering from any crash.
    static func openForWriting(_ directory: URL) throws(Failure) -> DatabasePool {
        let file = directory.appendingPathComponent("riffle.sqlite").path
        do {
            try FileManager.default.createDirectory(at: directory.appendingPathComponent("takes"), withIntermediateDirectories: true)
            var configuration = Configuration()
            configuration.foreignKeysEnabled = true
            configuration.busyMode = .timeout(5)
            configuration.prepareDatabase { db in
                try db.execute(sql: "PRAGMA synchronous = FULL")
            }
            // A pool: WAL mode, one writer and concurrent readers.
            let database = try DatabasePool(path: file, configuration: configuration)
            try Schema.migrator.migrate(database)
            try recover(database, takes: directory.appendingPathComponent("takes"))
            return database
        } catch {
            throw failure(error, "cannot open the library \(file)", directory: directory)
        }
    }

    /// The database opened read-only; it must be at the latest schema, since it cannot be migrated.
    ///
    /// A WAL database is read through its shared-memory index, which SQLite cannot create in a
    /// read-only folder nor grow on a full disk; then it is opened `immutable` (SQLite's URI
    /// parameter for media that cannot change), which reads the database file alone, without locks:
    /// what the last checkpoint wrote, which is everything when no other Riffle is writing.
    static func openReadOnly(_ directory: URL) throws(Failure) -> DatabaseQueue {
        let file = directory.appendingPathComponent("riffle.sqlite").path
        var configuration = Configuration()
        configuration.readonly = true
        configuration.busyMode = .timeout(5)
        func open(_ path: String) throws -> DatabaseQueue {
            let database = try DatabaseQueue(path: path, configuration: configuration)
            guard try database.read({ try Schema.migrator.hasCompletedMigrations($0) }) else {
                throw Failure(description: "the library at \(directory.path) was made by an older Riffle and cannot be "
                              + "brought up to date while it is read-only")
            }
            return database
        }
        do {
            guard FileManager.default.fileExists(atPath: file) else { throw Failure(description: "no library at \(directory.path)") }
            do {
                return try open(file)
            } catch let original as DatabaseError {
                let escaped = file.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed) ?? file
                do { return try open("file:\(escaped)?immutable=1") } catch { throw original }
            }
        } catch {
            throw failure(error, "cannot open the library \(file)", directory: directory)
        }
    }

    /// Marks interrupted the jobs whose process is gone, and removes the files their writers left
    /// half-written: in one write transaction, so no other Riffle can claim a job (and start writing
    /// into its folder) between the decision and the clean-up. A job whose owner is alive is left
    /// alone, files and all.
    static func recover(_ database: some DatabaseWriter, takes: URL) throws {
        try database.write { db in
            let unfinished = try JobRecord.filter([JobStatus.pending.rawValue, JobStatus.processing.rawValue]
                .contains(Column("status"))).fetchAll(db)
            var running: Set<String> = []
            for var job in unfinished {
                if isRunning(job.ownerPID) {
                    running.insert(job.id)
                    continue
                }
                job.status = .interrupted
                job.error = "interrupted: Riffle stopped before the job finished"
                job.finishedAt = Date()
                try job.update(db)
            }
            removeUnfinishedFiles(in: takes, sparing: running)
        }
    }

    /// Whether process `pid` is alive (this one counts).
    static func isRunning(_ pid: Int32?) -> Bool {
        guard let pid, pid > 0 else { return false }
        return kill(pid, 0) == 0 || errno == EPERM
    }

    /// Removes files a crash left half-written: the writers' temporary files (`.NAME.partial-PID…`),
    /// which no take ever points at, outside the folders of `running` jobs and unless the process
    /// that writes them (the PID in the name) is alive: a live stems job writes into the folder of
    /// the finished job whose take it splits.
    static func removeUnfinishedFiles(in folder: URL, sparing running: Set<String>) {
        guard let files = FileManager.default.enumerator(at: folder, includingPropertiesForKeys: nil) else { return }
        let depth = folder.standardizedFileURL.pathComponents.count
        for case let file as URL in files {
            let name = file.lastPathComponent
            guard name.hasPrefix("."), let marker = name.range(of: ".partial-") else { continue }
            let components = file.standardizedFileURL.pathComponents
            if components.count > depth, running.contains(components[depth]) { continue }
            if let writer = Int32(name[marker.upperBound...].prefix { $0.isNumber }), isRunning(writer) { continue }
            try? FileManager.default.removeItem(at: file)
        }
    }

    /// A job as a read-only library shows it: one left pending or processing by a process that is
    /// gone reads as interrupted, as a writable library would have marked it.
    func presented(_ job: JobRecord) -> JobRecord {
        guard access == .readOnly, !job.status.isFinished, !Self.isRunning(job.ownerPID) else { return job }
        var job = job
        job.status = .interrupted
        job.error = job.error ?? "interrupted: Riffle stopped before the job finished"
        return job
    }

    /// `error` from `what`, as a ``Failure``: when SQLite or the file system failed and the file
    /// system says why (a read-only mount, a full disk), it says that, naming the library.
    static func failure(_ error: any Error, _ what: String, directory: URL) -> Failure {
        if let failure = error as? Failure { return failure }
        // SQLite's errors that a file system can cause, and Foundation's (creating the folders).
        let storage = (error as? DatabaseError).map {
            [.SQLITE_READONLY, .SQLITE_FULL, .SQLITE_IOERR, .SQLITE_CANTOPEN, .SQLITE_PERM].contains($0.resultCode)
        } ?? true
        let file = directory.appendingPathComponent("riffle.sqlite").path
        if storage, let problem = StorageProblem.at(file) ?? StorageProblem.at(directory.path) {
            let cause = switch problem {
            case .readOnly: "the library at \(directory.path) is read-only"
            case .full: problem.describe(directory.path)
            }
            return Failure(description: cause, problem: problem)
        }
        return Failure(description: "\(what): \(error)")
    }
}
