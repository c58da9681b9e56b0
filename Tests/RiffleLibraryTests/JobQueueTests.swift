import Foundation
import RiffleAudio
@testable import RiffleLibrary
import Synchronization
import Testing

/// Collects a queue's updates for inspection.
private final class Recorder: Sendable {
    private let updates = Mutex<[JobQueue.Update]>([])
    func record(_ update: JobQueue.Update) { updates.withLock { $0.append(update) } }
    func statuses(_ id: String) -> [JobRecord.Status] {
        updates.withLock { all in
            all.filter { $0.jobID == id }.map(\.status).reduce(into: []) { if $0.last != $1 { $0.append($1) } }
        }
    }
    var all: [JobQueue.Update] { updates.withLock { $0 } }
}

private struct Broken: Error, CustomStringConvertible {
    var description: String { "the SoundFont is missing" }
}

@Suite("The job queue: order, limit, cancel, failure, retry, progress")
struct JobQueueTests {
    @Test("jobs start in the order they were submitted and go pending → processing → completed")
    func order() {
        let recorder = Recorder()
        let started = Mutex<[String]>([])
        let queue = JobQueue(limit: 1, onUpdate: recorder.record)
        for id in ["a", "b", "c", "d"] {
            queue.submit(id) { _ in
                started.withLock { $0.append(id) }
                Thread.sleep(forTimeInterval: 0.01)
            }
        }
        queue.waitUntilIdle()
        #expect(started.withLock { $0 } == ["a", "b", "c", "d"])
        for id in ["a", "b", "c", "d"] {
            #expect(recorder.statuses(id) == [.pending, .processing, .completed])
        }
    }

    @Test("no more jobs run at once than the limit", arguments: [1, 2, 3])
    func limit(limit: Int) {
        let running = Mutex((now: 0, most: 0))
        let queue = JobQueue(limit: limit)
        for index in 0..<8 {
            queue.submit("job\(index)") { _ in
                running.withLock { $0.now += 1; $0.most = max($0.most, $0.now) }
                Thread.sleep(forTimeInterval: 0.02)
                running.withLock { $0.now -= 1 }
            }
        }
        queue.waitUntilIdle()
        #expect(running.withLock { $0.most } == limit)
    }

    @Test("cancelling a pending job means it never starts; cancelling a running one stops it promptly")
    func cancel() throws {
        let recorder = Recorder()
        let queue = JobQueue(limit: 1, onUpdate: recorder.record)
        let began = DispatchSemaphore(value: 0)
        let stoppedAt = Mutex<Date?>(nil)
        queue.submit("long") { context in
            began.signal()
            while true {
                if context.cancellation.isCancelled {
                    stoppedAt.withLock { $0 = Date() }
                    throw EngineError.cancelled
                }
                Thread.sleep(forTimeInterval: 0.005)
            }
        }
        let neverRan = Mutex(true)
        queue.submit("queued") { _ in neverRan.withLock { $0 = false } }
        began.wait()
        queue.cancel("queued")
        let asked = Date()
        queue.cancel("long")
        queue.waitUntilIdle()
        #expect(queue.status("long") == .cancelled)
        #expect(queue.status("queued") == .cancelled)
        #expect(neverRan.withLock { $0 })
        let stopped = try #require(stoppedAt.withLock { $0 })
        #expect(stopped.timeIntervalSince(asked) < 0.5)
        #expect(recorder.statuses("queued") == [.pending, .cancelled])
    }

    @Test("a failed job keeps its error and can be retried")
    func failAndRetry() {
        let recorder = Recorder()
        let attempts = Mutex(0)
        let queue = JobQueue(onUpdate: recorder.record)
        queue.submit("flaky") { _ in
            let attempt = attempts.withLock { $0 += 1; return $0 }
            if attempt == 1 { throw Broken() }
        }
        queue.waitUntilIdle()
        #expect(queue.status("flaky") == .failed)
        #expect(queue.error("flaky") == "the SoundFont is missing")
        #expect(recorder.all.last { $0.jobID == "flaky" }?.error == "the SoundFont is missing")
        #expect(queue.retry("flaky"))
        queue.waitUntilIdle()
        #expect(queue.status("flaky") == .completed)
        #expect(queue.error("flaky") == nil)
        #expect(!queue.retry("flaky"), "a completed job is not retried")
        #expect(!queue.retry("unknown"))
    }

    @Test("progress is throttled, keeps its stage changes, and estimates the time left")
    func progress() throws {
        let recorder = Recorder()
        let queue = JobQueue(progressInterval: 0.05, onUpdate: recorder.record)
        queue.submit("steady") { context in
            for step in 1...100 {
                context.report(Double(step) / 100, stage: step <= 50 ? "rendering" : "mastering")
                Thread.sleep(forTimeInterval: 0.004)
            }
        }
        queue.waitUntilIdle()
        let reports = recorder.all.filter { $0.jobID == "steady" && $0.status == .processing && $0.stage != "starting" }
        #expect(reports.count < 30, "\(reports.count) reports for 100 calls over 0.4 s")
        #expect(reports.count >= 4)
        #expect(reports.contains { $0.stage == "mastering" } && reports.contains { $0.stage == "rendering" })
        let middle = try #require(reports.first { $0.fraction > 0.4 && $0.secondsLeft != nil })
        let left = try #require(middle.secondsLeft)
        #expect(left > 0.05 && left < 2, "about 0.4 s of work in all; \(left) s left at \(middle.fraction)")
        #expect(recorder.all.last { $0.jobID == "steady" }?.fraction == 1)
    }
}
