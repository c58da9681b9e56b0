import Foundation

// Installing is staging then one rename: files go into `.partial/<name>/`, are flushed to disk, and the folder
// is renamed to `<name>` only when every one is complete (and, for a download, verified). A crash at any point
// leaves either no model under that name or the whole model; a pull left in `.partial/` is resumed next time.

extension ModelStore {
    /// The staging folder of model `name`.
    func staging(_ name: String) -> URL { partialFolder.appendingPathComponent(name) }

    /// Installs a snapshot folder by copying it: the files `layout` selects (symbolic links followed, so a
    /// Hugging Face cache snapshot works), after `check` accepted the folder (the engine's validation; its
    /// errors come through as they are). The name defaults to the folder's ("musicgen-small" for a hub
    /// cache's `models--facebook--musicgen-small/snapshots/<commit>`).
    public func add(from source: String, name: String? = nil, layout: SnapshotLayout, check: (String) throws -> Void) throws -> InstalledModel {
        let sourceURL = URL(fileURLWithPath: (source as NSString).expandingTildeInPath).standardizedFileURL
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: sourceURL.path, isDirectory: &isDirectory) else {
            throw AppError(.badInput, "\(source): no such folder")
        }
        guard isDirectory.boolValue else { throw AppError(.badInput, "\(source): is a file; a model is a snapshot folder") }
        let name = name ?? Self.defaultName(forFolder: sourceURL)
        try Self.checkName(name)
        try refuseExisting(name)
        try check(sourceURL.path)

        let available = Set(Self.regularFiles(in: sourceURL))
        let selected = try layout.select(available: available, place: source) {
            try SnapshotLayout.shards(inIndex: sourceURL.appendingPathComponent(SnapshotLayout.index).path)
        }
        let sizes = selected.map { ModelStore.fileSize(sourceURL.appendingPathComponent($0).path) }
        try checkRoom(for: sizes.reduce(0, +))

