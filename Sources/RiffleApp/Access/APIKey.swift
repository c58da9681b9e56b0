import Crypto
import Foundation

/// What one API key may do; `nil` for each limit the key does not have.
public struct APIKeyLimits: Codable, Sendable, Hashable {
    /// Requests accepted per fixed one-minute window.
    public var requestsPerMinute: Int?
    /// Jobs it may have pending or processing at once.
    public var concurrency: Int?
    /// The longest take it may ask for, in seconds.
    public var maxDuration: Double?
    /// Minutes of audio it may have made per UTC calendar month.
    public var monthlyMinutes: Double?

    public init(requestsPerMinute: Int? = nil, concurrency: Int? = nil, maxDuration: Double? = nil, monthlyMinutes: Double? = nil) {
        self.requestsPerMinute = requestsPerMinute
        self.concurrency = concurrency
        self.maxDuration = maxDuration
        self.monthlyMinutes = monthlyMinutes
    }

    // Snake case, as the library's columns and the request JSON spell fields.
    enum CodingKeys: String, CodingKey {
        case concurrency
        case requestsPerMinute = "requests_per_minute"
        case maxDuration = "max_duration"
        case monthlyMinutes = "monthly_minutes"
    }

    /// Whether it limits nothing.
    public var isEmpty: Bool { self == APIKeyLimits() }

    /// What is wrong with these limits, one phrase each ("concurrency must be a whole number of 1 or more (got 0)");
    /// empty when they are all usable.
    public var problems: [String] {
        var problems: [String] = []
        if let value = requestsPerMinute, value < 1 { problems.append("requests per minute must be 1 or more (got \(value))") }
        if let value = concurrency, value < 1 { problems.append("concurrency must be 1 or more (got \(value))") }
        if let value = maxDuration, !(value > 0 && value.isFinite) { problems.append("max duration must be a positive number of seconds (got \(value))") }
        if let value = monthlyMinutes, !(value > 0 && value.isFinite) { problems.append("monthly minutes must be a positive number (got \(value))") }
        return problems
    }
}

/// An API key as the library keeps it: everything but the key itself, of which only a hash is stored.
public struct APIKey: Sendable, Hashable {
    /// "key_" and 12 hex digits: what logs and `riffle keys revoke` name it by.
    public var id: String
    /// Unique among all keys, revoked ones included.
    public var name: String
    /// The key's first 12 characters, to tell keys apart on screen.
    public var prefix: String
    /// The "whsec_…" secret that signs this key's webhooks (Standard Webhooks); kept whole, since signing needs it.
    public var webhookSecret: String
    public var limits: APIKeyLimits
    public var createdAt: Date
    /// When it stopped being accepted; `nil` while it is active.
    public var revokedAt: Date?
    /// When a request last presented it, to the minute (see ``Library/authenticate(apiKey:)``).
    public var lastUsedAt: Date?

    public init(id: String, name: String, prefix: String, webhookSecret: String, limits: APIKeyLimits = APIKeyLimits(),
                createdAt: Date, revokedAt: Date? = nil, lastUsedAt: Date? = nil) {
        self.id = id
        self.name = name
        self.prefix = prefix
        self.webhookSecret = webhookSecret
        self.limits = limits
        self.createdAt = createdAt
        self.revokedAt = revokedAt
        self.lastUsedAt = lastUsedAt
    }

    /// Whether it is still accepted.
    public var isActive: Bool { revokedAt == nil }
}

/// A key just made: the only time its secret exists outside the client.
public struct CreatedAPIKey: Sendable {
    public var key: APIKey
    /// The secret, shown once: "rk_" and 40 base62 characters. The library keeps only its SHA-256.
    public var secret: String
}

/// Making API keys and webhook secrets, and hashing keys for storage.
public enum APIKeySecret {
    /// How many random base62 characters follow "rk_": about 238 bits.
    static let keyLength = 40
    /// How many characters of a key are kept for display: "rk_" and 9 more, too few to guess the rest.
    static let prefixLength = 12

    private static let base62 = Array("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz")

