import Foundation
@testable import RiffleApp
import RiffleTestSupport
import Synchronization
import Testing

/// What a dispatcher logged, for a failing test's message.
private final class Lines: Sendable {
    private let lines = Mutex<[String]>([])
    func add(_ line: String) { lines.withLock { $0.append(line) } }
    var text: String { lines.withLock { $0.joined(separator: "\n") } }
}

private let payload = Data(#"{"type":"job.completed","data":{"job_id":"job_1","takes":2}}"#.utf8)

// Serialized: each test times retries a fraction of a second apart.
@Suite("The webhook dispatcher: signed deliveries to a receiver on 127.0.0.1, retried, resumed after a restart", .serialized)
struct WebhookDispatcherTests {
    @Test("retries failed attempts with the same webhook-id, every one signed, until a 2xx")
    func retriesUntilDelivered() throws {
        let temporary = try TemporaryDirectory()
        let library = try Library(directory: temporary.url)
        let receiver = try WebhookReceiver(failing: 2)
        let log = Lines()
        let dispatcher = WebhookDispatcher(library: library, allowPrivate: true, schedule: .init(delays: [0.2, 0.4]), timeout: 5,
                                           log: log.add)
        dispatcher.start()
        let secret = WebhookSigner.newSecret()
        let queued = try dispatcher.enqueue(jobID: "job_1", keyID: "key_1", url: receiver.endpoint + "/hooks/riffle", event: "job.completed",
                                            payload: payload, secret: secret)
        #expect(queued.status == .pending && queued.attempts == 0)
        #expect(try eventually(timeout: 20) { try library.deliveries(jobID: "job_1").first?.status == .delivered }, "\(log.text)")
        dispatcher.stop(flushTimeout: 1)

        let delivery = try #require(try library.deliveries(jobID: "job_1").first)
        #expect(delivery.id == queued.id)
        #expect(delivery.attempts == 3)
        #expect(delivery.lastStatus == 200)
        #expect(delivery.lastError == nil)
        #expect(delivery.deliveredAt != nil)
        #expect(delivery.keyID == "key_1")
        #expect(delivery.payload == payload)

        let requests = try receiver.requests()
        #expect(requests.count == 3)
        let signer = try WebhookSigner(secret: secret)
        var timestamps: [Int] = []
        for request in requests {
            #expect(request.method == "POST")
            #expect(request.path == "/hooks/riffle")
            #expect(request.headers["webhook-id"] == delivery.id)
            #expect(request.headers["content-type"] == "application/json")
            #expect(request.bodyData == payload)
            let timestamp = try #require(request.headers["webhook-timestamp"].flatMap { Int($0) })
            timestamps.append(timestamp)
            #expect(signer.verify(id: delivery.id, timestamp: timestamp, body: request.bodyData,
                                  signatureHeader: request.headers["webhook-signature"] ?? ""))
        }
        #expect(timestamps == timestamps.sorted())
        #expect(log.text.contains("attempt 1 failed (HTTP 500: failing on purpose); retrying in 0.2 s"), "\(log.text)")
    }

    @Test("a dispatcher stopped mid-retry leaves the delivery pending; a new one over the library delivers it")
    func resumesAfterRestart() throws {
        let temporary = try TemporaryDirectory()
        let receiver = try WebhookReceiver(failing: 2)
        let first = WebhookDispatcher(library: try Library(directory: temporary.url), allowPrivate: true,
                                      schedule: .init(delays: [0.2, 1.5]), timeout: 5)
        first.start()
        let queued = try first.enqueue(jobID: "job_2", keyID: nil, url: receiver.endpoint + "/hook", event: "job.failed", payload: payload,
                                       secret: WebhookSigner.newSecret())
        let library = try Library(directory: temporary.url)
        #expect(try eventually(timeout: 20) { try library.deliveries().first?.attempts == 2 })
        // The third attempt is 1.5 s away: the flush has nothing due, and stops at once.
        let stopping = Date()
        first.stop(flushTimeout: 1)
        #expect(Date().timeIntervalSince(stopping) < 1)
        Thread.sleep(forTimeInterval: 1.7)
        #expect(try receiver.requests().count == 2)
        let pending = try #require(try library.deliveries(jobID: "job_2").first)
        #expect(pending.status == .pending)
        #expect(pending.lastStatus == 500)
        #expect(pending.lastError == "HTTP 500: failing on purpose")

        // A restart: a new library and dispatcher over the same folder.
        let second = WebhookDispatcher(library: try Library(directory: temporary.url), allowPrivate: true,
                                       schedule: .init(delays: [0.2, 0.4]), timeout: 5)
        second.start()
        #expect(try eventually(timeout: 20) { try library.deliveries().first?.status == .delivered })
        second.stop(flushTimeout: 1)
        let delivery = try #require(try library.deliveries().first)
        #expect(delivery.attempts == 3)
        let requests = try receiver.requests()
        #expect(requests.count == 3)
        #expect(requests.allSatisfy { $0.headers["webhook-id"] == queued.id })
    }

    @Test("stopping with a flush timeout sends what is due first")
    func flushesDue() throws {
        let temporary = try TemporaryDirectory()
        let library = try Library(directory: temporary.url)
        let receiver = try WebhookReceiver()
        // Stored while no dispatcher runs: the worker's first look finds it.
        try library.insert(WebhookDelivery(jobID: "job_3", url: receiver.endpoint, event: "job.completed", payload: payload,
                                           secret: WebhookSigner.newSecret()))
        let dispatcher = WebhookDispatcher(library: library, allowPrivate: true, schedule: .init(delays: [0.2]))
        dispatcher.start()
        dispatcher.stop(flushTimeout: 10)
        #expect(try library.deliveries().first?.status == .delivered)
        #expect(try receiver.requests().count == 1)
    }

    @Test("a slow receiver does not hold up deliveries to another")
    func concurrent() throws {
        let temporary = try TemporaryDirectory()
        let library = try Library(directory: temporary.url)
        let slow = try WebhookReceiver(delay: 4)
        let fast = try WebhookReceiver()
        let dispatcher = WebhookDispatcher(library: library, allowPrivate: true, schedule: .init(delays: [0.2]), timeout: 10)
        let secret = WebhookSigner.newSecret()
        let stuck = try dispatcher.enqueue(jobID: "job_s", keyID: nil, url: slow.endpoint, event: "job.completed", payload: payload,
                                           secret: secret)
        let quick = try dispatcher.enqueue(jobID: "job_f", keyID: nil, url: fast.endpoint, event: "job.completed", payload: payload,
                                           secret: secret)
        dispatcher.start()
        #expect(try eventually(timeout: 20) { try library.deliveries(jobID: "job_f").first?.status == .delivered })
        // The slow one has its request but not yet its answer.
        #expect(try library.deliveries(jobID: "job_s").first?.status == .pending)
        #expect(try slow.requests().map { $0.headers["webhook-id"] } == [stuck.id])
        #expect(try fast.requests().map { $0.headers["webhook-id"] } == [quick.id])
        dispatcher.stop(flushTimeout: 10)
        #expect(try library.deliveries(jobID: "job_s").first?.status == .delivered)
    }

    @Test("a stop whose flush time runs out cancels what is in flight, which is not counted as an attempt")
    func stopCancels() throws {
        let temporary = try TemporaryDirectory()
        let library = try Library(directory: temporary.url)
        let slow = try WebhookReceiver(delay: 5)
        let dispatcher = WebhookDispatcher(library: library, allowPrivate: true, schedule: .init(delays: [0.2]), timeout: 10)
        try dispatcher.enqueue(jobID: "job_c", keyID: nil, url: slow.endpoint, event: "job.completed", payload: payload,
                               secret: WebhookSigner.newSecret())
        dispatcher.start()
        #expect(try eventually(timeout: 20) { try slow.requests().count == 1 })
        let stopping = Date()
        dispatcher.stop(flushTimeout: 0.3)
        #expect(Date().timeIntervalSince(stopping) < 3)
        let delivery = try #require(try library.deliveries().first)
        #expect(delivery.status == .pending)
        #expect(delivery.attempts == 0)
    }

    @Test("a private URL is refused at send time when private addresses are not allowed, at once and saying why")
    func refusesPrivate() throws {
        let temporary = try TemporaryDirectory()
        let library = try Library(directory: temporary.url)
        let receiver = try WebhookReceiver()
        let dispatcher = WebhookDispatcher(library: library, allowPrivate: false, schedule: .init(delays: [0.2, 0.4]))
        dispatcher.start()
        defer { dispatcher.stop(flushTimeout: 0) }
        let queued = try dispatcher.enqueue(jobID: "job_4", keyID: nil, url: receiver.endpoint + "/hook", event: "job.completed",
                                            payload: payload, secret: WebhookSigner.newSecret())
        #expect(try eventually(timeout: 20) { try library.deliveries().first?.status == .failed })
        let delivery = try #require(try library.deliveries().first)
        #expect(delivery.id == queued.id)
        #expect(delivery.attempts == 1)
        #expect(delivery.lastStatus == nil)
        let reason = try #require(delivery.lastError)
        #expect(reason.contains(receiver.endpoint) && reason.contains("127.0.0.1 is a loopback address"), "\(reason)")
        #expect(reason.contains("start the server with --allow-private-webhooks to allow it"))
        #expect(try receiver.requests().isEmpty)
    }

    @Test("out of retries, the delivery fails with the last answer")
    func givesUp() throws {
        let temporary = try TemporaryDirectory()
        let library = try Library(directory: temporary.url)
        let receiver = try WebhookReceiver(failing: 100)
        let dispatcher = WebhookDispatcher(library: library, allowPrivate: true, schedule: .init(delays: [0.1]))
        dispatcher.start()
        defer { dispatcher.stop(flushTimeout: 0) }
        try dispatcher.enqueue(jobID: "job_5", keyID: nil, url: receiver.endpoint, event: "job.completed", payload: payload,
                               secret: WebhookSigner.newSecret())
        #expect(try eventually(timeout: 20) { try library.deliveries().first?.status == .failed })
        let delivery = try #require(try library.deliveries().first)
        #expect(delivery.attempts == 2)
        #expect(delivery.lastStatus == 500)
        #expect(delivery.lastError == "HTTP 500: failing on purpose (gave up after 2 attempts)")
        #expect(delivery.deliveredAt == nil)
        #expect(try receiver.requests().count == 2)
    }

    @Test("no answer at all (a closed port) is a failed attempt too")
    func connectionRefused() throws {
        let temporary = try TemporaryDirectory()
        let library = try Library(directory: temporary.url)
        // A port that was free a moment ago: the receiver is gone.
        let endpoint = try WebhookReceiver().endpoint
        let dispatcher = WebhookDispatcher(library: library, allowPrivate: true, schedule: .init(delays: []), timeout: 5)
        dispatcher.start()
        defer { dispatcher.stop(flushTimeout: 0) }
        try dispatcher.enqueue(jobID: "job_6", keyID: nil, url: endpoint, event: "job.completed", payload: payload,
                               secret: WebhookSigner.newSecret())
        #expect(try eventually(timeout: 20) { try library.deliveries().first?.status == .failed })
        let delivery = try #require(try library.deliveries().first)
        #expect(delivery.attempts == 1)
        #expect(delivery.lastStatus == nil)
        #expect(delivery.lastError?.hasSuffix("(gave up after 1 attempt)") == true, "\(delivery.lastError ?? "")")
    }

    @Test("a secret that is not whsec_ base64 is refused when queued")
    func badSecret() throws {
        let temporary = try TemporaryDirectory()
        let library = try Library(directory: temporary.url)
        let dispatcher = WebhookDispatcher(library: library, allowPrivate: true)
        let error = try #require(throws: WebhookDispatcher.EnqueueError.self) {
            try dispatcher.enqueue(jobID: "job_7", keyID: nil, url: "http://127.0.0.1:9/", event: "job.completed", payload: payload,
                                   secret: "hunter2!")
        }
        #expect("\(error)".contains("whsec_"))
        #expect(try library.deliveries().isEmpty)
    }
}