        let lock = try StagingLock(store: self, name: name)
        defer { withExtendedLifetime(lock) {} }
        let staged = staging(name)
        try? FileManager.default.removeItem(at: staged)
        try makeFolder(staged)
        for (file, size) in zip(selected, sizes) {
            let target = staged.appendingPathComponent(file).path
            try Self.copy(sourceURL.appendingPathComponent(file).path, to: target)
            guard ModelStore.fileSize(target) == size else {
                throw AppError(.fileError, "\(sourceURL.appendingPathComponent(file).path): changed while it was copied")
            }
        }
        try ModelSource(folder: sourceURL.path).write(in: staged)
        return try install(staged: staged, as: name)
    }

    /// Renames a complete staging folder to `<models>/<name>`, everything in it flushed first.
    func install(staged: URL, as name: String) throws -> InstalledModel {
        try refuseExisting(name)
        let files = (try? FileManager.default.contentsOfDirectory(atPath: staged.path)) ?? []
        for file in files { Self.flush(staged.appendingPathComponent(file).path) }
        Self.flush(staged.path)
        let target = modelFolder(name)
        guard rename(staged.path, target.path) == 0 else {
            throw AppError(.fileError, "\(target.path): cannot be installed (rename from \(staged.path) failed: \(String(cString: strerror(errno))))")
        }
        Self.flush(folder.path)
        return InstalledModel(name: name, folder: target.path, bytes: Self.bytes(in: target), source: ModelSource.read(in: target))
    }

    /// An error when `name` is taken.
    func refuseExisting(_ name: String) throws {
        let target = modelFolder(name)
        if FileManager.default.fileExists(atPath: target.path) {
            throw AppError(.badInput, "a model named \(name) is already installed (\(target.path)); choose another --name")
        }
    }

    /// Creates `url` and the folders above it.
    func makeFolder(_ url: URL) throws {
        do { try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true) } catch {
            throw AppError(.fileError, "\(url.path): cannot be created (\(error.localizedDescription))")
        }
    }

    /// An error when the device holding the models folder has less than `bytes` free.
    func checkRoom(for bytes: Int64) throws {
        var url = folder
        while !FileManager.default.fileExists(atPath: url.path), url.pathComponents.count > 1 { url.deleteLastPathComponent() }
        var stats = statvfs()
        guard statvfs(url.path, &stats) == 0 else { return }
        let free = Int64(geteuid() == 0 ? stats.f_bfree : stats.f_bavail) * Int64(stats.f_frsize)
        if bytes > free {
            throw AppError(.fileError, "the model needs \(ByteCountText.format(bytes)) but the device holding \(url.path) has "
                           + "\(ByteCountText.format(free)) free")
        }
    }

    /// "musicgen-small" for `…/models--facebook--musicgen-small/snapshots/<commit>` (the hub cache's layout),
    /// else the folder's own name.
    static func defaultName(forFolder url: URL) -> String {
        let parts = url.pathComponents
        if parts.count >= 3, parts[parts.count - 2] == "snapshots", parts[parts.count - 3].hasPrefix("models--") {
            return parts[parts.count - 3].components(separatedBy: "--").last ?? url.lastPathComponent
        }
        return url.lastPathComponent
    }

    /// Names of the regular files (through symbolic links) at the top of `folder`.
    static func regularFiles(in folder: URL) -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        return names.filter { name in
            var status = stat()
            return stat(folder.appendingPathComponent(name).path, &status) == 0 && (status.st_mode & S_IFMT) == S_IFREG
        }
    }

    static func fileSize(_ path: String) -> Int64 {
        var status = stat()
        return stat(path, &status) == 0 ? Int64(status.st_size) : 0
    }

    /// fsync of a file or folder; a failure loses nothing already written, so it is not an error.
    static func flush(_ path: String) {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return }
        fsync(descriptor)
        close(descriptor)
    }

    /// Copies `source` (read through symbolic links) to a new file `target`, byte for byte.
    static func copy(_ source: String, to target: String) throws {
        let input = open(source, O_RDONLY | O_CLOEXEC)
        guard input >= 0 else { throw AppError(.fileError, "\(source): cannot be read (\(String(cString: strerror(errno))))") }
        defer { close(input) }
        let output = open(target, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard output >= 0 else { throw AppError(.fileError, "\(target): cannot be written (\(String(cString: strerror(errno))))") }
        var closed = false
        defer { if !closed { close(output) } }
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 4 << 20, alignment: 16)
        defer { buffer.deallocate() }
        while true {
            let count = read(input, buffer.baseAddress, buffer.count)
            if count < 0, errno == EINTR { continue }
            if count < 0 { throw AppError(.fileError, "\(source): cannot be read (\(String(cString: strerror(errno))))") }
            if count == 0 { break }
            var done = 0
            while done < count {
                let written = write(output, buffer.baseAddress! + done, count - done)
                if written < 0, errno == EINTR { continue }
                guard written > 0 else {
                    throw AppError(.fileError, "\(target): cannot be written (\(String(cString: strerror(written < 0 ? errno : ENOSPC))))")
                }
                done += written
            }
        }
        closed = true
        guard close(output) == 0 else { throw AppError(.fileError, "\(target): cannot be written (\(String(cString: strerror(errno))))") }
    }
}

/// Holds `.partial/.<name>.lock` while one process stages model `name`, so two pulls of one model never
/// write the same files. The dot keeps it apart from every staging folder (a model's name never starts
/// with one). The lock file stays: removing it would let a third process lock a new file while a second
/// still holds the old one.
final class StagingLock {
    private let descriptor: Int32

    init(store: ModelStore, name: String) throws {
        try store.makeFolder(store.partialFolder)
        let path = store.partialFolder.appendingPathComponent(".\(name).lock").path
        descriptor = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw AppError(.fileError, "\(path): cannot be created (\(String(cString: strerror(errno))))") }
        guard flock(descriptor, LOCK_EX | LOCK_NB) == 0 else {
            close(descriptor)
            throw AppError(.conflict, "another riffle is installing \(name) right now (it holds \(path)); wait for it to finish")
        }
    }

    deinit { close(descriptor) }
}

/// Byte counts in decimal units, as the hub shows them: "2.4 GB", "512.3 kB", "830 B".
public enum ByteCountText {
    public static func format(_ bytes: Int64) -> String {
        let units = ["kB", "MB", "GB", "TB"]
        guard bytes >= 1000 else { return "\(bytes) B" }
        var value = Double(bytes) / 1000
        var unit = 0
        while value >= 999.95, unit < units.count - 1 {
            value /= 1000
            unit += 1
        }
        return String(format: "%.1f %@", value, units[unit])
    }
}
