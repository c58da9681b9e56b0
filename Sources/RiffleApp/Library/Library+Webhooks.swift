import Foundation
import GRDB

/// The webhook deliveries the library keeps, so that a restarted server resumes the pending ones.
extension Library {
    /// Stores a new delivery.
    public func insert(_ delivery: WebhookDelivery) throws(Failure) {
        try write { db in try delivery.insert(db) }
    }

    /// Pending deliveries due at `now`, the longest overdue first; at most `limit`.
    public func dueDeliveries(now: Date, limit: Int) throws(Failure) -> [WebhookDelivery] {
        try read { db in
            try WebhookDelivery.filter(Column("status") == WebhookDelivery.Status.pending.rawValue && Column("next_attempt_at") <= now)
                .order(Column("next_attempt_at"), Column("created_at"), Column("id")).limit(limit).fetchAll(db)
        }
    }

    /// Records an attempt at delivery `id`: how many there have been, when the next is due, and how the
    /// last went. A delivered delivery is stamped with the time.
    public func recordAttempt(id: String, status: WebhookDelivery.Status, attempts: Int, nextAttemptAt: Date, lastStatus: Int?,
                              lastError: String?) throws(Failure) {
        try write { db in
            guard var delivery = try WebhookDelivery.fetchOne(db, key: id) else { throw Failure(description: "no webhook delivery \(id)") }
            delivery.status = status
            delivery.attempts = attempts
            delivery.nextAttemptAt = nextAttemptAt
            delivery.lastStatus = lastStatus
            delivery.lastError = lastError
            if status == .delivered { delivery.deliveredAt = Date() }
            try delivery.update(db)
        }
    }

    /// Deliveries in the order they were made; only job `jobID`'s when given.
    public func deliveries(jobID: String? = nil) throws(Failure) -> [WebhookDelivery] {
        try read { db in
            var request = WebhookDelivery.order(Column("created_at"), Column("id"))
            if let jobID { request = request.filter(Column("job_id") == jobID) }
            return try request.fetchAll(db)
        }
    }

    /// When the soonest pending delivery is due (perhaps already past); `nil` when none is pending.
    public func nextDeliveryDate() throws(Failure) -> Date? {
        try read { db in
            try Date.fetchOne(db, sql: "SELECT MIN(next_attempt_at) FROM webhook_delivery WHERE status = ?",
                              arguments: [WebhookDelivery.Status.pending.rawValue])
        }
    }
}

extension WebhookDelivery: FetchableRecord, PersistableRecord {
    public static let databaseTableName = "webhook_delivery"
}
