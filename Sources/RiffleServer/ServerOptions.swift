/// How `riffle serve` runs: where it listens and what it accepts.
public struct ServerOptions: Sendable {
    /// The address to bind; 127.0.0.1 unless the user says otherwise (anything else needs API keys).
    public var host: String
    /// 0 picks a free port (the tests do); the bound one is reported by ``APIServer/run(onListening:)``.
    public var port: Int
    /// Deliver webhooks to loopback and private addresses too (a receiver on this machine).
    public var allowPrivateWebhooks: Bool
    /// The largest JSON body accepted (413 beyond).
    public var maxBodyBytes: Int
    /// The largest audio upload accepted (413 beyond).
    public var maxUploadBytes: Int
    /// Seconds SIGTERM waits for running jobs before cancelling them.
    public var shutdownGrace: Double
    /// Seconds before each retry of a failed webhook delivery (Standard Webhooks' schedule by default).
    public var webhookRetryDelays: [Double] = [5, 300, 1800, 7200, 18000, 36000]

    public init(host: String = "127.0.0.1", port: Int = 8080, allowPrivateWebhooks: Bool = false,
                maxBodyBytes: Int = 1 << 20, maxUploadBytes: Int = 50 << 20, shutdownGrace: Double = 30) {
        self.host = host
        self.port = port
        self.allowPrivateWebhooks = allowPrivateWebhooks
        self.maxBodyBytes = maxBodyBytes
        self.maxUploadBytes = maxUploadBytes
        self.shutdownGrace = shutdownGrace
    }

    /// Whether `host` is a loopback address, where the server may run without keys.
    public var isLoopback: Bool {
        host == "localhost" || host == "::1" || host.hasPrefix("127.")
    }
}
