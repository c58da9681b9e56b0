import Foundation
import GRDB
@testable import RiffleApp
import RiffleTestSupport
import Testing

private func delivery(_ id: String, job: String, due: Double, created: Double) -> WebhookDelivery {
    WebhookDelivery(id: id, jobID: job, keyID: "key_1", url: "https://hooks.example.test/\(id)", event: "job.completed",
                    payload: Data(#"{"n": 1}"#.utf8), secret: "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
                    nextAttemptAt: Date(timeIntervalSince1970: 1_800_000_000 + due), createdAt: Date(timeIntervalSince1970: 1_800_000_000 + created))
}

@Suite("The library's webhook deliveries")
struct LibraryWebhookTests {
    @Test("stores deliveries whole, and answers which are due and when the next is")
    func dueAndNext() throws {
        let temporary = try TemporaryDirectory()
        let library = try Library(directory: temporary.url)
        #expect(try library.nextDeliveryDate() == nil)
        let a = delivery("msg_a", job: "job_1", due: 30, created: 0)
        let b = delivery("msg_b", job: "job_2", due: 10, created: 1)
        let c = delivery("msg_c", job: "job_1", due: 20, created: 2)
        for item in [a, b, c] { try library.insert(item) }
        #expect(try library.deliveries() == [a, b, c])
        #expect(try library.deliveries(jobID: "job_1") == [a, c])
        #expect(try library.deliveries(jobID: "job_9").isEmpty)
        let base = Date(timeIntervalSince1970: 1_800_000_000)
        #expect(try library.nextDeliveryDate() == b.nextAttemptAt)
        #expect(try library.dueDeliveries(now: base.addingTimeInterval(5), limit: 10).isEmpty)
        #expect(try library.dueDeliveries(now: base.addingTimeInterval(20), limit: 10).map(\.id) == ["msg_b", "msg_c"])
        #expect(try library.dueDeliveries(now: base.addingTimeInterval(60), limit: 2).map(\.id) == ["msg_b", "msg_c"])

        try library.recordAttempt(id: "msg_b", status: .pending, attempts: 1, nextAttemptAt: base.addingTimeInterval(40), lastStatus: 503,
                                  lastError: "HTTP 503")
        try library.recordAttempt(id: "msg_c", status: .delivered, attempts: 1, nextAttemptAt: base.addingTimeInterval(21), lastStatus: 204,
                                  lastError: nil)
        #expect(try library.dueDeliveries(now: base.addingTimeInterval(35), limit: 10).map(\.id) == ["msg_a"])
        #expect(try library.nextDeliveryDate() == a.nextAttemptAt)
        let retried = try #require(try library.deliveries(jobID: "job_2").first)
        #expect(retried.status == .pending && retried.attempts == 1 && retried.lastStatus == 503 && retried.lastError == "HTTP 503")
        #expect(retried.deliveredAt == nil)
        let delivered = try #require(try library.deliveries().first { $0.id == "msg_c" })
        #expect(delivered.status == .delivered && delivered.deliveredAt != nil)
        #expect(throws: Library.Failure.self) {
            try library.recordAttempt(id: "msg_zz", status: .failed, attempts: 1, nextAttemptAt: base, lastStatus: nil, lastError: nil)
        }
    }

    @Test("a delivery outlives its job")
    func outlivesJob() throws {
        let temporary = try TemporaryDirectory()
        let library = try Library(directory: temporary.url)
        // No job row at all: the table has no foreign key to job.
        try library.insert(delivery("msg_a", job: "job_gone", due: 0, created: 0))
        #expect(try library.deliveries(jobID: "job_gone").count == 1)
        let database = try DatabaseQueue(path: temporary.path("riffle.sqlite"))
        let foreignKeys = try database.read { try Row.fetchAll($0, sql: "PRAGMA foreign_key_list(webhook_delivery)") }
        #expect(foreignKeys.isEmpty)
        let indexes = try database.read { try Row.fetchAll($0, sql: "PRAGMA index_list(webhook_delivery)") }.map { $0["name"] as String }
        #expect(indexes.contains("webhook_delivery_on_status_next_attempt_at"))
    }
}
