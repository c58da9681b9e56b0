import Synchronization

/// A flag the caller sets to stop a running generation; engines check it between steps.
public final class Cancellation: Sendable {
    private let flag = Atomic<Bool>(false)

    public init() {}

    /// Asks the work to stop; it throws ``EngineError/cancelled`` at its next check.
    public func cancel() { flag.store(true, ordering: .relaxed) }

    public var isCancelled: Bool { flag.load(ordering: .relaxed) }

    /// Throws ``EngineError/cancelled`` once ``cancel()`` has been called.
    public func check() throws {
        if isCancelled { throw EngineError.cancelled }
    }
}
