import Foundation

/// Places a write can fail, made for a test: a folder that cannot be written, a full file system.
///
/// Each returns a closure that undoes it (call it in `defer`), or `nil` when this machine cannot make
/// it, so the test can skip that case and say so.
public enum FileSystemTraps {
    /// Makes `folder` impossible to write into: `chmod 555` for an ordinary user; for root, who
    /// ignores permissions, the immutable attribute (`chattr +i`, on file systems that have it).
    public static func readOnly(_ folder: String) -> (() -> Void)? {
        if getuid() != 0 {
            guard chmod(folder, 0o555) == 0 else { return nil }
            return { chmod(folder, 0o755) }
        }
        guard toolIsInstalled("chattr"), (try? runTool("chattr", ["+i", folder]).status) == 0 else { return nil }
        return { _ = try? runTool("chattr", ["-i", folder]) }
    }

    /// Mounts a 64 KiB tmpfs on the empty folder `folder`, so writing more than that into it fails with
    /// "No space left on device". Needs root (and a container that lets root mount).
    public static func fullFileSystem(at folder: String) -> (() -> Void)? {
        guard getuid() == 0, (try? runTool("mount", ["-t", "tmpfs", "-o", "size=64k", "tmpfs", folder]).status) == 0 else { return nil }
        return { _ = try? runTool("umount", [folder]) }
    }

    /// A named pipe at `path`.
    public static func fifo(_ path: String) throws {
        guard mkfifo(path, 0o644) == 0 else { throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: path]) }
    }

    /// The kind of thing at `path` without following a link: "file", "folder", "fifo", "device", "link", or `nil`.
    public static func kind(_ path: String) -> String? {
        var info = stat()
        guard lstat(path, &info) == 0 else { return nil }
        switch info.st_mode & S_IFMT {
        case S_IFREG: return "file"
        case S_IFDIR: return "folder"
        case S_IFIFO: return "fifo"
        case S_IFCHR, S_IFBLK: return "device"
        case S_IFLNK: return "link"
        default: return "other"
        }
    }
}
