import Foundation
import RiffleApp
import RiffleCore
import Synchronization

/// What the server knows of running jobs beyond the library: their latest progress, stage and ETA, and
/// who is listening to them (Server-Sent Events). Fed by the service's observer; the library stays the
/// record of status, this only adds what changes many times a second.
final class JobBoard: Sendable {
    /// A running job's latest report.
    struct Progress: Sendable, Hashable {
        var status: JobStatus
        var fraction: Double
        var stage: String
        var secondsLeft: Double?
        var error: String?
    }

    /// What a listener hears about one job.
    enum Event: Sendable, Hashable {
        case progress(Progress)
        /// The status changed (pending → processing, or the end).
        case status(Progress)
        case takeStored(String)
        /// The job was refused and removed (an edit that does not fit its take).
        case removed(String)
    }

    private struct State {
        var progress: [String: Progress] = [:]
        var listeners: [String: [Int: AsyncStream<Event>.Continuation]] = [:]
        var nextToken = 0
    }

    private let state = Mutex(State())
    private let onFinished: @Sendable (String, JobStatus, String?) -> Void

    /// - Parameter onFinished: called once per job that completes, fails or is cancelled (or removed, as
    ///   failed), after the library has recorded it: where webhooks start.
    init(service: GenerationService, onFinished: @escaping @Sendable (String, JobStatus, String?) -> Void) {
        self.onFinished = onFinished
        service.observe { [weak self] event in self?.receive(event) }
    }

    /// The latest report of a job this process is running; `nil` for one it is not.
    func progress(of jobID: String) -> Progress? {
        state.withLock { $0.progress[jobID] }
    }

    /// Jobs this process has reported on and that have not finished.
    var activeCount: Int { state.withLock { $0.progress.count } }

    /// Events of job `jobID` from now on; the stream ends when the job finishes or `stop` is called.
    func listen(to jobID: String) -> (events: AsyncStream<Event>, stop: @Sendable () -> Void) {
        let (stream, continuation) = AsyncStream<Event>.makeStream(bufferingPolicy: .bufferingNewest(64))
        let token = state.withLock { state in
            state.nextToken += 1
            state.listeners[jobID, default: [:]][state.nextToken] = continuation
            return state.nextToken
        }
        let stop: @Sendable () -> Void = { [weak self] in
            let removed = self?.state.withLock { state in state.listeners[jobID]?.removeValue(forKey: token) }
            removed?.finish()
        }
        continuation.onTermination = { _ in stop() }
        return (stream, stop)
    }

    private func receive(_ event: JobEvent) {
        switch event {
        case .created(let job):
            let progress = Progress(status: job.status, fraction: 0, stage: "queued", secondsLeft: nil, error: nil)
            state.withLock { $0.progress[job.id] = progress }
        case .update(let update):
            let progress = Progress(status: update.status, fraction: update.fraction, stage: update.stage,
                                    secondsLeft: update.secondsLeft, error: update.error)
            let finished = update.isStatusChange && update.status.isFinished
            let listeners = state.withLock { state -> [AsyncStream<Event>.Continuation] in
                if finished { state.progress[update.jobID] = nil } else { state.progress[update.jobID] = progress }
                let listeners = Array((state.listeners[update.jobID] ?? [:]).values)
                if finished { state.listeners[update.jobID] = nil }
                return listeners
            }
            for listener in listeners {
                listener.yield(update.isStatusChange ? .status(progress) : .progress(progress))
                if finished { listener.finish() }
            }
            if finished { onFinished(update.jobID, update.status, update.error) }
        case .takeStored(let jobID, let takeID):
            for listener in state.withLock({ Array(($0.listeners[jobID] ?? [:]).values) }) { listener.yield(.takeStored(takeID)) }
        case .removed(let jobID, let reason):
            let listeners = state.withLock { state -> [AsyncStream<Event>.Continuation] in
                state.progress[jobID] = nil
                return Array((state.listeners.removeValue(forKey: jobID) ?? [:]).values)
            }
            for listener in listeners {
                listener.yield(.removed(reason))
                listener.finish()
            }
            onFinished(jobID, .failed, reason)
        }
    }
}
