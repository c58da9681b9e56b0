import Foundation

/// Why a file or folder cannot be written: `cannot write PATH: reason`.
public struct FileTargetError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The file or folder that was to be written.
    public var path: String
    /// Why not, in the system's words where it has them ("Permission denied", "No space left on device").
    public var reason: String

    public init(path: String, reason: String) {
        self.path = path
        self.reason = reason
    }

    public var description: String { "cannot write \(path): \(reason)" }

    /// This error as the reason `path`, a file or folder inside this one, cannot be written.
    public func about(_ path: String) -> FileTargetError {
        guard path != self.path else { return self }
        // "it is a file, not a folder" becomes "/tmp/x is a file, not a folder".
        let reason = reason.hasPrefix("it ") ? self.path + reason.dropFirst(2) : "\(self.path): \(reason)"
        return FileTargetError(path: path, reason: reason)
    }
}

/// Checks and prepares the places Riffle writes to, with reasons a user can act on.
///
/// Riffle writes a file by renaming a finished temporary file over its name, which would silently
/// replace a device node, a FIFO or a symbolic link with a regular file; so a file's name must be
/// free, or a regular file, or a symbolic link to one (which is then written through, as `cp`
/// does). Failures carry `strerror`'s words rather than Foundation's error dumps.
public enum FileTarget {
    /// The path to write for a file named `path`: `path` itself, or the regular file a symbolic link
    /// there points to. Throws when `path` names a directory, a device, a FIFO, a socket or a link
    /// to nothing.
    public static func regularFile(_ path: String) throws(FileTargetError) -> String {
        guard !path.isEmpty else { throw FileTargetError(path: "\"\"", reason: "the name is empty") }
        var link = stat()
        guard lstat(path, &link) == 0 else {
            if errno == ENOENT || errno == ENOTDIR { return path }
            throw FileTargetError(path: path, reason: systemReason())
        }
        var target = link
        if link.st_mode & S_IFMT == S_IFLNK {
            guard stat(path, &target) == 0 else {
                if errno == ENOENT { throw FileTargetError(path: path, reason: "it is a symbolic link to \(linkText(path)), which does not exist") }
                throw FileTargetError(path: path, reason: systemReason())
            }
        }
        if let kind = kind(target.st_mode) {
            throw FileTargetError(path: path, reason: "it is \(kind), not a regular file")
        }
        if link.st_mode & S_IFMT == S_IFLNK, let resolved = realpath(path, nil) {
            defer { free(resolved) }
            return String(cString: resolved)
        }
        return path
    }

    /// Makes `path` a folder, with any folders above it that are missing (as `mkdir -p`).
    ///
    /// - Throws: an error whose `path` is the part of `path` that failed (`/a` when `/a` is a file
    ///   and `/a/b/c` was asked for); ``FileTargetError/about(_:)`` says it of `path`.
    public static func makeFolder(_ path: String) throws(FileTargetError) {
        guard !path.isEmpty else { throw FileTargetError(path: "\"\"", reason: "the name is empty") }
        var info = stat()
        if stat(path, &info) == 0 {
            if info.st_mode & S_IFMT == S_IFDIR { return }
            throw FileTargetError(path: path, reason: "it is \(kind(info.st_mode) ?? "a file"), not a folder")
        }
        guard errno == ENOENT || errno == ENOTDIR else { throw FileTargetError(path: path, reason: systemReason()) }
        var link = stat()
        if lstat(path, &link) == 0, link.st_mode & S_IFMT == S_IFLNK {
            throw FileTargetError(path: path, reason: "it is a symbolic link to \(linkText(path)), which does not exist")
        }
        let parent = (path as NSString).deletingLastPathComponent
        if !parent.isEmpty, parent != path { try makeFolder(parent) }
        if mkdir(path, 0o777) != 0, errno != EEXIST {
            throw FileTargetError(path: path, reason: systemReason())
        }
    }

    /// Checks, without creating anything, that a folder could be made or written at `path`: the
    /// nearest part of it that exists is a folder this process may write into, and no part is a
    /// file or a link to nothing. For checking an output folder before a long job, not after it.
    public static func checkFolder(_ path: String) throws(FileTargetError) {
        guard !path.isEmpty else { throw FileTargetError(path: "\"\"", reason: "the name is empty") }
        var current = path
        while true {
            var info = stat()
            if stat(current, &info) == 0 {
                guard info.st_mode & S_IFMT == S_IFDIR else {
                    throw FileTargetError(path: current, reason: "it is \(kind(info.st_mode) ?? "a file"), not a folder").about(path)
                }
                guard access(current, W_OK | X_OK) == 0 else {
                    throw FileTargetError(path: current, reason: systemReason()).about(path)
                }
                return
            }
            // Not there, or a file above it: look further up, where the reason is.
            guard errno == ENOENT || errno == ENOTDIR else { throw FileTargetError(path: current, reason: systemReason()).about(path) }
            var link = stat()
            if lstat(current, &link) == 0, link.st_mode & S_IFMT == S_IFLNK {
                throw FileTargetError(path: current, reason: "it is a symbolic link to \(linkText(current)), which does not exist").about(path)
            }
            let parent = (current as NSString).deletingLastPathComponent
            current = parent.isEmpty ? "." : parent
        }
    }

    /// The system's words for an error from Foundation's file calls ("No such file or directory"),
    /// instead of an NSError dump.
    public static func reason(of error: any Error) -> String {
        let error = error as NSError
        if error.domain == NSPOSIXErrorDomain { return String(cString: strerror(Int32(error.code))) }
        if let underlying = error.userInfo[NSUnderlyingErrorKey] as? NSError, underlying.domain == NSPOSIXErrorDomain {
            return String(cString: strerror(Int32(underlying.code)))
        }
        return error.localizedDescription
    }

    /// "a directory", "a character device", ...; `nil` for a regular file.
    private static func kind(_ mode: mode_t) -> String? {
        switch mode & S_IFMT {
        case S_IFREG: nil
        case S_IFDIR: "a directory"
        case S_IFCHR: "a character device"
        case S_IFBLK: "a block device"
        case S_IFIFO: "a named pipe (FIFO)"
        case S_IFSOCK: "a socket"
        default: "an unusual kind of file"
        }
    }

    private static func linkText(_ path: String) -> String {
        (try? FileManager.default.destinationOfSymbolicLink(atPath: path)) ?? "a missing file"
    }

    private static func systemReason() -> String {
        String(cString: strerror(errno))
    }
}
