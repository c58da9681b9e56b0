import Foundation
import RiffleAudio
import RiffleCore
import RiffleEngine
import Synchronization

/// The application core: every front end (the studio, the command line, the server) makes the same
/// call here for the same job, so they cannot disagree about defaults, seeds, the cache, or what a
/// failed edit leaves behind.
///
/// Calls are synchronous and thread-safe. Jobs (generate, resume, edits) run on the service's
/// ``JobQueue``; their progress and results reach every observer as ``JobEvent``s, and the library
/// records each change of status before observers hear of it, so what an observer reads back from
/// the library is never behind what it was told.
public final class GenerationService: Sendable {
    public let library: Library
    public let engines: EngineRegistry
    public let normaliser: RequestNormaliser
    let queue: JobQueue
    let observers = Mutex<(next: Int, handlers: [Int: @Sendable (JobEvent) -> Void])>((0, [:]))
    /// Jobs refused and removed while running (an edit that does not fit), with the reason, for ``wait(_:)``.
    let rejections = Mutex<[String: String]>([:])
    /// Batches run here whose takes could not all be written, for ``storageFailure(of:)``.
    let storageFailures = Mutex<[String: AppError]>([:])

    /// - Parameters:
    ///   - concurrentJobs: jobs run at once; one by default, since each already uses every core.
    public init(library: Library, engines: EngineRegistry, catalog: PresetCatalog, concurrentJobs: Int = 1) {
        self.library = library
        self.engines = engines
        normaliser = RequestNormaliser(catalog: catalog)
        let relay = Relay()
        queue = JobQueue(limit: concurrentJobs) { update in relay.service?.record(update) }
        relay.service = self
    }

    /// Hands the queue's updates to the service, which owns the queue (so it cannot capture itself
    /// while it is being made).
    private final class Relay: @unchecked Sendable {
        // Set once in the service's init, before any job can be submitted; read-only after.
        weak var service: GenerationService?
    }

    // MARK: Observing

    /// Calls `handler` with every job event from now on, on the jobs' threads (keep it short).
    /// - Returns: a token for ``stopObserving(_:)``.
    @discardableResult
    public func observe(_ handler: @escaping @Sendable (JobEvent) -> Void) -> Int {
        observers.withLock { observers in
            observers.next += 1
            observers.handlers[observers.next] = handler
            return observers.next
        }
    }

    public func stopObserving(_ token: Int) {
        observers.withLock { _ = $0.handlers.removeValue(forKey: token) }
    }

    func broadcast(_ event: JobEvent) {
        for handler in observers.withLock({ Array($0.handlers.values) }) { handler(event) }
    }

    /// A change from the queue: recorded in the library first, then told to observers.
    private func record(_ update: JobQueue.Update) {
        var update = update
        if update.isStatusChange {
            if update.isRejection {
                let reason = update.error ?? "the edit does not fit the take"
                rejections.withLock { $0[update.jobID] = reason }
                try? library.delete(job: update.jobID)
                broadcast(.removed(jobID: update.jobID, reason: reason))
                return
            }
            do {
                try library.update(job: update.jobID, to: update.status, error: update.error)
            } catch {
                update.error = [update.error, "the library could not record it: \(error)"].compactMap { $0 }.joined(separator: "; ")
            }
        }
        broadcast(.update(update))
    }

    // MARK: Requests

    /// `request` in the normal form every front end stores (see ``RequestNormaliser``). The default
    /// engine, named without a model, is left unnamed: only the registry knows which engine that is.
    public func normalise(_ request: GenerationRequest) throws(AppError) -> GenerationRequest {
        var normal: GenerationRequest
        do {
            normal = try normaliser.normalise(request)
        } catch {
            throw AppError(.badInput, error.description, field: error.fields.first)
        }
        // A front end that names the default engine (the studio always names its choice) and one that
        // names none (the command line without --engine) ask for the same takes: one stored request,
        // one cache key, and jobs stored before requests named engines still answer.
        if normal.engine == engines.defaultName, normal.model == nil { normal.engine = nil }
        return normal
    }

    /// What the engine will make of `request`; `nil` when the engine cannot start.
    public func interpret(_ request: GenerationRequest, engine name: String? = nil) -> Interpretation? {
        (try? engines.engine(named: name ?? request.engineName, model: request.model))?.interpret(request)
    }

    /// The engine `name` (the default when `nil`) with `model` (its default when `nil`), or why it cannot start.
    public func engine(named name: String? = nil, model: String? = nil) throws(AppError) -> any MusicEngine {
        do {
            return try engines.engine(named: name, model: model)
        } catch {
            throw AppError(.engineFailed, error.description)
        }
    }

    // MARK: Generating

    /// What ``generate(_:engine:outputs:force:)`` did.
    public struct Submission: Sendable, Hashable {
        public var jobID: String
        /// The same request was made before: the job is that one, already completed.
        public var cached: Bool

        public init(jobID: String, cached: Bool) {
            self.jobID = jobID
            self.cached = cached
        }
    }

