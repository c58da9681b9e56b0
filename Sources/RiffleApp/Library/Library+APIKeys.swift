import Foundation
import GRDB

/// API keys, their per-minute windows and monthly usage, and what the HTTP API keeps about its jobs.
///
/// Everything is in the library's database, so limits hold across restarts and between processes
/// sharing a library; each check that must not race (a rate window, a monthly quota) is one write
/// transaction.
extension Library {
    // MARK: Keys

    /// Makes a key named `name` with `limits`; the result carries the secret, which is not kept.
    ///
    /// Refuses a blank name, one taken by any key (revoked ones included: names stay unique so logs
    /// stay unambiguous), one starting with "key_" (the form of ids), and limits that are not positive.
    public func createAPIKey(name: String, limits: APIKeyLimits = APIKeyLimits(), now: Date = Date()) throws(Failure) -> CreatedAPIKey {
        let name = name.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !name.isEmpty else { throw Failure(description: "API key name: a name is required") }
        guard !name.hasPrefix("key_") else {
            throw Failure(description: "API key name \"\(name)\": names may not start with \"key_\", which is how ids start")
        }
        let problems = limits.problems
        guard problems.isEmpty else { throw Failure(description: "API key limits: " + problems.joined(separator: "; ")) }
        let secret = APIKeySecret.newKey()
        let key = APIKey(id: APIKeySecret.newID(), name: name, prefix: APIKeySecret.prefix(of: secret),
                         webhookSecret: APIKeySecret.newWebhookSecret(), limits: limits, createdAt: now)
        let stored = try write { db in
            guard try APIKeyRow.filter(Column("name") == name).fetchCount(db) == 0 else {
                throw Failure(description: "an API key named \"\(name)\" already exists (names stay taken after revoking)")
            }
            try APIKeyRow(key, hash: APIKeySecret.digest(secret)).insert(db)
            // As stored (times to the millisecond), so it equals the key as later read.
            return try APIKeyRow.fetchOne(db, key: key.id)?.key ?? key
        }
        return CreatedAPIKey(key: stored, secret: secret)
    }

    /// Every key, oldest first; revoked ones only when `includingRevoked`.
    public func apiKeys(includingRevoked: Bool = false) throws(Failure) -> [APIKey] {
        try read { db in
            var request = APIKeyRow.order(Column("created_at"), Column.rowID)
            if !includingRevoked { request = request.filter(Column("revoked_at") == nil) }
            return try request.fetchAll(db).map(\.key)
        }
    }

    /// Stops accepting the key with id or name `idOrName` and returns it; one already revoked is returned
    /// as it is. An id is matched before a name.
    public func revokeAPIKey(_ idOrName: String, now: Date = Date()) throws(Failure) -> APIKey {
        try write { db in
            guard var row = try APIKeyRow.fetchOne(db, key: idOrName) ?? APIKeyRow.filter(Column("name") == idOrName).fetchOne(db) else {
                throw Failure(description: "no API key named or with id \(idOrName)")
            }
            if row.revokedAt == nil {
                row.revokedAt = now
                try row.update(db)
                row = try APIKeyRow.fetchOne(db, key: row.id) ?? row
            }
            return row.key
        }
    }

    /// The active key whose secret is `apiKey`; `nil` for an unknown or revoked one.
    ///
    /// Notes when the key was last used, at most once a minute, so a busy key does not cost a write
    /// per request; that note is best effort and never fails authentication (a read-only library).
    public func authenticate(apiKey: String, now: Date = Date()) throws(Failure) -> APIKey? {
        let hash = APIKeySecret.digest(apiKey)
        guard var key = try read({ db in try APIKeyRow.filter(Column("key_hash") == hash).fetchOne(db) })?.key, key.isActive else {
            return nil
        }
        if key.lastUsedAt.map({ now.timeIntervalSince($0) >= 60 || now < $0 }) ?? true, access == .readWrite {
            let stamped = try? write { db in
                try db.execute(sql: "UPDATE api_key SET last_used_at = ? WHERE id = ?", arguments: [now, key.id])
            }
            if stamped != nil { key.lastUsedAt = now }
        }
        return key
    }

    /// Whether any key is active: a server with none may run open, one with any must check them.
    public func hasActiveAPIKeys() throws(Failure) -> Bool {
        try read { db in try APIKeyRow.filter(Column("revoked_at") == nil).fetchCount(db) > 0 }
    }

    // MARK: Rate windows

