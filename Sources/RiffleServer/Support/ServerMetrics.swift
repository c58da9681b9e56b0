import CoreMetrics
import Foundation
import Hummingbird
import Prometheus
import RiffleApp
import RiffleCore
import Synchronization

/// `GET /metrics`: Hummingbird's request metrics (counts, durations, errors per endpoint) through
/// swift-metrics into a Prometheus registry, plus the jobs by status, read from the library at each scrape.
final class ServerMetrics: Sendable {
    /// swift-metrics has one backend per process: every server in it shares this registry.
    private static let shared = PrometheusCollectorRegistry()
    private static let bootstrap = Mutex(false)

    let registry = ServerMetrics.shared
    let middleware = MetricsMiddleware<APIRequestContext>()

    init() {
        Self.bootstrap.withLock { done in
            guard !done else { return }
            MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: Self.shared))
            done = true
        }
    }

    /// The text exposition: every metric, with the jobs' gauges brought up to date first.
    func exposition(library: Library, board: JobBoard) -> [UInt8] {
        let counts = (try? library.jobCounts()) ?? [:]
        for status in JobStatus.allCases {
            registry.makeGauge(name: "riffle_jobs", labels: [("status", status.rawValue)], help: "Jobs in the library by status")
                .set(Double(counts[status] ?? 0))
        }
        registry.makeGauge(name: "riffle_jobs_running_here", help: "Jobs this server is running or has queued").set(Double(board.activeCount))
        var buffer: [UInt8] = []
        registry.emit(into: &buffer)
        return buffer
    }
}