    /// A new key: "rk_" and 40 base62 characters from the system's secure generator (each drawn
    /// uniformly, so no character is likelier than another).
    public static func newKey() -> String {
        var generator = SystemRandomNumberGenerator()
        return "rk_" + String((0..<keyLength).map { _ in base62.randomElement(using: &generator)! })
    }

    /// A new webhook signing secret in the Standard Webhooks form: "whsec_" and the base64 of 24 random bytes.
    public static func newWebhookSecret() -> String {
        "whsec_" + Data(randomBytes(24)).base64EncodedString()
    }

    /// The SHA-256 of `key`'s UTF-8 bytes in lowercase hex: what the library stores and looks keys up by.
    /// A plain hash is enough: keys are long and random, so there is nothing to guess from it.
    public static func digest(_ key: String) -> String {
        SHA256.hash(data: Data(key.utf8)).map { String(format: "%02x", $0) }.joined()
    }

    /// A new key id: "key_" and 12 hex digits.
    static func newID() -> String {
        "key_" + randomBytes(6).map { String(format: "%02x", $0) }.joined()
    }

    /// The part of `key` shown in listings.
    static func prefix(of key: String) -> String {
        String(key.prefix(prefixLength))
    }

    private static func randomBytes(_ count: Int) -> [UInt8] {
        var generator = SystemRandomNumberGenerator()
        return (0..<count).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
    }
}

/// Whether a request fits its key's per-minute limit, with what a response's rate-limit headers need.
public struct RateDecision: Sendable, Hashable {
    public var allowed: Bool
    /// Requests per minute the key may make.
    public var limit: Int
    /// Requests left in this window after this one (0 when refused).
    public var remaining: Int
    /// Seconds until the window resets, 1 to 60.
    public var resetSeconds: Int

    public init(allowed: Bool, limit: Int, remaining: Int, resetSeconds: Int) {
        self.allowed = allowed
        self.limit = limit
        self.remaining = remaining
        self.resetSeconds = resetSeconds
    }
}

/// What the HTTP API keeps about a job it created, beside the job itself.
public struct APIJob: Sendable, Hashable {
    public var jobID: String
    /// The key that made it; `nil` when the server runs without keys.
    public var keyID: String?
    /// Where its webhook events go, if anywhere.
    public var webhookURL: String?
    /// The events the client asked for ("job.completed", ...).
    public var webhookEvents: [String]
    /// The client's Idempotency-Key, unique per key.
    public var idempotencyKey: String?
    /// A digest of the request body, to tell a retry from a different request reusing the idempotency key.
    public var requestDigest: String?
    /// Seconds of audio charged to the key's month for this job.
    public var chargedSeconds: Double
    public var createdAt: Date

    public init(jobID: String, keyID: String? = nil, webhookURL: String? = nil, webhookEvents: [String] = [], idempotencyKey: String? = nil,
                requestDigest: String? = nil, chargedSeconds: Double = 0, createdAt: Date = Date()) {
        self.jobID = jobID
        self.keyID = keyID
        self.webhookURL = webhookURL
        self.webhookEvents = webhookEvents
        self.idempotencyKey = idempotencyKey
        self.requestDigest = requestDigest
        self.chargedSeconds = chargedSeconds
        self.createdAt = createdAt
    }
}

/// A job refused because its key's monthly minutes would be exceeded (see ``Library/insert(_:monthlyLimitSeconds:)``).
public struct QuotaExceeded: Error, Sendable, Hashable, CustomStringConvertible {
    /// Seconds already used this month.
    public var usedSeconds: Double
    /// Seconds the job asked for.
    public var requestedSeconds: Double
    /// Seconds allowed per month.
    public var limitSeconds: Double

    public init(usedSeconds: Double, requestedSeconds: Double, limitSeconds: Double) {
        self.usedSeconds = usedSeconds
        self.requestedSeconds = requestedSeconds
        self.limitSeconds = limitSeconds
    }

    public var description: String {
        let left = max(0, limitSeconds - usedSeconds)
        return "monthly quota exceeded: \(Self.format(requestedSeconds)) s asked, \(Self.format(left)) s of \(Self.format(limitSeconds)) s left this month"
    }

    private static func format(_ seconds: Double) -> String {
        seconds == seconds.rounded() ? String(Int(seconds)) : String(format: "%.1f", seconds)
    }
}
