import Dispatch
import Foundation
import RiffleCore
import RiffleEngine
import Synchronization

/// Runs jobs on Dispatch, at most `limit` at a time, in the order they were submitted: the one owner
/// of running jobs (the ``GenerationService`` submits every job here).
///
/// A job goes pending → processing → completed | failed | cancelled. Cancelling a pending job
/// means it never starts; cancelling a running one sets its ``Cancellation``, which the work checks
/// (an engine stops within one rendering chunk). A failed or cancelled job keeps its error and
/// can be retried. Progress reports are throttled to a few a second per job, with an estimate
/// of the time left; status changes are always reported, in order per job.
public final class JobQueue: Sendable {
    /// The work of a job: given its context, it reports progress and checks for cancellation. It
    /// returns a note for a job that completed with problems ("1 of 4 takes failed: …"), and throws
    /// for one that failed.
    public typealias Work = @Sendable (JobContext) throws -> String?

    /// A change a watcher (the studio, a progress bar) should see.
    public struct Update: Sendable, Hashable {
        public var jobID: String
        public var status: JobStatus
        /// Whether the status changed with this update (progress reports keep it).
        public var isStatusChange: Bool
        /// 0 to 1.
        public var fraction: Double
        /// What the job is doing, from the engine: "rendering", "mastering".
        public var stage: String
        /// Seconds left, estimated from progress so far; `nil` until there is enough to go on.
        public var secondsLeft: Double?
        /// Why it failed, or what went wrong in a job that completed.
        public var error: String?
        /// The failure was the request's fault, not the engine's (an edit that does not fit the take).
        public var isRejection = false
    }

    private struct Entry {
        var id: String
        var work: Work
        var status: JobStatus
        var cancellation: Cancellation
        var error: String?
        /// Left when the job finishes; ``wait(_:)`` waits on it.
        var done: DispatchGroup
    }

    private struct State {
        var entries: [String: Entry] = [:]
        var waiting: [String] = []
        var running = 0
    }

    private let state = Mutex(State())
    private let limit: Int
    private let onUpdate: @Sendable (Update) -> Void
    private let group = DispatchGroup()
    /// How often a job's progress may be reported.
    let progressInterval: Double

    /// - Parameters:
    ///   - limit: how many jobs run at once; by default, one per core.
    ///   - onUpdate: called on the jobs' threads; keep it short (hand the update to the UI's queue).
    public init(limit: Int = ProcessInfo.processInfo.activeProcessorCount, progressInterval: Double = 0.1,
                onUpdate: @escaping @Sendable (Update) -> Void = { _ in }) {
        self.limit = max(1, limit)
        self.progressInterval = progressInterval
        self.onUpdate = onUpdate
    }

    /// Queues `work` as job `id`; it starts when a slot is free and every job before it has started.
    /// - Returns: `false`, doing nothing, when job `id` is already pending or running here: one job
    ///   never runs twice at once.
    @discardableResult
    public func submit(_ id: String, work: @escaping Work) -> Bool {
        let done = DispatchGroup()
        let accepted = state.withLock { state -> Bool in
            if let entry = state.entries[id], !entry.status.isFinished { return false }
            done.enter()
            state.entries[id] = Entry(id: id, work: work, status: .pending, cancellation: Cancellation(), done: done)
            return true
        }
        guard accepted else { return false }
        // Reported before it can start, so no watcher hears "processing" first.
        onUpdate(Update(jobID: id, status: .pending, isStatusChange: true, fraction: 0, stage: "queued"))
        state.withLock { state in
            // Unless it was cancelled in the meantime.
            if state.entries[id]?.status == .pending { state.waiting.append(id) }
        }
        startWaiting()
        return true
    }

    /// Cancels job `id`: a pending job is dropped from the queue, a running one is asked to stop.
    public func cancel(_ id: String) {
        let dropped: DispatchGroup? = state.withLock { state in
            guard var entry = state.entries[id] else { return nil }
            entry.cancellation.cancel()
            if entry.status == .pending {
                entry.status = .cancelled
                state.waiting.removeAll { $0 == id }
                state.entries[id] = entry
                return entry.done
            }
            return nil
        }
        guard let dropped else { return }
        onUpdate(Update(jobID: id, status: .cancelled, isStatusChange: true, fraction: 0, stage: "cancelled"))
        dropped.leave()
    }

    /// The jobs pending or running here.
    public var activeIDs: [String] {
        state.withLock { $0.entries.values.filter { !$0.status.isFinished }.map(\.id) }
    }

    /// Whether job `id` is pending or running here.
    public func isActive(_ id: String) -> Bool {
        state.withLock { $0.entries[id].map { !$0.status.isFinished } ?? false }
    }

    /// Blocks until job `id` has finished and its last update has been delivered; returns at once
    /// for a job the queue does not know.
    public func wait(_ id: String) {
        state.withLock { $0.entries[id]?.done }?.wait()
    }

