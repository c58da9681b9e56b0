import Foundation
import Synchronization

/// Downloads a model from the Hugging Face hub into a ``ModelStore``: the files a ``SnapshotLayout``
/// selects, all from the one commit the revision is at, each into `.partial/<name>/<file>.incomplete`
/// (resumed from what is there), checked against the hub's hash, then renamed to `<file>`; the model
/// appears under `<models>/<name>` only when every file is in and the engine's check passed.
public struct ModelPull: Sendable {
    public let store: ModelStore
    public let hub: HubClient
    public let layout: SnapshotLayout

    public init(store: ModelStore, hub: HubClient, layout: SnapshotLayout) {
        self.store = store
        self.hub = hub
        self.layout = layout
    }

    /// How far a pull is, reported as bytes arrive.
    public struct Progress: Sendable, Equatable {
        public enum Stage: Sendable, Equatable {
            case downloading
            /// Hashing a complete file.
            case verifying
        }

        public var stage: Stage
        public var file: String
        /// 1-based, of ``fileCount``.
        public var fileNumber: Int
        public var fileCount: Int
        /// Bytes on disk of every file to fetch, whether from this run or an earlier one.
        public var bytesDone: Int64
        public var bytesTotal: Int64
        /// Bytes that arrived during this run: what a transfer rate is measured on.
        public var bytesFetched: Int64
    }

    /// What a pull did.
    public struct Outcome: Sendable {
        public var model: InstalledModel
        /// The commit the files came from (nil when the model was already installed).
        public var commit: String?
        public var files: Int
        /// Bytes that arrived during this run.
        public var bytesFetched: Int64
        /// Bytes an earlier, interrupted run had left, which were kept.
        public var bytesResumed: Int64
        /// True when a model of that name from the same repository was installed already: nothing was fetched.
        public var alreadyInstalled: Bool
    }

    /// Pulls `repo` at `revision` as model `name` (default: the repository's name). `checkConfig` sees
    /// config.json as soon as it is in (before the weights are fetched); `check` sees the complete
    /// staged folder before it is installed. Their errors come through as they are, and the staged files
    /// are then deleted, as they cannot become a model; a network failure keeps them for the next run.
    public func run(_ repo: HubRepoID, revision: String = "main", name: String? = nil,
                    checkConfig: (String) throws -> Void = { _ in }, check: (String) throws -> Void = { _ in },
                    progress: @escaping @Sendable (Progress) -> Void = { _ in }) throws -> Outcome {
        let name = name ?? repo.name
        try ModelStore.checkName(name)
        if let existing = try store.installed().first(where: { $0.name == name }) {
            if existing.source?.repo?.lowercased() == repo.text.lowercased() {
                return Outcome(model: existing, commit: existing.source?.commit, files: 0, bytesFetched: 0, bytesResumed: 0, alreadyInstalled: true)
            }
            try store.refuseExisting(name)
        }
        let lock = try StagingLock(store: store, name: name)
        defer { withExtendedLifetime(lock) {} }

        let commit = try hub.commit(of: repo, revision: revision)
        let listing = try hub.files(of: repo, at: commit).filter { !$0.path.contains("/") }
        let byName = Dictionary(listing.map { ($0.path, $0) }, uniquingKeysWith: { first, _ in first })

        let staged = store.staging(name)
        let source = ModelSource(repo: repo.text, revision: revision, commit: commit, endpoint: hub.settings.endpoint.absoluteString)
        if let earlier = ModelSource.read(in: staged), earlier.repo != source.repo || earlier.commit != source.commit {
            // Bytes of another commit cannot be resumed into this one.
            try? FileManager.default.removeItem(at: staged)
        }
        try store.makeFolder(staged)
        try source.write(in: staged)

        let state = TallyBox()
        let place = "\(repo) (commit \(commit.prefix(12)))"
        let selected: [String]
        do {
            selected = try layout.select(available: Set(byName.keys), place: place) {
                // Shards are named by the index: it comes first.
                let index = byName[SnapshotLayout.index]!
                try fetch(index, repo: repo, commit: commit, into: staged, number: 0, count: 0, state: state, progress: { _ in })
                return try SnapshotLayout.shards(inIndex: staged.appendingPathComponent(SnapshotLayout.index).path)
            }
        } catch let error as AppError where error.kind == .badInput {
            try? FileManager.default.removeItem(at: staged)
            throw error
        }
        let files = selected.map { byName[$0]! }
        let total = files.reduce(Int64(0)) { $0 + $1.size }
        let onDisk = files.reduce(Int64(0)) { sum, file in sum + min(file.size, Self.bytesOnDisk(file, in: staged)) }
        try store.checkRoom(for: total - onDisk)
        state.value.withLock { $0 = Tally(done: 0, total: total, resumed: onDisk) }

        for (index, file) in files.enumerated() {
            try fetch(file, repo: repo, commit: commit, into: staged, number: index + 1, count: files.count, state: state, progress: progress)
            if file.path == "config.json" {
                try discardingOnFailure(staged) { try checkConfig(staged.appendingPathComponent(file.path).path) }
            }
        }
        // Anything else in the folder (an earlier selection's leftovers) is not part of this model.
        let keep = Set(selected + [ModelSource.fileName])
        for leftover in (try? FileManager.default.contentsOfDirectory(atPath: staged.path)) ?? [] where !keep.contains(leftover) {
            try? FileManager.default.removeItem(at: staged.appendingPathComponent(leftover))
        }
        try discardingOnFailure(staged) { try check(staged.path) }
        let model = try store.install(staged: staged, as: name)
        let tally = state.value.withLock { $0 }
        return Outcome(model: model, commit: commit, files: files.count, bytesFetched: tally.fetched, bytesResumed: onDisk, alreadyInstalled: false)
    }

