import Foundation
import RiffleAudio
import RiffleCore
import RiffleEngine

extension GenerationService {
    /// Queues `edit` of take `takeID` as a job of its own, on the engine that made the take; the new
    /// take is stored with its stems and MIDI, so it can be edited in turn.
    ///
    /// One rule for an edit that does not fit its take (a range outside it, a take too long to
    /// extend): the job is removed, nothing is left in the library, and observers hear
    /// ``JobEvent/removed(jobID:reason:)``; ``wait(_:)`` answers ``Outcome/rejected(_:)``.
    /// - Parameter seed: the new take's seed; a random one when `nil`.
    /// - Returns: the job's id.
    public func edit(_ takeID: String, _ edit: TakeEdit, seed: Int64? = nil) throws(AppError) -> String {
        let parent = try existingTake(takeID)
        let parentJob = try existingJob(parent.jobID)
        if let seed, !GenerationRequest.Limits.seed.contains(seed) {
            throw AppError(.badInput, "seed: \(seed) is out of range (allowed: 0 to \(Int64.max), or -1 for a random seed)")
        }
        let engine = try engine(named: parentJob.engine.name, model: parentJob.request.model)
        guard engine.capabilities.contains(edit.capability) else {
            throw AppError(.badInput, "\(engine.identity.name) cannot \(edit.verb) a take")
        }
        let seed = seed ?? Int64.random(in: GenerationRequest.Limits.seed)
        let id = Self.newJobID()
        let outputs = TakeOutputs(stems: true, midi: true)
        let job = JobRecord(id: id, kind: edit.jobKind, prompt: parentJob.prompt, request: parentJob.request,
                            parentTakeID: takeID, engine: engine.identity, model: engine.model, outputs: outputs)
        try queueSingleTake(job) { [self] context, progress in
            let take = try loadTake(parent, job: parentJob, engine: engine, withStems: true, cancellation: context.cancellation)
            return try engine.edit(take, edit, seed: seed, progress: progress, cancellation: context.cancellation)
        }
        return id
    }

    /// Records `job` and queues `make`, which makes its one take (an edit, a continuation); the take is
    /// stored under the job, with the job's parent take as its parent.
    ///
    /// `make` gets a progress handler for the engine's work, which fills the first 90% of the job's
    /// bar; writing the take, its stems and its score is the rest, so the job does not sit at the
    /// engine's last stage while its files are written.
    func queueSingleTake(_ job: JobRecord, make: @escaping @Sendable (JobContext, @escaping ProgressHandler) throws -> Take) throws(AppError) {
        do {
            try library.insert(job)
        } catch {
            throw error.asAppError
        }
        broadcast(.created(job))
        let store = TakeStore(library: library)
        queue.submit(job.id) { [self] context in
            let started = Date()
            let made = try make(context) { context.report($0.fraction * Self.editEngineShare, stage: $0.stage) }
            context.report(Self.editEngineShare, stage: "saving")
            let record = try store.store(made, variation: 0, jobID: job.id, outputs: job.outputs, seconds: Date().timeIntervalSince(started),
                                         parent: job.parentTakeID)
            broadcast(.takeStored(jobID: job.id, takeID: record.id))
            return nil
        }
    }

    /// How much of an edit job's progress bar is the engine's work; saving the take is the rest.
    static let editEngineShare = 0.9

    /// Take `takeID`'s stems by part name: the files it has, or, when any is missing, made by the
    /// engine that made the take, written beside it and recorded in the library with their waveforms.
    public func stems(of takeID: String, progress: @escaping ProgressHandler = { _ in },
                      cancellation: Cancellation = Cancellation()) throws(AppError) -> [String: String] {
        let record = try existingTake(takeID)
        if let paths = record.stems, !paths.isEmpty, paths.values.allSatisfy(FileManager.default.fileExists(atPath:)) {
            return paths
        }
        let job = try existingJob(record.jobID)
        let engine = try engine(named: job.engine.name, model: job.request.model)
        guard engine.capabilities.contains(.stems) else { throw AppError(.badInput, "\(engine.identity.name) cannot make stems") }
        do {
            let take = try loadTake(record, job: job, engine: engine, withStems: false, cancellation: cancellation)
            let stems = try engine.stems(of: take, progress: progress, cancellation: cancellation)
            let format = AudioFormat(name: record.format) ?? job.request.format
            let paths = try TakeStore(library: library).writeStems(stems, format: format, into: record.stemsFolder)
            try library.setStems(take: takeID, paths: paths,
                                 waveforms: TakeStore.waveforms(of: takeID, mix: take.audio, stems: stems.map { ($0.name, $0.audio) }))
            return paths
        } catch let error as AppError {
            throw error
        } catch let error as Library.Failure {
            throw error.asAppError
        } catch let error as AudioFileError {
            throw AppError(.fileError, "take \(takeID): \(error)")
        } catch {
            throw AppError(.engineFailed, "stems of \(takeID): \(error)")
        }
    }

    /// A stored take as its engine's ``Take``: audio, stems, engine state and the identity of the
    /// engine that made it. With `withStems`, stems missing on disk are made by the engine.
    func loadTake(_ record: TakeRecord, job: JobRecord, engine: any MusicEngine, withStems: Bool,
                  cancellation: Cancellation) throws -> Take {
        var request = job.request
        request.format = AudioFormat(name: record.format) ?? request.format
        let audio: AudioBuffer
        do {
            audio = try AudioFileReader.read(record.audioPath)
        } catch {
            throw AppError(.fileError, "take \(record.id): \(error)")
        }
        var stems: [Take.Stem] = []
        for (name, path) in record.orderedStemPaths {
            guard let stem = try? AudioFileReader.read(path) else {
                // A stem gone from disk: all of them are made again below, or none is used.
                stems = []
                break
            }
            stems.append(Take.Stem(name: name, audio: stem))
        }
        var take = Take(audio: audio, stems: stems, midi: nil, seed: record.seed, request: request,
                        interpretation: record.interpretation, engine: job.engine, sections: record.sections,
                        loudness: .init(integrated: record.loudness, truePeak: record.truePeak), engineState: record.engineState)
        if withStems, stems.isEmpty, engine.capabilities.contains(.stems) {
            take.stems = try engine.stems(of: take, progress: { _ in }, cancellation: cancellation)
        }
        return take
    }
}

extension TakeEdit {
    /// The capability an engine needs for this edit.
    var capability: EngineCapabilities {
        switch self {
        case .repaint: .repaint
        case .extend: .extend
        case .restyle: .restyle
        }
    }

    /// The kind of job that makes it.
    var jobKind: JobRecord.Kind {
        switch self {
        case .repaint: .repaint
        case .extend: .extend
        case .restyle: .restyle
        }
    }
}
