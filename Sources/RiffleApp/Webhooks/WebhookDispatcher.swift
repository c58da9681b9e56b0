import Dispatch
import Foundation
import Synchronization

/// Delivers webhook messages, retrying failed attempts on a schedule; the library is its queue.
///
/// Every delivery is stored before it is sent, and every attempt recorded, so a restarted server
/// resumes what was pending: ``start()`` loads due deliveries from the library, not from memory.
/// A message is signed at each attempt with a fresh `webhook-timestamp` and the same `webhook-id`,
/// so a receiver can drop a retry it already took. Delivery is at least once: a receiver that
/// answered but whose answer was lost, or a server stopped mid-attempt, sees the message again.
///
/// An attempt succeeds on a 2xx answer. Any other answer (a redirect included: they are not
/// followed), a network error or a host that does not resolve is a failed attempt, retried after
/// the schedule's next delay, or the delivery fails when the schedule is spent. A URL that
/// ``WebhookAddressPolicy`` refuses, checked again at every attempt since DNS can change, fails the
/// delivery at once. Up to four deliveries are sent at once, so one slow receiver does not hold up
/// the others for long.
public final class WebhookDispatcher: Sendable {
    /// How long to wait before each retry.
    public struct RetrySchedule: Sendable, Hashable {
        /// Seconds before attempt 2, 3, …; when the last attempt fails too, the delivery has failed.
        public var delays: [Double]

        public init(delays: [Double]) {
            self.delays = delays
        }

        /// Standard Webhooks' suggested schedule: 5 s, 5 min, 30 min, 2 h, 5 h and 10 h (7 attempts over about 17 hours).
        public static let standard = RetrySchedule(delays: [5, 300, 1800, 7200, 18000, 36000])
    }

    /// Why a delivery could not be queued.
    public enum EnqueueError: Error, CustomStringConvertible {
        /// The library could not store it.
        case library(Library.Failure)
        /// The secret is not a Standard Webhooks secret.
        case secret(WebhookSigner.SecretError)

        public var description: String {
            switch self {
            case .library(let failure): "\(failure)"
            case .secret(let error): "\(error)"
            }
        }
    }

    private enum Phase: Equatable {
        case idle
        case running
        /// Stopping: sending what is due until the deadline.
        case flushing(until: Date)
    }

    private struct State {
        var phase = Phase.idle
        /// Left when the worker has stopped.
        var worker = DispatchGroup()
        /// Deliveries being sent now, by id.
        var inFlight: [String: WebhookPost] = [:]
        /// Sends nothing until then: the library could not record an attempt, and sending again at once would repeat it.
        var holdUntil = Date.distantPast
    }

    /// How many deliveries are sent at once.
    static let concurrency = 4

    private let library: Library
    private let allowPrivate: Bool
    private let schedule: RetrySchedule
    private let timeout: Double
    private let log: @Sendable (String) -> Void
    private let state = Mutex(State())
    /// Signalled when the worker should look again: a new delivery, a finished send, a stop.
    private let wake = DispatchSemaphore(value: 0)
    /// Entered for every send in flight.
    private let sends = DispatchGroup()

    /// - Parameters:
    ///   - allowPrivate: send to loopback and private addresses too (`--allow-private-webhooks`).
    ///   - timeout: seconds an attempt may take, the whole exchange.
    ///   - log: told of every attempt and of library errors, in a line each, on the dispatcher's threads.
    public init(library: Library, allowPrivate: Bool, schedule: RetrySchedule = .standard, timeout: Double = 10,
                log: @escaping @Sendable (String) -> Void = { _ in }) {
        self.library = library
        self.allowPrivate = allowPrivate
        self.schedule = schedule
        self.timeout = timeout
        self.log = log
    }

    /// Stores a delivery, due now, and wakes the worker; it is signed at each attempt with `secret`.
    /// The URL is checked when it is sent; check it with ``WebhookAddressPolicy`` when accepting it to
    /// refuse a bad one up front.
    @discardableResult
    public func enqueue(jobID: String, keyID: String?, url: String, event: String, payload: Data,
                        secret: String) throws(EnqueueError) -> WebhookDelivery {
        do { _ = try WebhookSigner(secret: secret) } catch { throw .secret(error) }
        let delivery = WebhookDelivery(jobID: jobID, keyID: keyID, url: url, event: event, payload: payload, secret: secret)
        do { try library.insert(delivery) } catch { throw .library(error) }
        wake.signal()
        return delivery
    }

    /// Starts the worker, which sends due deliveries (those a previous run left pending too) and
    /// sleeps until the next is due or one is enqueued. Does nothing when it is already running.
    public func start() {
        let worker: DispatchGroup? = state.withLock { state in
            guard state.phase == .idle else { return nil }
            state.phase = .running
            state.worker = DispatchGroup()
            state.worker.enter()
            return state.worker
        }
        guard let worker else { return }
        DispatchQueue(label: "riffle.webhooks", qos: .utility).async { [self] in
            work()
            state.withLock { $0.phase = .idle }
            worker.leave()
        }
    }

    /// Stops the worker, gracefully: until `flushTimeout` seconds from now it still sends the
    /// deliveries that are due and waits for those in flight; then it cancels what is still in flight
    /// (not counted as an attempt: the next start sends it again) and returns. Deliveries due later
    /// stay pending in the library.
    public func stop(flushTimeout: Double) {
        let worker: DispatchGroup? = state.withLock { state in
            switch state.phase {
            case .idle: return nil
            case .running: state.phase = .flushing(until: Date().addingTimeInterval(flushTimeout))
            case .flushing: break
            }
            return state.worker
        }
        wake.signal()
        worker?.wait()
    }

