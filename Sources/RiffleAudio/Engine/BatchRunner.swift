import Dispatch
import Foundation
import RiffleCore
import Synchronization

/// Runs every variation of a request through the engine's batch scheduling, handing each finished
/// take to `deliver` (which writes it) and dropping it, so a batch never holds more takes in memory
/// than the engine works on at once.
///
/// The request's seed must be resolved; take i gets ``GenerationRequest/seed(_:variation:)``.
public struct BatchRunner: Sendable {
    public let engine: any MusicEngine
    public let request: GenerationRequest

    public init(engine: any MusicEngine, request: GenerationRequest) {
        self.engine = engine
        self.request = request
    }

    public func run<Delivered: Sendable>(cancellation: Cancellation = Cancellation(),
                                         progress: @escaping @Sendable (Int, GenerationProgress) -> Void,
                                  deliver: @escaping @Sendable (Take) throws -> Delivered) -> [Result<Delivered, any Error>] {
        let count = request.numVariations
        let base = request.seed ?? 0
        let results = Mutex<[Int: Result<Delivered, any Error>]>([:])
        let seeds = (0..<count).map { GenerationRequest.seed(base, variation: $0) }
        engine.generateBatch(request, seeds: seeds, progress: progress, cancellation: cancellation) { index, take in
            let result = Result { () throws -> Delivered in try deliver(take.get()) }
            results.withLock { $0[index] = result }
        }
        return (0..<count).map { index in results.withLock { $0[index]! } }
    }
}