    /// Queues a failed, cancelled or interrupted job again with the same work.
    /// - Returns: whether there was such a job.
    @discardableResult
    public func retry(_ id: String) -> Bool {
        let retried: Bool = state.withLock { state in
            guard var entry = state.entries[id], entry.status == .failed || entry.status == .cancelled else { return false }
            entry.status = .pending
            entry.error = nil
            entry.cancellation = Cancellation()
            entry.done = DispatchGroup()
            entry.done.enter()
            state.entries[id] = entry
            return true
        }
        guard retried else { return false }
        onUpdate(Update(jobID: id, status: .pending, isStatusChange: true, fraction: 0, stage: "queued"))
        state.withLock { state in
            if state.entries[id]?.status == .pending { state.waiting.append(id) }
        }
        startWaiting()
        return true
    }

    /// Job `id`'s status, or `nil` if the queue has never seen it.
    public func status(_ id: String) -> JobStatus? {
        state.withLock { $0.entries[id]?.status }
    }

    /// Job `id`'s error, if it failed.
    public func error(_ id: String) -> String? {
        state.withLock { $0.entries[id]?.error }
    }

    /// Blocks until every job submitted so far has finished.
    public func waitUntilIdle() {
        group.wait()
    }

    private func startWaiting() {
        while let entry = state.withLock({ state -> Entry? in
            guard state.running < limit, !state.waiting.isEmpty else { return nil }
            let id = state.waiting.removeFirst()
            guard var entry = state.entries[id] else { return nil }
            entry.status = .processing
            state.entries[id] = entry
            state.running += 1
            return entry
        }) {
            group.enter()
            // A serial queue of its own: Dispatch gives it a thread even when the global pool is
            // busy, so the limit, not the pool's width, decides how many jobs run.
            DispatchQueue(label: "riffle.job.\(entry.id)", qos: .userInitiated).async { [self] in
                run(entry)
                group.leave()
            }
        }
    }

    private func run(_ entry: Entry) {
        onUpdate(Update(jobID: entry.id, status: .processing, isStatusChange: true, fraction: 0, stage: "starting"))
        let context = JobContext(id: entry.id, cancellation: entry.cancellation, interval: progressInterval) { [onUpdate] fraction, stage, left in
            onUpdate(Update(jobID: entry.id, status: .processing, isStatusChange: false, fraction: fraction, stage: stage, secondsLeft: left))
        }
        let status: JobStatus
        var message: String?
        var rejected = false
        do {
            message = try entry.work(context)
            status = entry.cancellation.isCancelled ? .cancelled : .completed
        } catch EngineError.cancelled {
            status = .cancelled
        } catch {
            status = entry.cancellation.isCancelled ? .cancelled : .failed
            message = "\(error)"
            if case EngineError.invalidEdit = error { rejected = true }
        }
        state.withLock { state in
            state.entries[entry.id]?.status = status
            state.entries[entry.id]?.error = message
            state.running -= 1
        }
        var last = Update(jobID: entry.id, status: status, isStatusChange: true, fraction: status == .completed ? 1 : context.lastFraction,
                          stage: status.rawValue, error: message)
        last.isRejection = rejected
        onUpdate(last)
        entry.done.leave()
        startWaiting()
    }
}

/// What a running job's work sees: its cancellation, and where to report progress.
public final class JobContext: Sendable {
    public let id: String
    public let cancellation: Cancellation
    private let interval: Double
    private let started = Date()
    private let forward: @Sendable (Double, String, Double?) -> Void
    private let last = Mutex<(time: Date, fraction: Double, stage: String)>((.distantPast, 0, ""))

    init(id: String, cancellation: Cancellation, interval: Double, forward: @escaping @Sendable (Double, String, Double?) -> Void) {
        self.id = id
        self.cancellation = cancellation
        self.interval = interval
        self.forward = forward
    }

    /// The last fraction reported.
    var lastFraction: Double { last.withLock { $0.fraction } }

    /// Reports progress (0-1) and what the job is doing. Reports come through at most every
    /// `interval` seconds, except a change of stage, which always does; the estimate of the time
    /// left assumes the rest goes as fast as what is done.
    public func report(_ fraction: Double, stage: String) {
        let now = Date()
        let clamped = min(max(fraction, 0), 1)
        let send: Bool = last.withLock { last in
            let due = now.timeIntervalSince(last.time) >= interval || stage != last.stage
            last.fraction = max(last.fraction, clamped)
            if due {
                last.time = now
                last.stage = stage
            }
            return due
        }
        guard send else { return }
        let elapsed = now.timeIntervalSince(started)
        let left = clamped > 0.02 && elapsed > 0.2 ? elapsed * (1 - clamped) / clamped : nil
        forward(clamped, stage, left)
    }
}
