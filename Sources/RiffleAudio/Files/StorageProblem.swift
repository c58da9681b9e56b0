import Foundation

/// What the file system says stands in the way of writing under a path: a read-only mount or folder,
/// or a full device.
///
/// Asked after a write fails, to name the cause the libraries underneath often do not: libsndfile's
/// Ogg encoder says "Unspecified internal error" on a full disk and its MP3 encoder says nothing at
/// all; SQLite says "disk I/O error" or "database or disk is full".
public enum StorageProblem: Sendable, Hashable {
    /// The mount is read-only, or this process may not write there.
    case readOnly
    /// The device has (next to) no room left.
    case full

    /// Less room than this counts as full: a write that failed for want of room leaves about none,
    /// and anything smaller than a take's file would fail the next write anyway.
    public static let nearlyFull: UInt64 = 1 << 20

    /// The problem with writing at `path` (a file or a folder; when it does not exist yet, the nearest
    /// folder above it that does), or `nil` when the file system sees none.
    public static func at(_ path: String) -> StorageProblem? {
        var url = URL(fileURLWithPath: path)
        while !FileManager.default.fileExists(atPath: url.path), url.pathComponents.count > 1 { url.deleteLastPathComponent() }
        var stats = statvfs()
        guard statvfs(url.path, &stats) == 0 else { return nil }
        if stats.f_flag & UInt(ST_RDONLY) != 0 || access(url.path, W_OK) != 0 { return .readOnly }
        // Blocks reserved for root count for root: its writes fail only when they are gone too.
        let blocks = geteuid() == 0 ? UInt64(stats.f_bfree) : UInt64(stats.f_bavail)
        return blocks * UInt64(stats.f_frsize) < nearlyFull ? .full : nil
    }

    /// The problem in words, naming `path`: "no space left on the device holding PATH", "PATH is read-only".
    public func describe(_ path: String) -> String {
        switch self {
        case .readOnly: "\(path) is read-only"
        case .full: "no space left on the device holding \(path)"
        }
    }
}