    /// Counts a request by key `keyID` against `limit` requests per fixed one-minute window (UTC minutes
    /// since 1970), and says whether it is allowed. A refused request is not counted.
    ///
    /// One write transaction increments the window only while it is under the limit, and forgets
    /// windows older than two minutes, so concurrent requests, in this process or another, cannot
    /// together pass the limit.
    public func countRequest(keyID: String, limit: Int, now: Date = Date()) throws(Failure) -> RateDecision {
        let seconds = now.timeIntervalSince1970
        let window = Int64((seconds / 60).rounded(.down))
        let reset = min(60, max(1, Int((Double(window + 1) * 60 - seconds).rounded(.up))))
        guard limit > 0 else { return RateDecision(allowed: false, limit: max(limit, 0), remaining: 0, resetSeconds: reset) }
        return try write { db in
            try db.execute(sql: "DELETE FROM api_rate_window WHERE window_start < ?", arguments: [window - 1])
            // The upsert takes the write lock before anything is read, and changes nothing once the
            // window is full.
            try db.execute(sql: """
                INSERT INTO api_rate_window (key_id, window_start, count) VALUES (?, ?, 1)
                ON CONFLICT (key_id, window_start) DO UPDATE SET count = count + 1 WHERE count < ?
                """, arguments: [keyID, window, limit])
            let allowed = db.changesCount > 0
            let count = try Int.fetchOne(db, sql: "SELECT count FROM api_rate_window WHERE key_id = ? AND window_start = ?",
                                         arguments: [keyID, window]) ?? 0
            return RateDecision(allowed: allowed, limit: limit, remaining: allowed ? max(0, limit - count) : 0, resetSeconds: reset)
        }
    }

    // MARK: Monthly usage

    /// Seconds of audio charged to key `keyID` in `month` ("2026-12", see ``monthName(_:)``); 0 when none.
    public func secondsUsed(keyID: String, month: String) throws(Failure) -> Double {
        try read { db in
            try Double.fetchOne(db, sql: "SELECT seconds FROM api_usage_month WHERE key_id = ? AND month = ?", arguments: [keyID, month]) ?? 0
        }
    }

    /// The UTC month of `date`, "yyyy-MM": how usage is counted.
    public static func monthName(_ date: Date) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let parts = calendar.dateComponents([.year, .month], from: date)
        return String(format: "%04d-%02d", parts.year ?? 0, parts.month ?? 0)
    }

    // MARK: API jobs

    /// Records what the API keeps about a job (which must already be in the library) and charges its
    /// `chargedSeconds` to its key's month (that of `createdAt`), in one transaction.
    ///
    /// With `monthlyLimitSeconds`, the charge is checked against it in the same transaction: when the
    /// key's month would go over it, nothing is written and ``QuotaExceeded`` is thrown, so two
    /// requests at once cannot both take the last minutes. A server should check ``secondsUsed(keyID:month:)``
    /// before starting a job, to refuse early, and cancel the job if this still throws.
    /// - Throws: ``QuotaExceeded``, or a ``Library/Failure`` (an untyped throw, since there are two
    ///   kinds): an unknown job, a job already recorded, an idempotency key its key has used already.
    public func insert(_ apiJob: APIJob, monthlyLimitSeconds: Double? = nil) throws {
        let month = Self.monthName(apiJob.createdAt)
        let refused: QuotaExceeded? = try write { db in
            // Checked first, so each refusal says what is wrong rather than which constraint failed.
            guard try JobRecord.exists(db, key: apiJob.jobID) else {
                throw Failure(description: "no job \(apiJob.jobID) to record API details for")
            }
            guard try !APIJobRow.exists(db, key: apiJob.jobID) else {
                throw Failure(description: "job \(apiJob.jobID) already has API details")
            }
            if let idempotencyKey = apiJob.idempotencyKey,
               try APIJobRow.filter(sql: "ifnull(key_id, '') = ? AND idempotency_key = ?", arguments: [apiJob.keyID ?? "", idempotencyKey])
                .fetchCount(db) > 0 {
                throw Failure(description: "idempotency key \(idempotencyKey) is already used by another job")
            }
            if let keyID = apiJob.keyID, apiJob.chargedSeconds > 0 {
                let used = try Double.fetchOne(db, sql: "SELECT seconds FROM api_usage_month WHERE key_id = ? AND month = ?",
                                               arguments: [keyID, month]) ?? 0
                if let limit = monthlyLimitSeconds, used + apiJob.chargedSeconds > limit {
                    // Nothing is written yet: the empty transaction commits harmlessly.
                    return QuotaExceeded(usedSeconds: used, requestedSeconds: apiJob.chargedSeconds, limitSeconds: limit)
                }
                try db.execute(sql: """
                    INSERT INTO api_usage_month (key_id, month, seconds) VALUES (?, ?, ?)
                    ON CONFLICT (key_id, month) DO UPDATE SET seconds = seconds + excluded.seconds
                    """, arguments: [keyID, month, apiJob.chargedSeconds])
            }
            try APIJobRow(apiJob).insert(db)
            return nil
        }
        if let refused { throw refused }
    }

    /// What the API keeps about job `jobID`, if it made it.
    public func apiJob(_ jobID: String) throws(Failure) -> APIJob? {
        try read { db in try APIJobRow.fetchOne(db, key: jobID)?.job }
    }

    /// The job key `keyID` (`nil`: made without a key) created with `idempotencyKey`, if any.
    public func apiJob(keyID: String?, idempotencyKey: String) throws(Failure) -> APIJob? {
        try read { db in
            try APIJobRow.filter(sql: "ifnull(key_id, '') = ? AND idempotency_key = ?", arguments: [keyID ?? "", idempotencyKey])
                .fetchOne(db)?.job
        }
    }

    /// How many of key `keyID`'s jobs are pending or processing: what its concurrency limit counts.
    public func activeJobCount(keyID: String) throws(Failure) -> Int {
        try read { db in
            try Int.fetchOne(db, sql: """
                SELECT count(*) FROM api_job JOIN job ON job.id = api_job.job_id
                WHERE api_job.key_id = ? AND job.status IN ('pending', 'processing')
                """, arguments: [keyID]) ?? 0
        }
    }

    /// What the API keeps about each of `ids`' jobs that it made, keyed by job: one query for a listing.
    public func apiJobs(forJobs ids: [String]) throws(Failure) -> [String: APIJob] {
        try read { db in
            let rows = try APIJobRow.filter(ids.contains(Column("job_id"))).fetchAll(db)
            return Dictionary(rows.map { ($0.jobID, $0.job) }, uniquingKeysWith: { first, _ in first })
        }
    }
}

