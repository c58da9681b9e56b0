import RiffleEngine
import Synchronization

/// The engines this process can use, by name: the executable registers them, the application core
/// starts one when a job needs it and sends an edit to the engine that made the take.
///
/// An engine starts on first use (the Composer loads its SoundFont, MusicGen maps its weights) and
/// is kept; one that fails to start says why each time it is asked for, so a front end can still
/// open without it.
public final class EngineRegistry: Sendable {
    public typealias Factory = @Sendable () throws -> any MusicEngine
    /// Starts an engine with a model: the request's `model` (a name or a folder), or `nil` for its default.
    public typealias ModelFactory = @Sendable (_ model: String?) throws -> any MusicEngine

    private let factories: [String: ModelFactory]
    /// The engine a request that names none goes to.
    public let defaultName: String
    /// Started engines by name and model.
    private let started = Mutex<[Started: Result<any MusicEngine, EngineError>]>([:])

    private struct Started: Hashable {
        var name: String
        var model: String?
    }

    /// - Parameters:
    ///   - engines: each engine's name ("composer", "musicgen") and how to start it.
    ///   - defaultName: the engine for requests that name none; the first given when `nil`.
    public convenience init(_ engines: [(name: String, start: Factory)], defaultName: String? = nil) {
        self.init(models: engines.map { entry in (name: entry.name, start: { _ in try entry.start() }) }, defaultName: defaultName)
    }

    /// Engines that load one of several models: each (engine, model) pair starts once and is kept.
    public init(models engines: [(name: String, start: ModelFactory)], defaultName: String? = nil) {
        factories = Dictionary(engines.map { ($0.name, $0.start) }, uniquingKeysWith: { first, _ in first })
        self.defaultName = defaultName ?? engines.first?.name ?? ""
        names = engines.map(\.name)
    }

    /// The registered engines' names, in the order given.
    public let names: [String]

    /// The engine called `name` (the default when `nil`) with `model` (its default when `nil`), started
    /// if it was not yet.
    /// - Throws: ``EngineError/failed(_:)`` naming the engine when it is unknown or cannot start.
    public func engine(named name: String? = nil, model: String? = nil) throws(EngineError) -> any MusicEngine {
        let name = name ?? defaultName
        let key = Started(name: name, model: model)
        guard let factory = factories[name] else {
            throw .failed("no engine called \"\(name)\" (available: \(names.joined(separator: ", ")))")
        }
        // Started under the lock: two jobs asking at once must not load the same model twice.
        let result = started.withLock { started -> Result<any MusicEngine, EngineError> in
            if let done = started[key] { return done }
            let made: Result<any MusicEngine, EngineError>
            do {
                made = .success(try factory(model))
            } catch let error as EngineError {
                made = .failure(error)
            } catch {
                made = .failure(.failed("\(error)"))
            }
            started[key] = made
            return made
        }
        return try result.get()
    }
}
