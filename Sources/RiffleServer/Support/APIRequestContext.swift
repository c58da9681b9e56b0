import Hummingbird
import Logging
import NIOCore

/// Who is calling: the API key a request was made with, as the handlers need it.
struct Caller: Sendable, Hashable {
    var keyID: String
    var name: String
    /// Signs this key's webhooks (`whsec_…`).
    var webhookSecret: String
    var concurrency: Int?
    var maxDuration: Double?
    var monthlyMinutes: Double?
}

/// Each request's context: Hummingbird's, plus the caller the access middleware found.
struct APIRequestContext: RequestContext {
    var coreContext: CoreRequestContextStorage
    /// `nil` when the server runs without keys (loopback only).
    var caller: Caller?
    /// The client's address, for logs.
    let remoteAddress: SocketAddress?

    init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        remoteAddress = source.channel.remoteAddress
    }

    /// Uploads are read by the routes themselves, against the server's own limits.
    var maxUploadSize: Int { 64 * 1024 * 1024 }
}