/// A row of `api_key`: an ``APIKey`` and its hash.
private struct APIKeyRow: Codable, FetchableRecord, PersistableRecord {
    static let databaseTableName = "api_key"

    var id: String
    var name: String
    var prefix: String
    var keyHash: String
    var webhookSecret: String
    var requestsPerMinute: Int?
    var concurrency: Int?
    var maxDuration: Double?
    var monthlyMinutes: Double?
    var createdAt: Date
    var revokedAt: Date?
    var lastUsedAt: Date?

    init(_ key: APIKey, hash: String) {
        id = key.id
        name = key.name
        prefix = key.prefix
        keyHash = hash
        webhookSecret = key.webhookSecret
        requestsPerMinute = key.limits.requestsPerMinute
        concurrency = key.limits.concurrency
        maxDuration = key.limits.maxDuration
        monthlyMinutes = key.limits.monthlyMinutes
        createdAt = key.createdAt
        revokedAt = key.revokedAt
        lastUsedAt = key.lastUsedAt
    }

    var key: APIKey {
        APIKey(id: id, name: name, prefix: prefix, webhookSecret: webhookSecret,
               limits: APIKeyLimits(requestsPerMinute: requestsPerMinute, concurrency: concurrency, maxDuration: maxDuration,
                                    monthlyMinutes: monthlyMinutes),
               createdAt: createdAt, revokedAt: revokedAt, lastUsedAt: lastUsedAt)
    }

    enum CodingKeys: String, CodingKey {
        case id, name, prefix, concurrency
        case keyHash = "key_hash"
        case webhookSecret = "webhook_secret"
        case requestsPerMinute = "requests_per_minute"
        case maxDuration = "max_duration"
        case monthlyMinutes = "monthly_minutes"
        case createdAt = "created_at"
        case revokedAt = "revoked_at"
        case lastUsedAt = "last_used_at"
    }
}

/// A row of `api_job`; its webhook events are a JSON array.
private struct APIJobRow: Codable, FetchableRecord, PersistableRecord {
    static let databaseTableName = "api_job"

    var jobID: String
    var keyID: String?
    var webhookURL: String?
    var webhookEvents: [String]
    var idempotencyKey: String?
    var requestDigest: String?
    var chargedSeconds: Double
    var createdAt: Date

    init(_ job: APIJob) {
        jobID = job.jobID
        keyID = job.keyID
        webhookURL = job.webhookURL
        webhookEvents = job.webhookEvents
        idempotencyKey = job.idempotencyKey
        requestDigest = job.requestDigest
        chargedSeconds = job.chargedSeconds
        createdAt = job.createdAt
    }

    var job: APIJob {
        APIJob(jobID: jobID, keyID: keyID, webhookURL: webhookURL, webhookEvents: webhookEvents, idempotencyKey: idempotencyKey,
               requestDigest: requestDigest, chargedSeconds: chargedSeconds, createdAt: createdAt)
    }

    enum CodingKeys: String, CodingKey {
        case jobID = "job_id"
        case keyID = "key_id"
        case webhookURL = "webhook_url"
        case webhookEvents = "webhook_events"
        case idempotencyKey = "idempotency_key"
        case requestDigest = "request_digest"
        case chargedSeconds = "charged_seconds"
        case createdAt = "created_at"
    }
}