    /// Queues a batch of takes of `request` as a new job, or answers from the cache.
    ///
    /// A request that names its seed is answered by the newest completed job with the same
    /// ``CacheKey`` unless `force`; one without a seed gets a random one, recorded in the job.
    /// - Throws: ``AppError`` `.badInput` naming every bad field, `.engineFailed` when the engine
    ///   cannot start, `.fileError` when the library cannot record the job.
    public func generate(_ request: GenerationRequest, engine name: String? = nil, outputs: TakeOutputs = TakeOutputs(),
                         force: Bool = false) throws(AppError) -> Submission {
        let normal = try normalise(request)
        let engine = try engine(named: normal.engineName ?? name, model: normal.model)
        let seeded = normal.resolvingSeed()
        let key = CacheKey(request: seeded, engine: engine.identity, model: engine.model, outputs: outputs).text
        do {
            if normal.seed != nil, !force, let cached = try library.completedJob(cacheKey: key) {
                return Submission(jobID: cached.id, cached: true)
            }
            let id = Self.newJobID()
            let job = JobRecord(id: id, kind: .generate, prompt: seeded.prompt, request: seeded, engine: engine.identity,
                                model: engine.model, outputs: outputs, cacheKey: key)
            try library.insert(job)
            broadcast(.created(job))
            submitGeneration(id, request: seeded, variations: Array(0..<seeded.numVariations), engine: engine, outputs: outputs)
            return Submission(jobID: id, cached: false)
        } catch {
            throw error.asAppError
        }
    }

    /// Queues the takes a failed, cancelled or interrupted job is missing (or a completed one that lost
    /// takes to failures), with the seeds they would have had; the takes it has stay as they are.
    ///
    /// The job is claimed for this process atomically (see ``Library/claim(job:deciding:)``): of two
    /// Riffles resuming it at once, one runs it and the other is refused, and no Riffle opening the
    /// library meanwhile takes it for cut off.
    /// - Throws: ``AppError`` `.conflict` when the job is complete or another Riffle is running it,
    ///   `.unknownID`, `.badInput` for an edit, `.engineFailed`, `.fileError` when the library cannot record it.
    public func resume(_ jobID: String) throws(AppError) -> Submission {
        let job = try existingJob(jobID)
        guard job.kind == .generate else {
            throw AppError(.badInput, "job \(jobID) is a \(job.kind.rawValue); run the edit again instead")
        }
        let engine = try engine(named: job.engine.name, model: job.request.model)
        guard engine.identity == job.engine else {
            throw AppError(.engineFailed, "job \(jobID) was made by \(job.engine); this is \(engine.identity), whose takes would differ")
        }
        if queue.isActive(jobID) { throw AppError(.conflict, "job \(jobID) is already running") }
        let missing: [Int]
        do {
            missing = try library.claim(job: jobID) { current, takes in
                guard let current else { throw AppError.unknown(jobID) }
                return try Self.missingTakes(of: current, having: takes)
            }
        } catch let error as AppError {
            throw error
        } catch {
            throw AppError(.fileError, "\(error)")
        }
        guard submitGeneration(jobID, request: job.request, variations: missing, engine: engine, outputs: job.outputs) else {
            throw AppError(.conflict, "job \(jobID) is already running")
        }
        return Submission(jobID: jobID, cached: false)
    }

    /// The takes (batch indices) `job` is missing, when it may be resumed now; why not, when not.
    static func missingTakes(of job: JobRecord, having takes: [TakeRecord]) throws(AppError) -> [Int] {
        if !job.status.isFinished, let owner = job.ownerPID, owner != getpid(), Library.isRunning(owner) {
            // A job that finished once and runs again is being resumed.
            let doing = job.finishedAt == nil ? "generated" : "resumed"
            throw AppError(.conflict, "job \(job.id) is being \(doing) by another Riffle (pid \(owner))")
        }
        let have = Set(takes.map(\.variation))
        let missing = (0..<job.request.numVariations).filter { !have.contains($0) }
        // Pending or processing with its process gone: cut off, whether or not a library has marked it yet.
        // And a batch that completed without some takes (they failed) can be finished too.
        guard job.status.isResumable || !job.status.isFinished || (job.status == .completed && !missing.isEmpty) else {
            throw AppError(.conflict, "job \(job.id) is \(job.status.rawValue): only a failed, cancelled or interrupted job, "
                           + "or one missing takes, can be resumed")
        }
        return missing
    }

