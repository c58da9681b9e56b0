import Foundation
import GRDB
import RiffleCore

/// Recovering from a crash when a library opens: only after jobs whose process is gone.
extension Library {
    /// Marks interrupted the jobs whose process is gone, and removes the files their writers left
    /// half-written: in one write transaction, so no other Riffle can claim a job (and start writing
    /// into its folder) between the decision and the clean-up. A job whose owner is alive is left
    /// alone, files and all.
    static func recover(_ database: DatabaseQueue, takes: URL) throws {
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
}
