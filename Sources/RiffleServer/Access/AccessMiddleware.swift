import Foundation
import HTTPTypes
import Hummingbird
import RiffleApp
import Synchronization

/// API keys and the per-minute limit, before any route runs.
///
/// A key comes as `X-API-Key` or `Authorization: Bearer`; it is looked up by its SHA-256 (the library
/// keeps nothing else of it). Once the library has any active key, every route but `/health` and the
/// OpenAPI document needs one (401 without); with none, the server is open, which ``APIServer``
/// allows only on loopback. Each request counts against its key's requests per minute: over it, 429
/// with `Retry-After`; every answer carries the `RateLimit-Policy` and `RateLimit` fields
/// (draft-ietf-httpapi-ratelimit-headers) so a client can pace itself.
struct AccessMiddleware: RouterMiddleware {
    typealias Context = APIRequestContext
    let library: Library
    let keyring: Keyring

    static let openPaths: Set<String> = ["/health", "/openapi.json", "/openapi.yaml"]

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        if Self.openPaths.contains(request.uri.path) { return try await next(request, context) }
        let presented = Self.presentedKey(request)
        guard try keyring.keysRequired() || presented != nil else { return try await next(request, context) }
        guard let presented else {
            throw APIError(.unauthorized, "unauthorized", "this server needs an API key: send it as X-API-Key or Authorization: Bearer "
                           + "(make one with `riffle keys create NAME`)", headers: [.wwwAuthenticate: "Bearer"])
        }
        guard let key = try library.authenticate(apiKey: presented) else {
            throw APIError(.unauthorized, "unauthorized", "the API key is not valid (unknown or revoked)", headers: [.wwwAuthenticate: "Bearer"])
        }
        var context = context
        context.caller = Caller(keyID: key.id, limits: key.limits)
        guard let perMinute = key.limits.requestsPerMinute else { return try await next(request, context) }
        let decision = try library.countRequest(keyID: key.id, limit: perMinute)
        var fields: HTTPFields = [:]
        fields[.rateLimitPolicy] = "\(perMinute);w=60"
        fields[.rateLimit] = "limit=\(perMinute), remaining=\(decision.remaining), reset=\(decision.resetSeconds)"
        guard decision.allowed else {
            fields[.retryAfter] = String(max(1, decision.resetSeconds))
            throw APIError(.tooManyRequests, "rate_limited",
                           "this key may make \(perMinute) requests a minute; try again in \(max(1, decision.resetSeconds)) s", headers: fields)
        }
        var response = try await next(request, context)
        for field in fields { response.headers.append(field) }
        return response
    }

    /// The key in `X-API-Key`, else in `Authorization: Bearer …`.
    static func presentedKey(_ request: Request) -> String? {
        if let key = request.headers[.apiKey]?.trimmingCharacters(in: .whitespaces), !key.isEmpty { return key }
        if let authorization = request.headers[.authorization], authorization.lowercased().hasPrefix("bearer ") {
            let key = authorization.dropFirst("bearer ".count).trimmingCharacters(in: .whitespaces)
            return key.isEmpty ? nil : key
        }
        return nil
    }
}

/// Whether the library has active keys, asked at most once a second: keys made or revoked with
/// `riffle keys` while the server runs take effect within a second, without a query per request.
final class Keyring: Sendable {
    private let library: Library
    private let cache = Mutex<(checked: Date, required: Bool)?>(nil)

    init(library: Library) {
        self.library = library
    }

    func keysRequired(now: Date = Date()) throws -> Bool {
        if let cached = cache.withLock({ $0 }), now.timeIntervalSince(cached.checked) < 1 { return cached.required }
        let required = try library.hasActiveAPIKeys()
        cache.withLock { $0 = (now, required) }
        return required
    }
}

extension HTTPField.Name {
    static let apiKey = HTTPField.Name("X-API-Key")!
    static let rateLimitPolicy = HTTPField.Name("RateLimit-Policy")!
    static let rateLimit = HTTPField.Name("RateLimit")!
}
