import Foundation
@testable import RiffleApp
import RiffleCore
import RiffleEngine
import RiffleTestSupport
import Synchronization
import Testing

/// A generation service over a fresh library in a temporary directory, with fake engines.
final class Studio {
    let directory: TemporaryDirectory
    let library: Library
    let service: GenerationService

    /// - Parameter engines: registered by name, in order; the first is the default.
    init(_ engines: [(name: String, engine: FakeEngine)], concurrentJobs: Int = 1) throws {
        directory = try TemporaryDirectory()
        library = try Library(directory: directory.url.appendingPathComponent("library"))
        service = GenerationService(library: library, engines: Self.registry(engines), catalog: catalog, concurrentJobs: concurrentJobs)
    }

    convenience init(_ engine: FakeEngine, concurrentJobs: Int = 1) throws {
        try self.init([(name: "fake", engine: engine)], concurrentJobs: concurrentJobs)
    }

    /// Stops whatever a test left running before its directory goes.
    deinit { service.cancelAll(timeout: 5) }

    static func registry(_ engines: [(name: String, engine: FakeEngine)]) -> EngineRegistry {
        EngineRegistry(engines.map { entry in
            let engine = entry.engine
            return (name: entry.name, start: { engine })
        })
    }

    /// Another service on the same library, with other engines (another version, another model).
    func service(with engines: [(name: String, engine: FakeEngine)]) -> GenerationService {
        GenerationService(library: library, engines: Self.registry(engines), catalog: catalog)
    }

    /// Waits for job `id` and returns it as the library has it; fails the test if it was rejected.
    func finished(_ id: String, on service: GenerationService? = nil) throws -> JobRecord {
        let outcome = try (service ?? self.service).wait(id)
        guard case .finished(let job) = outcome else {
            Issue.record("job \(id) was \(outcome), not finished")
            throw AppError(.conflict, "job \(id) was \(outcome)")
        }
        return job
    }

    /// Generates `request`, waits, and returns the finished job.
    @discardableResult
    func generated(_ request: GenerationRequest, engine: String? = nil, outputs: TakeOutputs = TakeOutputs()) throws -> JobRecord {
        let submission = try service.generate(request, engine: engine, outputs: outputs)
        return try finished(submission.jobID)
    }

    /// Job `id`'s takes in batch order.
    func takes(_ id: String) throws -> [TakeRecord] {
        try library.takes(ofJob: id).sorted { $0.variation < $1.variation }
    }
}

/// A short request: 5 s (the shortest allowed) at 22050 Hz, so a take is quick to make and write.
func request(_ prompt: String = "warm rhodes chords", seed: Int64? = 7, takes: Int = 2, genre: String? = nil,
             duration: Double = 5) -> GenerationRequest {
    GenerationRequest(prompt: prompt, duration: duration, genre: genre, numVariations: takes, seed: seed, sampleRate: 22050)
}

/// Every event the service told an observer, in the order heard.
final class EventLog: Sendable {
    private let events = Mutex<[JobEvent]>([])

    func record(_ event: JobEvent) { events.withLock { $0.append(event) } }

    var all: [JobEvent] { events.withLock { $0 } }

    /// Job `id`'s events as words: status changes by status, "take" for each take stored,
    /// "removed" for a refusal; progress reports left out.
    func story(of id: String) -> [String] {
        all.compactMap { event in
            switch event {
            case .update(let update) where update.jobID == id: update.isStatusChange ? update.status.rawValue : nil
            case .takeStored(let job, _) where job == id: "take"
            case .removed(let job, _) where job == id: "removed"
            default: nil
            }
        }
    }
}

/// Polls `condition` until it holds or `timeout` seconds pass; returns whether it held.
func eventually(timeout: Double = 10, _ condition: () throws -> Bool) rethrows -> Bool {
    let deadline = Date().addingTimeInterval(timeout)
    while Date() < deadline {
        if try condition() { return true }
        Thread.sleep(forTimeInterval: 0.005)
    }
    return try condition()
}

/// The largest difference between two sample arrays of the same length; infinity when they differ in length.
func largestDifference(_ a: [Float], _ b: [Float]) -> Float {
    guard a.count == b.count else { return .infinity }
    return zip(a, b).reduce(0) { max($0, abs($1.0 - $1.1)) }
}

func fileExists(_ path: String?) -> Bool {
    path.map { FileManager.default.fileExists(atPath: $0) } ?? false
}
