import Foundation
import RiffleAudio
import RiffleComposer
import RiffleCore
import RiffleLibrary
import Synchronization

/// Runs a generation job's takes into the library: the variations asked for, each stored and
/// registered as it finishes, then the job's final status. Shared by generate, resume, batch and grid.
struct JobRunner {
    let engine: ComposerEngine
    let library: Library
    var stems = false
    var midi = true

    /// What a run made.
    struct Outcome {
        /// Best score first.
        var results: [TakeFiles.Written]
        var failures: [String]
        var status: JobRecord.Status
        var seconds: Double
    }

    /// Generates `variations` (indices into the batch, so take i keeps seed + i) of `request` into
    /// job `jobID`, which must exist, and records how it ended. `stored` hears of each take as soon
    /// as it is in the library (the studio lists it at once).
    func run(jobID: String, request: GenerationRequest, variations: [Int], cancellation: Cancellation,
             progress: @escaping @Sendable (Int, GenerationProgress) -> Void,
             stored: @escaping @Sendable (TakeFiles.Written) -> Void = { _ in }) throws -> Outcome {
        try library.update(job: jobID, to: .processing)
        let started = Date()
        let base = request.seed ?? 0
        let seeds = variations.map { GenerationRequest.seed(base, variation: $0) }
        let collected = Mutex<[Result<TakeFiles.Written, any Error>]>([])
        let (library, stems, midi, report) = (self.library, self.stems, self.midi, stored)
        engine.generateBatch(request, seeds: seeds, progress: progress, cancellation: cancellation) { index, take in
            let stored = Result { () throws -> TakeFiles.Written in
                try TakeFiles.store(take.get(), variation: variations[index], jobID: jobID, in: library, stems: stems, midi: midi,
                                    seconds: Date().timeIntervalSince(started))
            }
            collected.withLock { $0.append(stored) }
            if case .success(let written) = stored { report(written) }
        }
        var results: [TakeFiles.Written] = []
        var failures: [String] = []
        for outcome in collected.withLock({ $0 }) {
            switch outcome {
            case .success(let written): results.append(written)
            case .failure(EngineError.cancelled): break
            case .failure(let error): failures.append("\(error)")
            }
        }
        // Best first: the batch is ranked by quality score.
        results.sort { ($0.score ?? 0, -$0.seed) > ($1.score ?? 0, -$1.seed) }
        let status: JobRecord.Status = cancellation.isCancelled ? .cancelled : (results.isEmpty ? .failed : .completed)
        try library.update(job: jobID, to: status, error: failures.isEmpty ? nil : failures.joined(separator: "; "))
        return Outcome(results: results, failures: failures, status: status, seconds: Date().timeIntervalSince(started))
    }
}
