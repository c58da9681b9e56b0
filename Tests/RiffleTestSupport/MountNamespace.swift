import Foundation

/// Runs `script` under `sh -e` in a mount namespace of its own (`unshare --user --map-root-user
/// --mount`), where it may mount a small tmpfs (a disk that fills up) or remount a folder read-only
/// without touching the machine's mounts, and without privileges where user namespaces are allowed.
/// The mounts go when the script ends; what it writes outside them stays.
public func runInMountNamespace(_ script: String) throws -> ProcessResult {
    try runProcess(URL(fileURLWithPath: "/usr/bin/unshare"), ["--user", "--map-root-user", "--mount", "/bin/sh", "-ec", script])
}

/// Whether this machine lets a test mount a tmpfs in a namespace of its own (see ``runInMountNamespace(_:)``).
public let mountNamespacesWork: Bool = {
    guard FileManager.default.isExecutableFile(atPath: "/usr/bin/unshare") else { return false }
    let probe = try? runInMountNamespace("""
        d=$(mktemp -d)
        mount -t tmpfs -o size=64k tmpfs "$d" && mount -o remount,ro "$d" && umount "$d" && rmdir "$d"
        """)
    return probe?.status == 0
}()

/// A POSIX shell word for `text`: single-quoted, with its own quotes escaped.
public func shellQuoted(_ text: String) -> String {
    "'" + text.replacingOccurrences(of: "'", with: #"'\''"#) + "'"
}
