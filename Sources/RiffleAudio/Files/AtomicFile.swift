import Foundation

/// Writes a file under a temporary name beside its destination and renames it into place, so a crash
/// or a failed write never leaves a partial file under the final name.
enum AtomicFile {
    /// Calls `write` with a temporary path in the destination's directory, then flushes the file to disk
    /// and renames it to `path`. On any failure the temporary file is removed and the destination is untouched.
    static func write(to path: String, _ write: (String) throws(AudioFileError) -> Void) throws(AudioFileError) {
        let destination = URL(fileURLWithPath: path)
        let directory = destination.deletingLastPathComponent()
        do {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        } catch {
            throw failure(path, writing: directory.path, "cannot create \(directory.path): \(error.localizedDescription)")
        }
        // A dot-name that says what it is: anything left by a crash is recognisable and never a take.
        let temporary = directory.appendingPathComponent(
            ".\(destination.lastPathComponent).partial-\(getpid())-\(UInt32.random(in: 0...UInt32.max))").path
        do throws(AudioFileError) {
            try write(temporary)
            try flushToDisk(temporary, path: path)
            guard rename(temporary, path) == 0 else {
                throw failure(path, writing: temporary, "rename failed: \(String(cString: strerror(errno)))")
            }
        } catch {
            unlink(temporary)
            throw error
        }
        // Make the rename itself durable; failing here loses nothing, so it is not an error.
        let directoryHandle = open(directory.path, O_RDONLY)
        if directoryHandle >= 0 {
            fsync(directoryHandle)
            close(directoryHandle)
        }
    }

    /// A failed write of `path`, named by its cause when the file system knows it (a full device, a
    /// read-only folder: asked while the partial file at `written` still holds its room), else by `detail`.
    static func failure(_ path: String, writing written: String, _ detail: String) -> AudioFileError {
        let folder = URL(fileURLWithPath: path).deletingLastPathComponent().path
        let cause = StorageProblem.at(written).map { "\($0.describe(folder)) (\(detail))" }
        return AudioFileError(path: path, reason: .writeFailed(detail: cause ?? detail))
    }

    private static func flushToDisk(_ temporary: String, path: String) throws(AudioFileError) {
        let handle = open(temporary, O_RDONLY)
        guard handle >= 0 else {
            throw failure(path, writing: temporary, "cannot reopen the written file: \(String(cString: strerror(errno)))")
        }
        defer { close(handle) }
        guard fsync(handle) == 0 else {
            throw failure(path, writing: temporary, "fsync failed: \(String(cString: strerror(errno)))")
        }
    }
}
