import Foundation
import Hummingbird
import Logging
import NIOCore
import RiffleApp
import RiffleCore
import ServiceLifecycle
import Synchronization

/// `riffle serve`: the HTTP API over the application core, the same ``GenerationService`` the studio
/// and the command line call.
///
/// Its contract is the OpenAPI document in Resources/openapi.yaml (served at `/openapi.json`): the
/// native `/v1/…` API (202 + job id, polling, Server-Sent Events, webhooks) and the AudioCraft REST
/// tutorial's routes. Everything it keeps (jobs, keys, counters, webhook deliveries) is in the library,
/// so a restart loses nothing.
public final class APIServer: Sendable {
    let service: GenerationService
    let options: ServerOptions
    let catalog: PresetCatalog
    let engineList: @Sendable () -> [EngineDescription]
    let board: JobBoard
    let metrics: ServerMetrics
    let document: OpenAPIDocument
    let webhooks: JobWebhooks
    let keyring: Keyring
    /// Held while a submission checks its limits and Idempotency-Key and records its job, so two
    /// requests cannot both pass a check that only one of them fits.
    let admission = Mutex(())
    /// `http://host:port` once listening: the base of the links in webhook payloads.
    let listeningBase = Mutex<String?>(nil)
    /// Jobs' interpretations once read (see ``interpretation(of:hasTakes:)``).
    let interpretations = Mutex<[String: Interpretation]>([:])
    let log: @Sendable (String) -> Void

    /// - Parameters:
    ///   - engines: what `GET /v1/engines` lists (the executable knows its engines and their models).
    ///   - log: where the server's own notes go (stderr for `riffle serve`).
    public init(service: GenerationService, options: ServerOptions, catalog: PresetCatalog,
                engines: @escaping @Sendable () -> [EngineDescription], log: @escaping @Sendable (String) -> Void) throws {
        self.service = service
        self.options = options
        self.catalog = catalog
        engineList = engines
        self.log = log
        document = try OpenAPIDocument.load()
        metrics = ServerMetrics()
        keyring = Keyring(library: service.library)
        webhooks = try JobWebhooks(library: service.library, allowPrivate: options.allowPrivateWebhooks,
                                   schedule: WebhookDispatcher.RetrySchedule(delays: options.webhookRetryDelays), log: log)
        let finished = FinishedJobs()
        board = JobBoard(service: service) { jobID, status, error in finished.handler?(jobID, status, error) }
        finished.handler = { [weak self] jobID, status, error in self?.jobFinished(jobID, status: status, error: error) }
    }

    /// Lets the board call back into the server, which owns it (set once in init).
    private final class FinishedJobs: @unchecked Sendable {
        var handler: (@Sendable (String, JobStatus, String?) -> Void)?
    }

    /// Called when a job completes, fails or is cancelled: where its webhooks start.
    func jobFinished(_ jobID: String, status: JobStatus, error: String?) {
        let base = listeningBase.withLock { $0 } ?? "http://\(options.host):\(options.port)"
        webhooks.jobFinished(jobID, status: status, error: error, links: Links(base: base)) {
            guard let job = try? service.library.job(jobID) else { return [] }
            return (try? resultTakes(of: job)) ?? []
        }
    }

    /// The secret that signs webhooks of jobs submitted without a key (`riffle serve` prints it).
    public var localWebhookSecret: String { webhooks.localSecret }

    /// Checks that the server may start as configured: binding beyond loopback needs API keys.
    public func checkStartable() throws {
        if !options.isLoopback, try !service.library.hasActiveAPIKeys() {
            throw ServerStartError("refusing to listen on \(options.host) without API keys: anyone who can reach it could "
                                   + "generate and delete takes. Create one with `riffle keys create NAME`, or bind 127.0.0.1")
        }
    }

    /// Serves until SIGTERM or SIGINT, then stops gracefully: no new requests, running jobs finish (up to
    /// the grace period, then they are cancelled and stay resumable), webhook deliveries are flushed.
    /// - Parameter onListening: called with the bound port once the server accepts connections.
    public func run(onListening: @escaping @Sendable (Int) -> Void) async throws {
        try checkStartable()
        var logger = Logger(label: "riffle.serve")
        logger.logLevel = .warning
        let application = Application(
            router: makeRouter(),
            configuration: ApplicationConfiguration(address: .hostname(options.host, port: options.port), serverName: "riffle"),
            onServerRunning: { [self] channel in
                let port = channel.localAddress?.port ?? options.port
                let host = options.host.contains(":") ? "[\(options.host)]" : options.host
                listeningBase.withLock { $0 = "http://\(host):\(port)" }
                onListening(port)
            },
            logger: logger
        )
        // Deliveries a previous run left pending (or due for a retry) go out again.
        webhooks.dispatcher.start()
        try await application.runService(gracefulShutdownSignals: [.sigterm, .sigint])
        shutDown()
    }

    /// After the listener closed: let running jobs finish within the grace period, cancel the rest,
    /// then send the webhooks that are due (those of the jobs just ended among them).
    func shutDown() {
        if !service.waitUntilIdle(timeout: options.shutdownGrace) {
            log("riffle serve: cancelling the jobs still running after \(Int(options.shutdownGrace)) s (retry resumes them)")
            service.cancelAll(timeout: 10)
        }
        webhooks.dispatcher.stop(flushTimeout: 5)
    }

    func makeRouter() -> Router<APIRequestContext> {
        let router = Router(context: APIRequestContext.self)
        router.add(middleware: ErrorMiddleware())
        router.add(middleware: metrics.middleware)
        router.add(middleware: AccessMiddleware(library: service.library, keyring: keyring))
        addCatalogRoutes(to: router)
        addTutorialRoutes(to: router)
        let v1 = router.group("v1")
        addGenerateRoutes(to: v1)
        addJobRoutes(to: v1)
        addTrackRoutes(to: v1)
        addTrackFileRoutes(to: v1)
        addEditRoutes(to: v1)
        return router
    }
}

/// Why the server would not start, in words.
public struct ServerStartError: Error, CustomStringConvertible {
    public let description: String
    init(_ description: String) { self.description = description }
}

/// An engine as `GET /v1/engines` lists it.
public struct EngineDescription: Encodable, Sendable {
    public struct Model: Encodable, Sendable {
        public var name: String
        public var parameters: String?
        public var size: String?
        public var sampleRate: Int?
        public var channels: Int?

        public init(name: String, parameters: String? = nil, size: String? = nil, sampleRate: Int? = nil, channels: Int? = nil) {
            self.name = name
            self.parameters = parameters
            self.size = size
            self.sampleRate = sampleRate
            self.channels = channels
        }

        enum CodingKeys: String, CodingKey {
            case name, parameters, size, channels
            case sampleRate = "sample_rate"
        }
    }

    public var name: String
    public var isDefault: Bool
    /// "repaint", "extend", "restyle", "stems", "midi", and "continuation" for engines that continue any audio.
    public var capabilities: [String]
    public var models: [Model]
    /// Why the engine cannot start here, when it cannot.
    public var unavailable: String?

    public init(name: String, isDefault: Bool, capabilities: [String], models: [Model], unavailable: String? = nil) {
        self.name = name
        self.isDefault = isDefault
        self.capabilities = capabilities
        self.models = models
        self.unavailable = unavailable
    }

    enum CodingKeys: String, CodingKey {
        case name, capabilities, models, unavailable
        case isDefault = "default"
    }
}
