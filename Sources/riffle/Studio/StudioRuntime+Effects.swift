import Dispatch
import Foundation
import RiffleAudio
import RiffleComposer
import RiffleCore
import RiffleLibrary
import RiffleTUI
import Synchronization

/// The effects the reducer asks for: the player's commands at once, everything that touches the
/// library or the engine on Dispatch queues, with results coming back through the inbox.
extension StudioRuntime {
    func perform(_ effect: StudioEffect) {
        switch effect {
        case .generate(let request): generate(request)
        case .interpret(let request):
            let empty = request.prompt.isEmpty && request.genre == nil && request.tempo == nil
            dispatch(.understood(empty ? "" : engine?.interpret(request).summary ?? ""))
        case .loadWaveform(let id): load(id)
        case .play(let id, let start):
            if let source = sources[id] { player.play(source, from: start) } else { pendingPlayback = (id, start); load(id) }
        case .pause:
            pendingPlayback = nil
            player.pause()
        case .resume: player.resume()
        case .seek(let seconds): player.seek(to: seconds)
        case .switchTake(let id):
            if let source = sources[id] { player.switchTo(source) } else { pendingPlayback = (id, nil); load(id) }
        case .setLoop(let region): player.setLoop(region)
        case .setMuted(let stems): player.setMuted(stems)
        case .rate(let id, let stars): inBackground("Rating \(id)") { library in try library.rate(take: id, stars: stars) }
        case .pick(let id): inBackground("Picking \(id)") { library in try library.pick(take: id) }
        case .cancel(let jobID): queue.cancel(jobID)
        case .repaint(let id, let from, let to, let prompt): edit(id, .repaint(from: from, to: to, prompt: prompt), kind: .repaint)
        case .extend(let id, let seconds): edit(id, .extend(seconds: seconds), kind: .extend)
        case .restyle(let id, let genre): edit(id, .restyle(genre: genre), kind: .restyle)
        case .stems(let id): makeStems(id)
        case .export(let id): export(id)
        case .delete(let id): delete(id)
        case .quit: running = false
        }
    }

    /// Runs a library write off the main thread; a failure comes back as an error message.
    private func inBackground(_ what: String, _ body: @escaping @Sendable (Library) throws -> Void) {
        let (library, inbox) = (self.library, self.inbox)
        work.async {
            do { try body(library) } catch { inbox.post(.notice("\(what): \(error)", isError: true)) }
        }
    }

    // MARK: Jobs

    private func generate(_ request: GenerationRequest) {
        guard let engine else {
            dispatch(.notice("Cannot generate: the engine did not start (see the message when the studio opened)", isError: true))
            return
        }
        let id = newJobID()
        do {
            try library.insert(JobRecord(id: id, kind: .generate, prompt: request.prompt, request: try GenerateCommand.canonicalJSON(request),
                                         engine: engine.identity.description))
        } catch {
            dispatch(.notice("Cannot record the job: \(error)", isError: true))
            return
        }
        dispatch(.jobAdded(JobItem(id: id, prompt: request.prompt, status: .pending, stage: "queued")))
        let runner = JobRunner(engine: engine, library: library, stems: writeStems, midi: true)
        let (inbox, library) = (self.inbox, self.library)
        let count = request.numVariations
        queue.submit(id) { context in
            // The takes render side by side: the job's progress is the mean of theirs.
            let fractions = Mutex([Double](repeating: 0, count: count))
            let outcome = try runner.run(jobID: id, request: request, variations: Array(0..<count), cancellation: context.cancellation,
                                         progress: { index, progress in
                                             let mean = fractions.withLock { fractions in
                                                 fractions[index] = progress.fraction
                                                 return fractions.reduce(0, +) / Double(count)
                                             }
                                             context.report(mean, stage: progress.stage)
                                         },
                                         stored: { _ in Self.postTakes(of: id, library: library, inbox: inbox) })
            if outcome.status == .failed { throw EngineError.failed(outcome.failures.joined(separator: "; ")) }
        }
    }

    /// A job ended: its takes as the library has them, and its status recorded there if the queue
    /// ended it before it started.
    func jobFinished(_ progress: JobProgress) {
        let (library, inbox) = (self.library, self.inbox)
        work.async {
            if progress.status == .cancelled, let job = try? library.job(progress.jobID), !job.status.isFinished {
                try? library.update(job: progress.jobID, to: .cancelled)
            }
            Self.postTakes(of: progress.jobID, library: library, inbox: inbox)
        }
    }

    static func postTakes(of jobID: String, library: Library, inbox: StudioInbox) {
        guard let takes = try? library.takes(ofJob: jobID) else { return }
        inbox.post(.takesLoaded(jobID: jobID, takes.map(StudioItems.take)))
    }

