import Hummingbird
import RiffleApp
import Logging

/// Who is calling: the API key a request was made with, as the handlers need it.
struct Caller: Sendable, Hashable {
    var keyID: String
    var limits: APIKeyLimits
}

/// Each request's context: Hummingbird's, plus the caller the access middleware found.
struct APIRequestContext: RequestContext {
    var coreContext: CoreRequestContextStorage
    /// `nil` when the server runs without keys (loopback only).
    var caller: Caller?

    init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
    }

    /// Uploads are read by the routes themselves, against the server's own limits.
    var maxUploadSize: Int { 64 * 1024 * 1024 }
}
