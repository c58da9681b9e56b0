import ArgumentParser
import Foundation
import RiffleApp
import RiffleCore

/// `riffle keys create NAME`: a new key, its secret shown once.
struct KeysCreateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "create",
        abstract: "Create an API key and print its secret and webhook secret, once.",
        discussion: "Limits not given are unlimited. Names are unique, revoked keys' included."
    )

    @Argument(help: "A unique name for the key (who or what uses it).")
    var name: String

    @Option(parsing: .unconditional, help: "Requests per minute: 60, 60/min or 60/m.")
    var rate: String?

    @Option(parsing: .unconditional, help: "Jobs it may have pending or processing at once.")
    var concurrency: String?

    @Option(name: .customLong("max-duration"), parsing: .unconditional, help: "The longest take it may ask for, in seconds.")
    var maxDuration: String?

    @Option(name: .customLong("monthly-minutes"), parsing: .unconditional, help: "Minutes of audio it may make per calendar month (UTC).")
    var monthlyMinutes: String?

    @OptionGroup var libraryOptions: LibraryOptions

    @Flag(help: "Print JSON instead of text.")
    var json = false

    func run() throws {
        let limits = try parsedLimits()
        let library = try libraryOptions.open()
        let created = try callingKeys(ExitStatus.badInput) { () throws(Library.Failure) in try library.createAPIKey(name: name, limits: limits) }
        if json { return try printJSON(KeyReport(created.key, secret: created.secret)) }
        printLine("created API key \(created.key.id) (\(created.key.name))")
        printLine("")
        printLine("  API key:         \(created.secret)")
        printLine("  webhook secret:  \(created.key.webhookSecret)")
        printLine("")
        printLine("The API key is shown only this once; store it now: Riffle keeps only its hash.")
        printLine("The webhook secret signs the webhooks of this key's jobs, for the receiver to verify.")
        if !limits.isEmpty { printLine("limits: \(describeLimits(limits))") }
    }

    /// The limits the options give; every bad value is reported at once, exiting with status 2.
    func parsedLimits() throws -> APIKeyLimits {
        var reader = OptionReader()
        var limits = APIKeyLimits()
        if let rate {
            limits.requestsPerMinute = parseRate(rate)
            if limits.requestsPerMinute == nil {
                reader.add("rate", rate, "is not a rate", allowed: "a whole number of requests per minute, 1 or more: 60, 60/min or 60/m")
            }
        }
        if let concurrency {
            let allowed = "a whole number of jobs at once, 1 or more"
            switch parseWhole(concurrency) {
            case .value(let value) where value >= 1: limits.concurrency = value
            case .value: reader.add("concurrency", concurrency, "is out of range", allowed: allowed)
            case let other: reader.add("concurrency", concurrency, other.problem ?? "is not valid", allowed: allowed)
            }
        }
        limits.maxDuration = positive(maxDuration, option: "max-duration", allowed: "seconds, more than 0", &reader)
        limits.monthlyMinutes = positive(monthlyMinutes, option: "monthly-minutes", allowed: "minutes, more than 0", &reader)
        try reader.check()
        return limits
    }

    private func positive(_ text: String?, option: String, allowed: String, _ reader: inout OptionReader) -> Double? {
        guard let text, let value = reader.number(text, option: option, allowed: allowed) else { return nil }
        guard value > 0 else {
            reader.add(option, text, "is out of range", allowed: allowed)
            return nil
        }
        return value
    }
}

/// "60", "60/min" or "60/m" as 60 requests per minute; `nil` for anything else, or under 1.
func parseRate(_ text: String) -> Int? {
    guard let match = text.wholeMatch(of: /([0-9]+)(?:\/(?:m|min|minute))?/), let value = Int(match.1), value >= 1 else { return nil }
    return value
}

/// "60/min, 2 at once, ≤ 120 s, 600 min/month", or "-" for none.
func describeLimits(_ limits: APIKeyLimits) -> String {
    var parts: [String] = []
    if let rate = limits.requestsPerMinute { parts.append("\(rate)/min") }
    if let concurrency = limits.concurrency { parts.append("\(concurrency) at once") }
    if let duration = limits.maxDuration { parts.append("max \(formatAmount(duration)) s") }
    if let minutes = limits.monthlyMinutes { parts.append("\(formatAmount(minutes)) min/month") }
    return parts.isEmpty ? "-" : parts.joined(separator: ", ")
}

/// 120 as "120", 1.5 as "1.5".
func formatAmount(_ value: Double) -> String {
    value == value.rounded() && abs(value) < 1e15 ? String(Int(value)) : String(value)
}

/// A key as `--json` prints it; the secret only when it was just made.
struct KeyReport: Encodable {
    var id: String
    var name: String
    var prefix: String
    var secret: String?
    var webhookSecret: String?
    var limits: APIKeyLimits
    /// ISO 8601 times, UTC.
    var createdAt: String
    var lastUsedAt: String?
    var revokedAt: String?

    init(_ key: APIKey, secret: String? = nil) {
        id = key.id
        name = key.name
        prefix = key.prefix
        self.secret = secret
        // Shown with the key it came with; a listing needs no secrets.
        webhookSecret = secret == nil ? nil : key.webhookSecret
        limits = key.limits
        let iso = ISO8601DateFormatter()
        createdAt = iso.string(from: key.createdAt)
        lastUsedAt = key.lastUsedAt.map(iso.string)
        revokedAt = key.revokedAt.map(iso.string)
    }

    enum CodingKeys: String, CodingKey {
        case id, name, prefix, secret, limits
        case webhookSecret = "webhook_secret"
        case createdAt = "created_at"
        case lastUsedAt = "last_used_at"
        case revokedAt = "revoked_at"
    }
}