    /// Running totals, shared with the progress callbacks on URLSession's queue.
    private final class TallyBox: Sendable {
        let value = Mutex(Tally())
    }

    private struct Tally {
        var done: Int64 = 0
        var total: Int64 = 0
        var resumed: Int64 = 0
        var fetched: Int64 = 0
        /// Bytes on disk of the file in progress, last seen.
        var current: Int64 = 0
    }

    /// Brings one file into the staging folder: kept if already complete there, else downloaded (resumed),
    /// verified and renamed from `<file>.incomplete` to `<file>`.
    private func fetch(_ file: HubFile, repo: HubRepoID, commit: String, into staged: URL, number: Int, count: Int,
                       state: TallyBox, progress: @escaping @Sendable (Progress) -> Void) throws {
        let final = staged.appendingPathComponent(file.path).path
        func report(_ stage: Progress.Stage) {
            let tally = state.value.withLock { $0 }
            progress(Progress(stage: stage, file: file.path, fileNumber: number, fileCount: count, bytesDone: tally.done + tally.current,
                              bytesTotal: tally.total, bytesFetched: tally.fetched))
        }
        if ModelStore.fileSize(final) == file.size, FileManager.default.fileExists(atPath: final) {
            state.value.withLock { $0.done += file.size }
            report(.downloading)
            return
        }
        let partial = final + ".incomplete"
        state.value.withLock { $0.current = min(file.size, ModelStore.fileSize(partial)) }
        report(.downloading)
        try hub.download(file, of: repo, at: commit, to: partial) { onDisk in
            let tally: Tally = state.value.withLock { tally in
                if onDisk > tally.current { tally.fetched += onDisk - tally.current }
                tally.current = onDisk
                return tally
            }
            progress(Progress(stage: .downloading, file: file.path, fileNumber: number, fileCount: count, bytesDone: tally.done + tally.current,
                              bytesTotal: tally.total, bytesFetched: tally.fetched))
        }
        report(.verifying)
        do {
            try hub.verify(file, at: partial)
        } catch {
            state.value.withLock { $0.current = 0 }
            throw error
        }
        ModelStore.flush(partial)
        guard rename(partial, final) == 0 else {
            throw AppError(.fileError, "\(final): cannot be renamed into place (\(String(cString: strerror(errno))))")
        }
        state.value.withLock { tally in
            tally.done += file.size
            tally.current = 0
        }
    }

    /// Runs the engine's check; when it fails, the staged files are of no use and go.
    private func discardingOnFailure(_ staged: URL, _ body: () throws -> Void) throws {
        do { try body() } catch {
            try? FileManager.default.removeItem(at: staged)
            throw error
        }
    }

    /// Bytes of `file` already in the staging folder: complete, or partial.
    private static func bytesOnDisk(_ file: HubFile, in staged: URL) -> Int64 {
        let final = staged.appendingPathComponent(file.path).path
        if FileManager.default.fileExists(atPath: final) { return ModelStore.fileSize(final) }
        return ModelStore.fileSize(final + ".incomplete")
    }
}