    /// Runs `variations` (indices into the batch, so take i keeps seed + i) of `request` as job `id`.
    /// - Returns: `false` when the job is already running.
    @discardableResult
    private func submitGeneration(_ id: String, request: GenerationRequest, variations: [Int], engine: any MusicEngine,
                                  outputs: TakeOutputs) -> Bool {
        let store = TakeStore(library: library)
        let base = request.seed ?? 0
        storageFailures.withLock { _ = $0.removeValue(forKey: id) }
        return queue.submit(id) { [self] context in
            let started = Date()
            let progress = BatchProgress(takes: variations.count)
            let outcome = Mutex<(stored: Int, failures: [String], fileFailures: Int)>((0, [], 0))
            engine.generateBatch(request, seeds: variations.map { GenerationRequest.seed(base, variation: $0) },
                                 progress: { index, step in context.report(progress.report(take: index, step.fraction), stage: step.stage) },
                                 cancellation: context.cancellation) { index, result in
                let take: Take
                do {
                    take = try result.get()
                } catch EngineError.cancelled {
                    return
                } catch {
                    return outcome.withLock { $0.failures.append("take \(variations[index] + 1): \(error)") }
                }
                // The take is made; what fails now is writing it: a file error (a full disk, say).
                do {
                    let record = try store.store(take, variation: variations[index], jobID: id, outputs: outputs,
                                                 seconds: Date().timeIntervalSince(started))
                    outcome.withLock { $0.stored += 1 }
                    self.broadcast(.takeStored(jobID: id, takeID: record.id))
                } catch {
                    outcome.withLock {
                        $0.failures.append("take \(variations[index] + 1): \(error)")
                        $0.fileFailures += 1
                    }
                }
            }
            try context.cancellation.check()
            let (stored, failures, fileFailures) = outcome.withLock { $0 }
            let summary = failures.joined(separator: "; ")
            if fileFailures > 0 { storageFailures.withLock { $0[id] = AppError(.fileError, summary) } }
            if stored == 0, !failures.isEmpty { throw EngineError.failed(summary) }
            return failures.isEmpty ? nil : "\(failures.count) of \(variations.count) takes failed: " + summary
        }
    }

    // MARK: Running jobs

    /// How a job ended.
    public enum Outcome: Sendable, Hashable {
        /// It finished (completed, failed or cancelled), as the library records it.
        case finished(JobRecord)
        /// It was refused and removed: the reason.
        case rejected(String)
    }

    /// Blocks until job `jobID` has finished, then says how.
    public func wait(_ jobID: String) throws(AppError) -> Outcome {
        queue.wait(jobID)
        if let reason = rejections.withLock({ $0[jobID] }) { return .rejected(reason) }
        return .finished(try existingJob(jobID))
    }

    /// Why takes of job `jobID`, last run by this process, could not be written, when some could not:
    /// a `.fileError` naming the files and the cause (a full disk, a read-only folder), told apart from
    /// the engine failing. The job stays resumable; front ends report it as a file problem.
    public func storageFailure(of jobID: String) -> AppError? {
        storageFailures.withLock { $0[jobID] }
    }

    /// Cancels a job this process runs: a pending one never starts, a running one stops within a step.
    public func cancel(_ jobID: String) throws(AppError) {
        if queue.isActive(jobID) { return queue.cancel(jobID) }
        let job = try existingJob(jobID)
        if job.status.isFinished { throw AppError(.conflict, "job \(jobID) is \(job.status.rawValue), not running") }
        throw AppError(.conflict, "job \(jobID) is running in another Riffle process (pid \(job.ownerPID.map(String.init) ?? "?"))")
    }

    /// Cancels every job this process runs and waits (at most `timeout` seconds) for them to stop.
    public func cancelAll(timeout: Double = 5) {
        for id in queue.activeIDs { queue.cancel(id) }
        _ = waitUntilIdle(timeout: timeout)
    }

    /// Waits, at most `timeout` seconds, until no job of this process is pending or running.
    /// - Returns: whether they all finished in time.
    public func waitUntilIdle(timeout: Double) -> Bool {
        let idle = DispatchSemaphore(value: 0)
        let queue = self.queue
        DispatchQueue.global().async {
            queue.waitUntilIdle()
            idle.signal()
        }
        return idle.wait(timeout: .now() + timeout) == .success
    }

    func existingJob(_ id: String) throws(AppError) -> JobRecord {
        let job: JobRecord?
        do { job = try library.job(id) } catch { throw error.asAppError }
        guard let job else { throw AppError.unknown(id) }
        return job
    }

    func existingTake(_ id: String) throws(AppError) -> TakeRecord {
        let take: TakeRecord?
        do { take = try library.take(id) } catch { throw error.asAppError }
        guard let take else { throw AppError.unknown(id) }
        return take
    }

    /// A new job id: "j" and eight hex digits, short enough to type.
    static func newJobID() -> String {
        "j" + String(format: "%08x", UInt32.random(in: 0...UInt32.max))
    }
}

/// What observers of the service hear.
public enum JobEvent: Sendable, Hashable {
    /// A job is in the library and about to be queued: the first event of every new job.
    case created(JobRecord)
    /// A job's status or progress changed.
    case update(JobQueue.Update)
    /// A take is in the library (a batch's takes arrive one by one).
    case takeStored(jobID: String, takeID: String)
    /// The job was refused and removed, with the reason: an edit that does not fit its take. Nothing
    /// of it is left in the library.
    case removed(jobID: String, reason: String)
}