    // MARK: The worker

    private func work() {
        while true {
            let now = Date()
            let (phase, inFlight, holdUntil) = state.withLock { ($0.phase, Set($0.inFlight.keys), $0.holdUntil) }
            var deadline: Date?
            if case .flushing(let until) = phase {
                if now >= until { break }
                deadline = until
            }
            var started = 0
            var next: Date?
            do {
                let free = Self.concurrency - inFlight.count
                if free > 0 && now >= holdUntil {
                    // At most `concurrency` due ones: at least `free` of them are not in flight, if there are that many.
                    for delivery in try library.dueDeliveries(now: now, limit: Self.concurrency)
                    where !inFlight.contains(delivery.id) && started < free {
                        launch(delivery)
                        started += 1
                    }
                }
                next = try library.nextDeliveryDate()
            } catch {
                log("webhooks: \(error); trying again in 5 s")
                next = now.addingTimeInterval(5)
            }
            if started > 0 { continue }
            let idle = state.withLock { $0.inFlight.isEmpty }
            if deadline != nil && idle && (next.map { $0 > now } ?? true) { break }
            // Past due: in flight, no free slot, or held; a finishing send wakes the worker, and the second is a safety net.
            var until = next.map { $0 > now ? $0 : now.addingTimeInterval(1) } ?? now.addingTimeInterval(3600)
            if holdUntil > now { until = max(until, holdUntil) }
            if let deadline { until = min(until, deadline) }
            _ = wake.wait(timeout: .now() + max(0, until.timeIntervalSince(now)))
        }
        let remaining = state.withLock { Array($0.inFlight.values) }
        for post in remaining { post.cancel() }
        sends.wait()
    }

    /// Sends `delivery` on a thread of its own, then records the attempt and wakes the worker.
    private func launch(_ delivery: WebhookDelivery) {
        let post = WebhookPost(timeout: timeout)
        state.withLock { $0.inFlight[delivery.id] = post }
        sends.enter()
        // A queue of its own: Dispatch gives it a thread even when the global pool is busy (as JobQueue does).
        DispatchQueue(label: "riffle.webhook.\(delivery.id)", qos: .utility).async { [self] in
            let outcome = attempt(delivery, with: post)
            record(outcome, of: delivery)
            state.withLock { $0.inFlight[delivery.id] = nil }
            wake.signal()
            sends.leave()
        }
    }

    // MARK: One attempt

    private enum Attempt {
        case delivered(status: Int)
        /// Worth retrying.
        case failed(status: Int?, message: String)
        /// Never worth retrying: the policy refuses the URL.
        case refused(String)
        /// Stopped by ``stop(flushTimeout:)``: not an attempt.
        case cancelled
    }

    private func attempt(_ delivery: WebhookDelivery, with post: WebhookPost) -> Attempt {
        let url: URL
        do {
            url = try WebhookAddressPolicy.check(delivery.url, allowPrivate: allowPrivate)
        } catch {
            // DNS may be down for now; every other refusal stays a refusal.
            return error.reason == .unresolvable ? .failed(status: nil, message: error.description) : .refused(error.description)
        }
        let signer: WebhookSigner
        do { signer = try WebhookSigner(secret: delivery.secret) } catch { return .refused("\(error)") }
        let timestamp = Int(Date().timeIntervalSince1970)
        switch post.perform(url: url, headers: signer.headers(id: delivery.id, timestamp: timestamp, body: delivery.payload),
                            body: delivery.payload) {
        case .answered(let status, _) where (200..<300).contains(status):
            return .delivered(status: status)
        case .answered(let status, let excerpt):
            return .failed(status: status, message: "HTTP \(status)" + (excerpt.isEmpty ? "" : ": \(excerpt)"))
        case .failed(let message):
            return .failed(status: nil, message: message)
        case .cancelled:
            return .cancelled
        }
    }

    private func record(_ attempt: Attempt, of delivery: WebhookDelivery) {
        let attempts = delivery.attempts + 1
        let now = Date()
        let what = "webhook \(delivery.id) (\(delivery.event)) to \(delivery.url)"
        let status: WebhookDelivery.Status
        var next = now
        var lastStatus: Int?
        var lastError: String?
        switch attempt {
        case .cancelled:
            log("\(what): attempt \(attempts) cancelled by the stop; it is sent again at the next start")
            return
        case .delivered(let code):
            status = .delivered
            lastStatus = code
            log("\(what): delivered (HTTP \(code), attempt \(attempts))")
        case .refused(let message):
            status = .failed
            lastError = message
            log("\(what): failed, not retried: \(message)")
        case .failed(let code, let message):
            lastStatus = code
            if attempts - 1 < schedule.delays.count {
                let delay = schedule.delays[attempts - 1]
                status = .pending
                next = now.addingTimeInterval(delay)
                lastError = message
                log("\(what): attempt \(attempts) failed (\(message)); retrying in \(delay) s")
            } else {
                status = .failed
                lastError = "\(message) (gave up after \(attempts) attempt\(attempts == 1 ? "" : "s"))"
                log("\(what): failed: \(lastError!)")
            }
        }
        do {
            try library.recordAttempt(id: delivery.id, status: status, attempts: attempts, nextAttemptAt: next, lastStatus: lastStatus,
                                      lastError: lastError)
        } catch {
            log("webhooks: cannot record attempt \(attempts) of \(delivery.id): \(error); holding sends for 5 s")
            state.withLock { $0.holdUntil = Date().addingTimeInterval(5) }
        }
    }
}
