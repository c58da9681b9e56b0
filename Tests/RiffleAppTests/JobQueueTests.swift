import Foundation
@testable import RiffleApp
import RiffleCore
import RiffleEngine
import Synchronization
import Testing

/// Collects a queue's updates for inspection.
private final class Recorder: Sendable {
    private let updates = Mutex<[JobQueue.Update]>([])
    func record(_ update: JobQueue.Update) { updates.withLock { $0.append(update) } }
    /// The statuses job `id` went through, as its status-change updates announced them.
    func statuses(_ id: String) -> [JobStatus] {
        updates.withLock { all in all.filter { $0.jobID == id && $0.isStatusChange }.map(\.status) }
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
                return nil
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
                return nil
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
        queue.submit("queued") { _ in
            neverRan.withLock { $0 = false }
            return nil
        }
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
        #expect(recorder.statuses("long") == [.pending, .processing, .cancelled])
    }

    @Test("a failed job keeps its error and can be retried")
    func failAndRetry() {
        let recorder = Recorder()
        let attempts = Mutex(0)
        let queue = JobQueue(onUpdate: recorder.record)
        queue.submit("flaky") { _ in
            let attempt = attempts.withLock { $0 += 1; return $0 }
            if attempt == 1 { throw Broken() }
            return nil
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
        #expect(recorder.statuses("flaky") == [.pending, .processing, .failed, .pending, .processing, .completed])
    }

    @Test("a job that completes with problems is completed, with its note as the error")
    func completedWithNote() {
        let recorder = Recorder()
        let queue = JobQueue(onUpdate: recorder.record)
        queue.submit("partial") { _ in "1 of 4 takes failed: take 3: out of memory" }
        queue.wait("partial")
        #expect(queue.status("partial") == .completed)
        #expect(queue.error("partial") == "1 of 4 takes failed: take 3: out of memory")
        let last = recorder.all.last { $0.jobID == "partial" }
        #expect(last?.status == .completed && last?.isStatusChange == true)
        #expect(last?.error == "1 of 4 takes failed: take 3: out of memory")
        #expect(last?.isRejection == false)
    }

    @Test("an edit that does not fit its take fails as a rejection; other failures are not rejections")
    func rejection() {
        let recorder = Recorder()
        let queue = JobQueue(onUpdate: recorder.record)
        queue.submit("misfit") { _ in throw EngineError.invalidEdit("the range 4–9 s is outside the take (0–5 s)") }
        queue.submit("broken") { _ in throw EngineError.failed("the SoundFont is missing") }
        queue.waitUntilIdle()
        let misfit = recorder.all.last { $0.jobID == "misfit" }
        #expect(misfit?.status == .failed)
        #expect(misfit?.isRejection == true)
        #expect(misfit?.error == "the range 4–9 s is outside the take (0–5 s)")
        let broken = recorder.all.last { $0.jobID == "broken" }
        #expect(broken?.status == .failed)
        #expect(broken?.isRejection == false)
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
            return nil
        }
        queue.waitUntilIdle()
        let reports = recorder.all.filter { $0.jobID == "steady" && !$0.isStatusChange }
        #expect(reports.allSatisfy { $0.status == .processing })
        #expect(reports.count < 30, "\(reports.count) reports for 100 calls over 0.4 s")
        #expect(reports.count >= 4)
        #expect(reports.contains { $0.stage == "mastering" } && reports.contains { $0.stage == "rendering" })
        let middle = try #require(reports.first { $0.fraction > 0.4 && $0.secondsLeft != nil })
        let left = try #require(middle.secondsLeft)
        #expect(left > 0.05 && left < 2, "about 0.4 s of work in all; \(left) s left at \(middle.fraction)")
        #expect(recorder.all.last { $0.jobID == "steady" }?.fraction == 1)
        #expect(recorder.statuses("steady") == [.pending, .processing, .completed], "progress reports are not status changes")
    }

    @Test("wait blocks until the job has finished and its last update was delivered; an unknown job does not block")
    func wait() {
        let recorder = Recorder()
        let queue = JobQueue(onUpdate: recorder.record)
        queue.submit("slow") { _ in
            Thread.sleep(forTimeInterval: 0.1)
            return nil
        }
        queue.wait("slow")
        #expect(queue.status("slow") == .completed)
        #expect(recorder.statuses("slow").last == .completed, "the last update reached the watcher before wait returned")
        let started = Date()
        queue.wait("never submitted")
        #expect(Date().timeIntervalSince(started) < 0.5)
    }

    @Test("isActive and activeIDs name exactly the jobs pending or running")
    func active() {
        let queue = JobQueue(limit: 1)
        let release = DispatchSemaphore(value: 0)
        let began = DispatchSemaphore(value: 0)
        queue.submit("running") { _ in
            began.signal()
            release.wait()
            return nil
        }
        queue.submit("waiting") { _ in nil }
        began.wait()
        #expect(queue.isActive("running"))
        #expect(queue.isActive("waiting"))
        #expect(!queue.isActive("unknown"))
        #expect(Set(queue.activeIDs) == ["running", "waiting"])
        release.signal()
        queue.waitUntilIdle()
        #expect(!queue.isActive("running"))
        #expect(!queue.isActive("waiting"))
        #expect(queue.activeIDs.isEmpty)
    }

    @Test("a job submitted just as another finishes is still reported pending before processing")
    func submitWhileAnotherFinishes() {
        // The watcher is slow to take the new job's "pending" (a library write, say); the job before it
        // finishes meanwhile, which starts the new one. Its updates must still arrive in order.
        let release = DispatchSemaphore(value: 0)
        let recorder = Recorder()
        let queue = JobQueue(limit: 1) { update in
            if update.jobID == "second", update.status == .pending {
                release.signal()
                Thread.sleep(forTimeInterval: 0.2)
            }
            recorder.record(update)
        }
        queue.submit("first") { _ in
            release.wait()
            return nil
        }
        queue.submit("second") { _ in nil }
        queue.waitUntilIdle()
        queue.wait("second")
        #expect(recorder.statuses("second") == [.pending, .processing, .completed])
    }

    @Test("a job cancelled while its pending report is being delivered never starts")
    func cancelWhileReportingPending() {
        let recorder = Recorder()
        let ran = Mutex(false)
        let box = Mutex<JobQueue?>(nil)
        let queue = JobQueue(limit: 1) { update in
            recorder.record(update)
            if update.jobID == "x", update.status == .pending {
                box.withLock { $0 }?.cancel("x")
            }
        }
        box.withLock { $0 = queue }
        queue.submit("x") { _ in
            ran.withLock { $0 = true }
            return nil
        }
        queue.wait("x")
        queue.waitUntilIdle()
        #expect(!ran.withLock { $0 })
        #expect(queue.status("x") == .cancelled)
        #expect(recorder.statuses("x") == [.pending, .cancelled])
        box.withLock { $0 = nil }
    }
}
