import Foundation

/// One webhook message to one URL, as the library keeps it until it is delivered or given up on.
///
/// The id is also the `webhook-id` header, the same on every attempt, so a receiver can tell a retry
/// from a new message. The payload is the exact JSON sent, and the secret the one it is signed with, so
/// a restarted server resumes pending deliveries as they were. Its `Codable` form holds the secret:
/// an API answer describing a delivery should leave it out.
public struct WebhookDelivery: Sendable, Hashable, Codable {
    /// Where a delivery stands.
    public enum Status: String, Sendable, Hashable, Codable, CaseIterable {
        /// Waiting for its next attempt (the first, or a retry).
        case pending
        /// A 2xx answer came back.
        case delivered
        /// Out of retries, or refused by ``WebhookAddressPolicy``; ``WebhookDelivery/lastError`` says why.
        case failed
    }

    /// "msg_" and 24 hex digits (see ``newID()``).
    public var id: String
    public var jobID: String
    /// The API key whose job it is, when there is one.
    public var keyID: String?
    public var url: String
    /// What happened: "job.completed", "job.failed".
    public var event: String
    /// The exact bytes of the JSON body.
    public var payload: Data
    /// The `whsec_` secret it is signed with (see ``WebhookSigner``).
    public var secret: String
    public var status: Status
    /// Attempts made so far.
    public var attempts: Int
    /// When the next attempt is due; for a finished delivery, when it finished.
    public var nextAttemptAt: Date
    /// The HTTP status of the last answer, if one came back.
    public var lastStatus: Int?
    /// Why the last attempt failed.
    public var lastError: String?
    public var createdAt: Date
    public var deliveredAt: Date?

    /// A new pending delivery, due now.
    public init(id: String = WebhookDelivery.newID(), jobID: String, keyID: String? = nil, url: String, event: String, payload: Data,
                secret: String, status: Status = .pending, attempts: Int = 0, nextAttemptAt: Date = Date(), lastStatus: Int? = nil,
                lastError: String? = nil, createdAt: Date = Date(), deliveredAt: Date? = nil) {
        self.id = id
        self.jobID = jobID
        self.keyID = keyID
        self.url = url
        self.event = event
        self.payload = payload
        self.secret = secret
        self.status = status
        self.attempts = attempts
        self.nextAttemptAt = nextAttemptAt
        self.lastStatus = lastStatus
        self.lastError = lastError
        self.createdAt = createdAt
        self.deliveredAt = deliveredAt
    }

    /// A fresh message id: "msg_" and 24 random hex digits.
    public static func newID() -> String {
        var generator = SystemRandomNumberGenerator()
        return "msg_" + (0..<12).map { _ in String(format: "%02x", UInt8.random(in: 0...255, using: &generator)) }.joined()
    }

    enum CodingKeys: String, CodingKey {
        case id, url, event, payload, secret, status, attempts
        case jobID = "job_id"
        case keyID = "key_id"
        case nextAttemptAt = "next_attempt_at"
        case lastStatus = "last_status"
        case lastError = "last_error"
        case createdAt = "created_at"
        case deliveredAt = "delivered_at"
    }
}
