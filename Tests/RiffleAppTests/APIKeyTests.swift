import Foundation
import GRDB
@testable import RiffleApp
import RiffleCore
import RiffleEngine
import RiffleTestSupport
import Testing

private func job(_ id: String, status: JobStatus) -> JobRecord {
    JobRecord(id: id, kind: .generate, status: status, prompt: "dusty lo-fi",
              request: GenerationRequest(prompt: "dusty lo-fi", genre: "lo-fi", seed: 7, guidanceScale: 3),
              engine: EngineIdentity(name: "composer", version: "1"), createdAt: Date(timeIntervalSince1970: 1_800_000_000))
}

/// Every byte of the library's database files (the WAL too, where fresh rows are).
private func databaseBytes(_ directory: URL) throws -> Data {
    var bytes = Data()
    for name in ["riffle.sqlite", "riffle.sqlite-wal"] where FileManager.default.fileExists(atPath: directory.appendingPathComponent(name).path) {
        bytes += try Data(contentsOf: directory.appendingPathComponent(name))
    }
    return bytes
}

/// 2027-03-10 12:00:00 UTC, on a minute boundary.
private let noon = Date(timeIntervalSince1970: 1_804_680_000)

@Suite("API keys: hashed keys, per-minute windows, monthly quotas and API jobs in the library")
struct APIKeyTests {
    @Test("a new key has the documented forms, and authenticates; a wrong or revoked key does not")
    func authenticates() throws {
        let temporary = try TemporaryDirectory()
        let library = try Library(directory: temporary.url)
        #expect(try !library.hasActiveAPIKeys())
        let created = try library.createAPIKey(name: "ci", limits: APIKeyLimits(requestsPerMinute: 60))
        #expect(created.secret.wholeMatch(of: /rk_[0-9A-Za-z]{40}/) != nil)
        #expect(created.key.id.wholeMatch(of: /key_[0-9a-f]{12}/) != nil)
        #expect(created.key.prefix == String(created.secret.prefix(12)))
        #expect(created.key.webhookSecret.hasPrefix("whsec_"))
        #expect(Data(base64Encoded: String(created.key.webhookSecret.dropFirst(6)))?.count == 24)
        #expect(try library.hasActiveAPIKeys())

        let found = try #require(try library.authenticate(apiKey: created.secret))
        #expect(found.id == created.key.id && found.limits.requestsPerMinute == 60 && found.lastUsedAt != nil)
        #expect(try library.authenticate(apiKey: created.secret + "x") == nil)
        #expect(try library.authenticate(apiKey: "") == nil)

        let revoked = try library.revokeAPIKey("ci")
        #expect(revoked.revokedAt != nil)
        #expect(try library.authenticate(apiKey: created.secret) == nil)
        #expect(try !library.hasActiveAPIKeys())
        // Revoking again changes nothing; an unknown key is named in the error.
        #expect(try library.revokeAPIKey(created.key.id) == revoked)
        #expect(throws: Library.Failure.self) { try library.revokeAPIKey("nobody") }
        do { _ = try library.revokeAPIKey("nobody") } catch { #expect(error.description == "no API key named or with id nobody") }
        #expect(try library.apiKeys().isEmpty)
        #expect(try library.apiKeys(includingRevoked: true).map(\.name) == ["ci"])
    }

    @Test("last used is written at most once a minute")
    func lastUsed() throws {
        let temporary = try TemporaryDirectory()
        let library = try Library(directory: temporary.url)
        let created = try library.createAPIKey(name: "ci")
        let first = try #require(try library.authenticate(apiKey: created.secret, now: noon))
        #expect(first.lastUsedAt == noon)
        #expect(try library.authenticate(apiKey: created.secret, now: noon + 30)?.lastUsedAt == noon)
        #expect(try library.authenticate(apiKey: created.secret, now: noon + 61)?.lastUsedAt == noon + 61)
        #expect(try library.apiKeys().first?.lastUsedAt == noon + 61)
    }

    @Test("the database holds the key's hash, never the key")
    func onlyTheHash() throws {
        let temporary = try TemporaryDirectory()
        let secret: String
        do {
            let library = try Library(directory: temporary.url)
            secret = try library.createAPIKey(name: "ci").secret
        }
        let bytes = try databaseBytes(temporary.url)
        #expect(bytes.range(of: Data(APIKeySecret.digest(secret).utf8)) != nil)
        #expect(bytes.range(of: Data(secret.utf8)) == nil)
        let database = try DatabaseQueue(path: temporary.path("riffle.sqlite"))
        let stored = try database.read { try String.fetchAll($0, sql: "SELECT key_hash FROM api_key") }
        #expect(stored == [APIKeySecret.digest(secret)])
        #expect(APIKeySecret.digest("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    }

    @Test("names must be given and unique, revoked keys' included; limits must be positive")
    func refusals() throws {
        let temporary = try TemporaryDirectory()
        let library = try Library(directory: temporary.url)
        _ = try library.createAPIKey(name: "ci")
        func refusal(_ name: String, _ limits: APIKeyLimits = APIKeyLimits()) -> String? {
            do { _ = try library.createAPIKey(name: name, limits: limits); return nil } catch { return error.description }
        }
        #expect(refusal("ci")?.contains("an API key named \"ci\" already exists") == true)
        #expect(refusal("  ")?.contains("a name is required") == true)
        #expect(refusal("key_0123")?.contains("may not start with \"key_\"") == true)
        _ = try library.revokeAPIKey("ci")
        #expect(refusal(" ci ")?.contains("already exists") == true)
        let limits = refusal("other", APIKeyLimits(requestsPerMinute: 0, monthlyMinutes: -1))
        #expect(limits == "API key limits: requests per minute must be 1 or more (got 0); monthly minutes must be a positive number (got -1.0)")
        #expect(try library.apiKeys(includingRevoked: true).count == 1)
    }

    @Test("a fixed one-minute window: the limit, then refusals with 0 remaining, then the next minute")
    func rateWindows() throws {
        let temporary = try TemporaryDirectory()
        let library = try Library(directory: temporary.url)
        let key = try library.createAPIKey(name: "ci").key.id
        let decisions = try (0..<3).map { try library.countRequest(keyID: key, limit: 3, now: noon + Double($0) * 10) }
        #expect(decisions.map(\.allowed) == [true, true, true])
        #expect(decisions.map(\.remaining) == [2, 1, 0])
        #expect(decisions.map(\.resetSeconds) == [60, 50, 40])
        let refused = try library.countRequest(keyID: key, limit: 3, now: noon + 45.5)
        #expect(!refused.allowed && refused.remaining == 0 && refused.limit == 3)
        #expect((1...60).contains(refused.resetSeconds) && refused.resetSeconds == 15)
        // Another key has its own window.
        #expect(try library.countRequest(keyID: "key_other", limit: 3, now: noon + 50).remaining == 2)

        // Refusals were not counted, and the count survives reopening the library.
        let reopened = try Library(directory: temporary.url)
        #expect(try !reopened.countRequest(keyID: key, limit: 3, now: noon + 59).allowed)
        let next = try reopened.countRequest(keyID: key, limit: 3, now: noon + 60)
        #expect(next.allowed && next.remaining == 2 && next.resetSeconds == 60)
        // Old windows are forgotten.
        _ = try reopened.countRequest(keyID: key, limit: 3, now: noon + 600)
        let database = try DatabaseQueue(path: temporary.path("riffle.sqlite"))
        #expect(try database.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM api_rate_window") } == 1)
    }

    @Test("requests at once through two connections to one library never pass the limit together")
    func concurrentRequests() async throws {
        let temporary = try TemporaryDirectory()
        let libraries = [try Library(directory: temporary.url), try Library(directory: temporary.url)]
        let allowed = try await withThrowingTaskGroup(of: Bool.self) { group in
            for index in 0..<24 {
                group.addTask { try libraries[index % 2].countRequest(keyID: "key_a", limit: 5, now: noon + 1).allowed }
            }
            return try await group.reduce(0) { $0 + ($1 ? 1 : 0) }
        }
        #expect(allowed == 5)
    }

    @Test("jobs charge their key's month; one that would pass the monthly limit is refused and charges nothing")
    func monthlyQuota() throws {
        let temporary = try TemporaryDirectory()
        let library = try Library(directory: temporary.url)
        let key = try library.createAPIKey(name: "ci", limits: APIKeyLimits(monthlyMinutes: 1)).key.id
        let month = Library.monthName(noon)
        #expect(month == "2027-03")
        #expect(Library.monthName(Date(timeIntervalSince1970: 1_800_000_000)) == "2027-01")
        for id in ["j1", "j2", "j3"] { try library.insert(job(id, status: .pending)) }

        try library.insert(APIJob(jobID: "j1", keyID: key, chargedSeconds: 40, createdAt: noon), monthlyLimitSeconds: 60)
        #expect(try library.secondsUsed(keyID: key, month: month) == 40)
        do {
            try library.insert(APIJob(jobID: "j2", keyID: key, chargedSeconds: 30, createdAt: noon), monthlyLimitSeconds: 60)
            Issue.record("a job over the monthly limit was accepted")
        } catch let quota as QuotaExceeded {
            #expect(quota == QuotaExceeded(usedSeconds: 40, requestedSeconds: 30, limitSeconds: 60))
        }
        #expect(try library.apiJob("j2") == nil)
        try library.insert(APIJob(jobID: "j2", keyID: key, chargedSeconds: 20, createdAt: noon), monthlyLimitSeconds: 60)
        #expect(try Library(directory: temporary.url).secondsUsed(keyID: key, month: month) == 60)
        // The next month starts again.
        try library.insert(APIJob(jobID: "j3", keyID: key, chargedSeconds: 30, createdAt: noon + 31 * 86400), monthlyLimitSeconds: 60)
        #expect(try library.secondsUsed(keyID: key, month: "2027-04") == 30)
        #expect(try library.secondsUsed(keyID: "key_nobody", month: month) == 0)
    }

    @Test("API jobs round-trip, are found by idempotency key per API key, and go with their job")
    func apiJobs() throws {
        let temporary = try TemporaryDirectory()
        let library = try Library(directory: temporary.url)
        for id in ["j1", "j2", "j3"] { try library.insert(job(id, status: .pending)) }
        let first = APIJob(jobID: "j1", keyID: "key_a", webhookURL: "https://example.com/hook", webhookEvents: ["job.completed", "job.failed"],
                           idempotencyKey: "retry-1", requestDigest: "abc", chargedSeconds: 30, createdAt: noon)
        try library.insert(first)
        #expect(try library.apiJob("j1") == first)
        #expect(try library.apiJob(keyID: "key_a", idempotencyKey: "retry-1") == first)
        #expect(try library.apiJob(keyID: "key_b", idempotencyKey: "retry-1") == nil)
        #expect(try library.apiJob(keyID: nil, idempotencyKey: "retry-1") == nil)

        // The same idempotency key is refused for the same API key, and for keyless jobs too.
        #expect(throws: Library.Failure.self) { try library.insert(APIJob(jobID: "j2", keyID: "key_a", idempotencyKey: "retry-1")) }
        try library.insert(APIJob(jobID: "j2", idempotencyKey: "retry-1", createdAt: noon))
        #expect(try library.apiJob(keyID: nil, idempotencyKey: "retry-1")?.jobID == "j2")
        #expect(throws: Library.Failure.self) { try library.insert(APIJob(jobID: "j3", idempotencyKey: "retry-1")) }
        #expect(throws: Library.Failure.self) { try library.insert(APIJob(jobID: "j1")) }
        #expect(throws: Library.Failure.self) { try library.insert(APIJob(jobID: "nope")) }

        #expect(try library.apiJobs(forJobs: ["j1", "j2", "j3"]).keys.sorted() == ["j1", "j2"])
        try library.delete(job: "j1")
        #expect(try library.apiJob("j1") == nil)
    }

    @Test("active jobs count a key's pending and processing jobs only")
    func activeJobs() throws {
        let temporary = try TemporaryDirectory()
        let library = try Library(directory: temporary.url)
        for id in ["j1", "j2", "j3"] {
            try library.insert(job(id, status: .pending))
            try library.insert(APIJob(jobID: id, keyID: id == "j3" ? "key_b" : "key_a"))
        }
        #expect(try library.activeJobCount(keyID: "key_a") == 2)
        try library.update(job: "j1", to: .processing)
        #expect(try library.activeJobCount(keyID: "key_a") == 2)
        try library.update(job: "j1", to: .completed)
        #expect(try library.activeJobCount(keyID: "key_a") == 1)
        try library.update(job: "j2", to: .failed, error: "boom")
        #expect(try library.activeJobCount(keyID: "key_a") == 0)
        #expect(try library.activeJobCount(keyID: "key_b") == 1)
    }
}