    /// Repaint, extend or restyle as a job of its own; the new take appears under it.
    private func edit(_ takeID: String, _ edit: TakeEdit, kind: JobRecord.Kind) {
        guard let engine else {
            dispatch(.notice("Cannot edit: the engine did not start", isError: true))
            return
        }
        let id = newJobID()
        let parentPrompt = state.jobs.first { $0.takes.contains { $0.id == takeID } }?.prompt ?? ""
        do {
            guard let parent = try library.take(takeID), let parentJob = try library.job(parent.jobID) else {
                dispatch(.notice("\(takeID) is no longer in the library", isError: true))
                return
            }
            try library.insert(JobRecord(id: id, kind: kind, prompt: parentPrompt, request: parentJob.request, parentTakeID: takeID,
                                         engine: engine.identity.description))
        } catch {
            dispatch(.notice("Cannot record the job: \(error)", isError: true))
            return
        }
        dispatch(.jobAdded(JobItem(id: id, kind: kind.rawValue, prompt: parentPrompt, status: .pending, stage: "queued")))
        let (library, inbox) = (self.library, self.inbox)
        queue.submit(id) { context in
            do {
                try library.update(job: id, to: .processing)
                let loader = TakeLoader(library: library, engine: engine)
                let (parent, record) = try loader.load(takeID)
                _ = try loader.edit(parent, record: record, edit, into: id, seed: Int64.random(in: 0...99_999_999),
                                    progress: { context.report($0.fraction, stage: $0.stage) }, cancellation: context.cancellation)
                Self.postTakes(of: id, library: library, inbox: inbox)
            } catch {
                let cancelled = context.cancellation.isCancelled || (error as? EngineError) == .cancelled
                try? library.update(job: id, to: cancelled ? .cancelled : .failed, error: cancelled ? nil : "\(error)")
                throw error
            }
        }
    }

    // MARK: Takes

    /// Reads take `id`'s audio (and stems) for the player and its waveform, off the main thread.
    func load(_ id: String) {
        if let source = sources[id], let waveform = waveforms[id] {
            inbox.post(.loaded(source, waveform))
            return
        }
        let (library, inbox, engine) = (self.library, self.inbox, self.engine)
        work.async {
            do {
                guard let record = try library.take(id) else { throw TakeLoader.Failure(description: "not in the library") }
                let audio = try AudioFileReader.read(record.audioPath)
                var stems: [(String, AudioBuffer)] = []
                for (name, path) in record.orderedStemPaths {
                    guard let stem = try? AudioFileReader.read(path) else { stems = []; break }
                    stems.append((name, stem))
                }
                let source = Player.Source(id: id, mix: audio, stems: stems.map(\.1))
                let sections = engine?.sections(fromState: record.engineState) ?? []
                let waveform = WaveformItem(takeID: id, peaks: WaveformPeaks(audio),
                                            stems: source.stems.isEmpty ? [] : stems.map { .init(name: $0.0, peaks: WaveformPeaks($0.1)) },
                                            sections: sections.map { .init(name: $0.name, start: $0.start) })
                inbox.post(.loaded(source, waveform))
            } catch {
                inbox.post(.loadFailed(takeID: id, "\(error)"))
            }
        }
    }

    /// Keeps a loaded take, dropping the least recently loaded beyond three (the playing one stays).
    func remember(_ source: Player.Source, _ waveform: WaveformItem) {
        sources[source.id] = source
        waveforms[source.id] = waveform
        recentTakes.removeAll { $0 == source.id }
        recentTakes.append(source.id)
        while recentTakes.count > 3 {
            let oldest = recentTakes.removeFirst()
            guard oldest != state.playback.takeID else {
                // The take in the player stays; it goes to the back of the line.
                recentTakes.append(oldest)
                continue
            }
            sources[oldest] = nil
            waveforms[oldest] = nil
        }
    }

    private func forget(_ id: String) {
        sources[id] = nil
        waveforms[id] = nil
        recentTakes.removeAll { $0 == id }
    }

    private func makeStems(_ id: String) {
        guard let engine else { return }
        dispatch(.notice("Making the stems of \(id)…", isError: false))
        forget(id)
        let (library, inbox) = (self.library, self.inbox)
        work.async {
            do {
                let paths = try TakeLoader(library: library, engine: engine).stems(of: id)
                let folder = paths.values.first.map { URL(fileURLWithPath: $0).deletingLastPathComponent().path } ?? ""
                inbox.post(.notice("Stems of \(id) in \(folder): ↑↓ in the waveform choose one, s solos, M mutes", isError: false))
            } catch {
                inbox.post(.notice("Stems of \(id): \(error)", isError: true))
            }
        }
        load(id)
    }

    private func export(_ id: String) {
        let (library, inbox) = (self.library, self.inbox)
        let folder = URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
        work.async {
            do {
                guard let record = try library.take(id) else { throw TakeLoader.Failure(description: "not in the library") }
                let copy = try TakeFiles.copy(TakeFiles.written(record), to: folder)
                inbox.post(.notice("Exported \(id) to \(copy.path)", isError: false))
            } catch {
                inbox.post(.notice("Export of \(id): \(error)", isError: true))
            }
        }
    }

    private func delete(_ id: String) {
        if state.playback.takeID == nil || state.playback.takeID == id { player.pause() }
        forget(id)
        let (library, inbox) = (self.library, self.inbox)
        work.async {
            do {
                try library.delete(take: id)
                inbox.post(.takeDeleted(id))
                inbox.post(.notice("Deleted \(id)", isError: false))
            } catch {
                inbox.post(.notice("Delete \(id): \(error)", isError: true))
            }
        }
    }
}
