import Foundation
import RiffleCore
import RiffleEngine

extension GenerationService {
    /// Queues a job (kind `.extend`, no parent take) that continues `audio` with engine `request.engineName`/`request.model`; returns the job id.
    ///
    /// The take is the audio from `start` seconds on followed by `seconds` more made under `request`'s
    /// prompt, so its length is the kept seconds plus `seconds`, and the job's request records that
    /// length, one take and the seed. An engine that finds the audio does not fit (too short to
    /// continue) gets the edit rule: the job is removed and ``wait(_:)`` answers ``Outcome/rejected(_:)``.
    /// - Parameter seed: the take's seed; `request.seed`, or a random one, when `nil`.
    /// - Throws: ``AppError`` `.badInput` when the engine lacks ``EngineCapabilities/continuation``,
    ///   for a start outside the audio (field `continuation_start`), a length out of range (field
    ///   `duration`) or another bad field; `.engineFailed` when the engine cannot start; `.fileError`
    ///   when the library cannot record the job.
    public func continueAudio(_ audio: AudioBuffer, from start: Double, seconds: Double, request: GenerationRequest,
                              seed: Int64? = nil) throws(AppError) -> String {
        // At least one frame must be left to continue.
        guard start.isFinite, start >= 0, Int((start * Double(audio.sampleRate)).rounded()) < audio.frameCount else {
            throw AppError(.badInput, "continuation_start: \(start) is out of range (allowed: 0 or more, before the audio's end at \(audio.duration) s)",
                           field: "continuation_start")
        }
        let limits = GenerationRequest.Limits.duration
        let total = audio.duration - start + seconds
        guard seconds.isFinite, seconds > 0, limits.contains(total) else {
            throw AppError(.badInput, "duration: \(seconds) s after the kept \(audio.duration - start) s makes \(total) s (allowed: more than 0 s, "
                           + "so the track lasts \(limits.lowerBound) to \(limits.upperBound) s)", field: "duration")
        }
        if let seed, !GenerationRequest.Limits.seed.contains(seed) {
            throw AppError(.badInput, "seed: \(seed) is out of range (allowed: 0 to \(Int64.max), or -1 for a random seed)", field: "seed")
        }
        var asked = request
        asked.duration = total
        asked.numVariations = 1
        if let seed { asked.seed = seed }
        // The normaliser validates the request's seed; one it leaves unset is drawn here and recorded with the job.
        let normal = try normalise(asked).resolvingSeed()
        let seed = normal.seed ?? 0
        let engine = try engine(named: normal.engineName, model: normal.model)
        guard engine.capabilities.contains(.continuation) else {
            throw AppError(.badInput, "\(engine.identity.name) cannot continue uploaded audio")
        }
        let id = Self.newJobID()
        let outputs = TakeOutputs(stems: true, midi: true)
        let job = JobRecord(id: id, kind: .extend, prompt: normal.prompt, request: normal, parentTakeID: nil, engine: engine.identity,
                            model: engine.model, outputs: outputs)
        try queueSingleTake(job) { context, progress in
            try engine.continuation(of: audio, from: start, seconds: seconds, request: normal, seed: seed,
                                    progress: progress, cancellation: context.cancellation)
        }
        return id
    }

    /// Queues making take `takeID`'s stems as a job of kind .stems (its progress and end reach observers like any job's); returns the job id.
    ///
    /// The job runs ``stems(of:progress:cancellation:)``: the stems are written beside the take and
    /// recorded with it, and the job makes no take of its own. A take that has all its stems gets a job
    /// that completes at once.
    /// - Throws: ``AppError`` `.unknownID` for an unknown take, `.badInput` when its engine cannot make
    ///   stems, `.engineFailed` when that engine cannot start, `.fileError` when the library cannot record the job.
    public func stemsJob(of takeID: String) throws(AppError) -> String {
        let take = try existingTake(takeID)
        let parentJob = try existingJob(take.jobID)
        let complete = take.stems.map { !$0.isEmpty && $0.values.allSatisfy(FileManager.default.fileExists(atPath:)) } ?? false
        if !complete {
            // Refused now rather than failing in the queue: the engine must be able to make them.
            let engine = try engine(named: parentJob.engine.name, model: parentJob.request.model)
            guard engine.capabilities.contains(.stems) else {
                throw AppError(.badInput, "\(engine.identity.name) cannot make the stems of take \(takeID)")
            }
        }
        let id = Self.newJobID()
        let job = JobRecord(id: id, kind: .stems, prompt: parentJob.prompt, request: parentJob.request, parentTakeID: takeID,
                            engine: parentJob.engine, model: parentJob.model, outputs: TakeOutputs(stems: true, midi: false))
        do {
            try library.insert(job)
        } catch {
            throw error.asAppError
        }
        broadcast(.created(job))
        queue.submit(id) { [self] context in
            _ = try stems(of: takeID, progress: { context.report($0.fraction, stage: $0.stage) }, cancellation: context.cancellation)
            return nil
        }
        return id
    }
}
