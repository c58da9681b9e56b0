import Foundation

/// Writes a file under a temporary name beside its destination and renames it into place, so a crash
/// or a failed write never leaves a partial file under the final name.
public enum AtomicFile {
    /// Calls `write` with a temporary path in the destination's directory, then flushes the file to disk
    /// and renames it to `path`. On any failure the temporary file is removed and the destination is untouched.
    ///
    /// The destination must be free, a regular file, or a symbolic link to one (written through, the
    /// link kept); a directory, device, FIFO, socket or dangling link is refused, as renaming over it
    /// would replace it (see ``FileTarget``).
    static func write(to path: String, _ write: (String) throws(AudioFileError) -> Void) throws(AudioFileError) {
        let target: String
        do throws(FileTargetError) {
            target = try FileTarget.regularFile(path)
            let folder = (target as NSString).deletingLastPathComponent
            try FileTarget.makeFolder(folder.isEmpty ? "." : folder)
        } catch {
            let folder = (path as NSString).deletingLastPathComponent
            throw failure(path, writing: folder.isEmpty ? "." : folder, error.about(path).reason)
        }
        let destination = URL(fileURLWithPath: target)
        let directory = destination.deletingLastPathComponent()
        // A dot-name that says what it is: anything left by a crash is recognisable and never a take.
        let temporary = directory.appendingPathComponent(
            ".\(destination.lastPathComponent).partial-\(getpid())-\(UInt32.random(in: 0...UInt32.max))").path
        do throws(AudioFileError) {
            try write(temporary)
            try flushToDisk(temporary, path: path)
            guard rename(temporary, target) == 0 else {
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

    /// Copies the file at `source` to `destination` byte for byte, atomically and onto the same kinds
    /// of destination as ``write(to:_:)``. Errors name the file and give the system's reason.
    public static func copy(_ source: String, to destination: String) throws(AudioFileError) {
        let input = open(source, O_RDONLY | O_CLOEXEC)
        guard input >= 0 else {
            throw AudioFileError(path: destination, reason: .writeFailed(detail: "cannot read \(source): \(String(cString: strerror(errno)))"))
        }
        defer { close(input) }
        try write(to: destination) { (temporary: String) throws(AudioFileError) in
            let output = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
            guard output >= 0 else {
                throw AudioFileError(path: destination, reason: .writeFailed(detail: String(cString: strerror(errno))))
            }
            var failure: String?
            var buffer = [UInt8](repeating: 0, count: 1 << 16)
            copying: while true {
                let count = buffer.withUnsafeMutableBytes { read(input, $0.baseAddress, $0.count) }
                if count < 0, errno == EINTR { continue }
                if count < 0 {
                    failure = "cannot read \(source): \(String(cString: strerror(errno)))"
                    break
                }
                if count == 0 { break }
                var done = 0
                while done < count {
                    let written = buffer.withUnsafeBytes { Glibc.write(output, $0.baseAddress! + done, count - done) }
                    if written < 0, errno == EINTR { continue }
                    if written <= 0 {
                        failure = String(cString: strerror(written < 0 ? errno : ENOSPC))
                        break copying
                    }
                    done += written
                }
            }
            if close(output) != 0, failure == nil { failure = String(cString: strerror(errno)) }
            if let failure { throw Self.failure(destination, writing: temporary, failure) }
        }
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
