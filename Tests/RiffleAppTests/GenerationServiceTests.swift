import Foundation
@testable import RiffleApp
import RiffleAudio
import RiffleCore
import RiffleEngine
import RiffleTestSupport
import Synchronization
import Testing

@Suite("The generation service: generating, the cache, resuming, cancelling, errors and observers")
struct GenerationServiceTests {
    // MARK: Generating

    @Test("a batch is stored whole: every take with seed + i, its files, waveform lanes and sections, under the normalised request")
    func generate() throws {
        let engine = FakeEngine()
        let studio = try Studio(engine)
        let asked = GenerationRequest(prompt: "  chugging guitar riffs \n", duration: 5, genre: "indie rock", numVariations: 3,
                                      seed: 100, sampleRate: 22050)
        let submission = try studio.service.generate(asked, outputs: TakeOutputs(stems: true, midi: true))
        #expect(!submission.cached)
        let job = try studio.finished(submission.jobID)
        #expect(job.status == .completed)
        #expect(job.error == nil)
        #expect(job.kind == .generate)

        // Trimmed prompt, the preset's canonical name, and the rock preset's guidance (3.5, not the default 3).
        let normal = GenerationRequest(prompt: "chugging guitar riffs", duration: 5, genre: "rock", numVariations: 3, seed: 100,
                                       guidanceScale: 3.5, sampleRate: 22050)
        #expect(job.request == normal)
        #expect(job.prompt == "chugging guitar riffs")
        #expect(job.engine == EngineIdentity(name: "fake", version: "1"))
        #expect(job.model == engine.model)
        #expect(job.outputs == TakeOutputs(stems: true, midi: true))
        #expect(engine.calls.allSatisfy { $0.request == normal }, "the engine is given the normalised request")
        #expect(engine.calls.map(\.seed).sorted() == [100, 101, 102])

        let takes = try studio.takes(submission.jobID)
        #expect(takes.map(\.variation) == [0, 1, 2])
        #expect(takes.map(\.seed) == [100, 101, 102])
        for take in takes {
            #expect(take.jobID == submission.jobID)
            #expect(take.format == "flac" && take.sampleRate == 22050)
            #expect(abs(take.duration - 5) < 0.001)
            #expect(fileExists(take.audioPath))
            let audio = try AudioFileReader.read(take.audioPath)
            let expected = engine.take(normal, seed: take.seed).audio
            #expect(audio.frameCount == expected.frameCount)
            #expect(largestDifference(audio.samples, expected.samples) < 1e-4, "the file holds the engine's audio for its seed")
            #expect(try Data(contentsOf: URL(fileURLWithPath: try #require(take.midiPath))) == FakeEngine.midi(seed: take.seed))
            #expect(take.stems.map { Array($0.keys).sorted() } == ["bass", "melody"])
            #expect(take.stems?.values.allSatisfy { fileExists($0) } == true)
            #expect(take.sections == FakeEngine.sections(duration: 5))
            #expect(take.interpretation.genre.value == "rock")
            #expect(take.engineState == FakeEngine.engineState(normal, seed: take.seed))
            #expect(take.score != nil && take.scoreParts?.isEmpty == false)
            #expect(take.parentTakeID == nil)

            let lanes = try studio.library.waveforms(ofTake: take.id)
            #expect(lanes.map(\.name) == ["mix", "bass", "melody"])
            #expect(lanes.map(\.lane) == [0, 1, 2])
            for lane in lanes {
                let peaks = try WaveformPeaks(encoded: lane.peaks)
                #expect(peaks.frameCount == expected.frameCount)
                #expect(peaks.peak > 0.1, "lane \(lane.name) is not silent")
            }
        }
        let pitches = Set(try takes.map { Array(try AudioFileReader.read($0.audioPath).samples.prefix(2000)) })
        #expect(pitches.count == 3, "each seed gives its own take")
    }

    @Test("guidance left out comes from the genre the prompt reads as; guidance given is kept")
    func guidanceNormalised() throws {
        let studio = try Studio(FakeEngine())
        let ambient = try studio.generated(request("slow ambient drone pads", takes: 1))
        #expect(ambient.request.guidanceScale == 2.5, "the ambient preset's guidance")
        var explicit = request("slow ambient drone pads", takes: 1)
        explicit.guidanceScale = 7
        #expect(try studio.generated(explicit).request.guidanceScale == 7)
    }

    @Test("outputs decide the files: no stems unless asked, no MIDI when not wanted")
    func outputs() throws {
        let studio = try Studio(FakeEngine())
        let plain = try studio.takes(studio.generated(request(takes: 1)).id)[0]
        #expect(plain.stems == nil)
        #expect(fileExists(plain.midiPath))
        #expect(try studio.library.waveforms(ofTake: plain.id).map(\.name) == ["mix"])
        let bare = try studio.takes(studio.generated(request(seed: 8, takes: 1), outputs: TakeOutputs(stems: false, midi: false)).id)[0]
        #expect(bare.midiPath == nil)
        let folder = URL(fileURLWithPath: bare.audioPath).deletingLastPathComponent()
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path) == ["take-1.flac"])
    }

    // MARK: The cache

    @Test("a repeated request with its seed is answered from the cache: the same job, no engine call")
    func cacheHit() throws {
        let engine = FakeEngine()
        let studio = try Studio(engine)
        let first = try studio.service.generate(request(genre: "rock"))
        _ = try studio.finished(first.jobID)
        let calls = engine.generateCount
        #expect(calls == 2)

        let again = try studio.service.generate(request(genre: "rock"))
        #expect(again.cached)
        #expect(again.jobID == first.jobID)
        // Written differently, the same after normalisation: spaces around the prompt, an alias of the genre.
        let respelled = try studio.service.generate(request("  warm rhodes chords\t", genre: "indie rock"))
        #expect(respelled.cached && respelled.jobID == first.jobID)
        #expect(engine.generateCount == calls)
        #expect(try studio.library.jobs().count == 1)
    }

    /// One part of the cache key, changed on its own.
    enum KeyPart: String, CaseIterable, Sendable {
        case seed, duration, prompt, stems, midi, format, sampleRate = "sample rate", engineVersion = "engine version", model
    }

    @Test("changing any one part of the cache key makes a new job", arguments: KeyPart.allCases)
    func cacheMiss(_ part: KeyPart) throws {
        let engine = FakeEngine()
        let studio = try Studio(engine)
        let base = request(takes: 1)
        let first = try studio.service.generate(base)
        _ = try studio.finished(first.jobID)

        var changed = base
        var outputs = TakeOutputs()
        var service = studio.service
        var used = engine
        switch part {
        case .seed: changed.seed = 8
        case .duration: changed.duration = 6
        case .prompt: changed.prompt = "cold rhodes chords"
        case .stems: outputs.stems = true
        case .midi: outputs.midi = false
        case .format: changed.format = .wav
        case .sampleRate: changed.sampleRate = 32000
        case .engineVersion:
            used = FakeEngine(version: "2")
            service = studio.service(with: [(name: "fake", engine: used)])
        case .model:
            used = FakeEngine(model: "/fake/other.sf2 (2 MB)")
            service = studio.service(with: [(name: "fake", engine: used)])
        }
        let before = used.generateCount
        let second = try service.generate(changed, outputs: outputs)
        #expect(!second.cached)
        #expect(second.jobID != first.jobID)
        let job = try studio.finished(second.jobID, on: service)
        #expect(job.status == .completed)
        #expect(used.generateCount == before + 1, "the engine made the take again")

        // The unchanged request is still answered by the first job.
        let same = try studio.service.generate(base)
        #expect(same.cached && same.jobID == first.jobID)
    }

    @Test("a request without a seed is never answered from the cache, and records the seed it was given")
    func noSeedNoCache() throws {
        let engine = FakeEngine()
        let studio = try Studio(engine)
        let first = try studio.service.generate(request(seed: nil, takes: 1))
        let second = try studio.service.generate(request(seed: nil, takes: 1))
        #expect(!first.cached && !second.cached)
        #expect(first.jobID != second.jobID)
        let seeds = try [first, second].map { try #require(try studio.finished($0.jobID).request.seed) }
        #expect(engine.generateCount == 2)
        #expect(Set(engine.calls.map(\.seed)) == Set(seeds), "the recorded seed is the one the take was made with")
        #expect(try studio.takes(first.jobID).map(\.seed) == [seeds[0]])
    }

    @Test("force makes a new job even when the cache has the answer")
    func forceBypassesCache() throws {
        let engine = FakeEngine()
        let studio = try Studio(engine)
        let first = try studio.service.generate(request(takes: 1))
        _ = try studio.finished(first.jobID)
        let forced = try studio.service.generate(request(takes: 1), force: true)
        #expect(!forced.cached && forced.jobID != first.jobID)
        #expect(try studio.finished(forced.jobID).status == .completed)
        #expect(engine.generateCount == 2)
        #expect(try studio.takes(forced.jobID).map(\.seed) == [7])
    }

    @Test("a failed job is no answer: the same request runs again")
    func failedJobNotCached() throws {
        let engine = FakeEngine(behaviour: .fail("the SoundFont is missing"))
        let studio = try Studio(engine)
        let failed = try studio.generated(request(takes: 1))
        #expect(failed.status == .failed)
        engine.behaviour = .succeed
        let again = try studio.service.generate(request(takes: 1))
        #expect(!again.cached && again.jobID != failed.id)
        #expect(try studio.finished(again.jobID).status == .completed)
    }

    // MARK: Resuming

    @Test("resuming a cancelled batch makes only the missing takes, with their original seeds; the takes it had stay as they were")
    func resumeCancelled() throws {
        let engine = FakeEngine(behaviour: .block(seeds: [42]))
        let studio = try Studio(engine)
        let submission = try studio.service.generate(request(seed: 40, takes: 3))
        let id = submission.jobID
        #expect(eventually { (try? studio.library.takes(ofJob: id).count) == 2 && engine.blockedCount == 1 })
        try studio.service.cancel(id)
        #expect(try studio.finished(id).status == .cancelled)
        let kept = try studio.takes(id)
        #expect(kept.map(\.seed) == [40, 41])
        let keptAudio = try kept.map { try Data(contentsOf: URL(fileURLWithPath: $0.audioPath)) }

        engine.behaviour = .succeed
        let callsBefore = engine.generateCount
        let resumed = try studio.service.resume(id)
        #expect(resumed.jobID == id && !resumed.cached)
        let job = try studio.finished(id)
        #expect(job.status == .completed)
        #expect(job.error == nil)
        #expect(engine.calls.dropFirst(callsBefore).map(\.seed) == [42], "only the missing take is made")
        let takes = try studio.takes(id)
        #expect(takes.map(\.seed) == [40, 41, 42])
        #expect(takes.map(\.variation) == [0, 1, 2])
        #expect(Array(takes.prefix(2)) == kept, "the takes it had are untouched")
        #expect(try kept.map { try Data(contentsOf: URL(fileURLWithPath: $0.audioPath)) } == keptAudio)
    }

    @Test("resuming a failed batch makes every take with the seeds it would have had")
    func resumeFailed() throws {
        let engine = FakeEngine(behaviour: .fail("the SoundFont is missing"))
        let studio = try Studio(engine)
        let failed = try studio.generated(request(seed: 10, takes: 2))
        #expect(failed.status == .failed)
        #expect(try studio.takes(failed.id).isEmpty)
        engine.behaviour = .succeed
        _ = try studio.service.resume(failed.id)
        let job = try studio.finished(failed.id)
        #expect(job.status == .completed && job.error == nil)
        #expect(try studio.takes(failed.id).map(\.seed) == [10, 11])
        // Now complete, it answers the request.
        let cached = try studio.service.generate(request(seed: 10, takes: 2))
        #expect(cached.cached && cached.jobID == failed.id)
    }

    @Test("only a failed, cancelled or interrupted generation can be resumed")
    func resumeRefused() throws {
        let studio = try Studio(FakeEngine())
        let done = try studio.generated(request(takes: 1))
        let completed = #expect(throws: AppError.self) { try studio.service.resume(done.id) }
        #expect(completed?.kind == .conflict)
        let unknown = #expect(throws: AppError.self) { try studio.service.resume("j00000000") }
        #expect(unknown?.kind == .unknownID)

        let take = try studio.takes(done.id)[0]
        let edit = try studio.service.edit(take.id, .extend(seconds: 1), seed: 3)
        _ = try studio.finished(edit)
        let editResumed = #expect(throws: AppError.self) { try studio.service.resume(edit) }
        #expect(editResumed?.kind == .badInput)
    }

    @Test("resuming with another version of the engine is refused: its takes would not match")
    func resumeOtherVersion() throws {
        let studio = try Studio(FakeEngine(behaviour: .fail("the SoundFont is missing")))
        let failed = try studio.generated(request(takes: 2))
        #expect(failed.status == .failed)
        let newer = FakeEngine(version: "2")
        let service = studio.service(with: [(name: "fake", engine: newer)])
        let error = #expect(throws: AppError.self) { try service.resume(failed.id) }
        #expect(error?.kind == .engineFailed)
        #expect(error?.description.contains("fake 1") == true)
        #expect(newer.generateCount == 0)
        #expect(try studio.library.job(failed.id)?.status == .failed, "the job is left as it was")
    }

    // MARK: Cancelling

    @Test("cancelling a running job stops the engine; the job ends cancelled")
    func cancelRunning() throws {
        let engine = FakeEngine(behaviour: .block())
        let studio = try Studio(engine)
        let id = try studio.service.generate(request(takes: 1)).jobID
        #expect(eventually { engine.blockedCount == 1 })
        #expect(try studio.library.job(id)?.status == .processing)
        let asked = Date()
        try studio.service.cancel(id)
        let job = try studio.finished(id)
        #expect(job.status == .cancelled)
        #expect(Date().timeIntervalSince(asked) < 2)
        #expect(try studio.library.job(id)?.status == .cancelled)
        #expect(try studio.takes(id).isEmpty)
        #expect(engine.blockedCount == 0)
    }

    @Test("cancelling a job still waiting for its turn means it never starts")
    func cancelPending() throws {
        let engine = FakeEngine(behaviour: .block())
        let studio = try Studio(engine, concurrentJobs: 1)
        let running = try studio.service.generate(request("first job", seed: nil, takes: 1)).jobID
        let waiting = try studio.service.generate(request("second job", seed: nil, takes: 1)).jobID
        #expect(eventually { engine.blockedCount == 1 })
        #expect(try studio.library.job(waiting)?.status == .pending)
        try studio.service.cancel(waiting)
        #expect(try studio.finished(waiting).status == .cancelled)
        try studio.service.cancel(running)
        #expect(try studio.finished(running).status == .cancelled)
        #expect(!engine.calls.contains { $0.request.prompt == "second job" }, "the engine never saw the cancelled job")
        #expect(engine.calls.contains { $0.request.prompt == "first job" })
    }

    @Test("cancelling a finished job is a conflict; an unknown id says so")
    func cancelRefused() throws {
        let studio = try Studio(FakeEngine())
        let done = try studio.generated(request(takes: 1))
        let finished = #expect(throws: AppError.self) { try studio.service.cancel(done.id) }
        #expect(finished?.kind == .conflict)
        let unknown = #expect(throws: AppError.self) { try studio.service.cancel("j12345678") }
        #expect(unknown?.kind == .unknownID)
        #expect(try studio.library.job(done.id)?.status == .completed)
    }

    // MARK: Errors

    @Test("when the engine fails, the job ends failed with the engine's message")
    func engineFails() throws {
        let studio = try Studio(FakeEngine(behaviour: .fail("the SoundFont is missing")))
        let job = try studio.generated(request(takes: 2))
        #expect(job.status == .failed)
        #expect(job.error?.contains("the SoundFont is missing") == true)
        #expect(job.finishedAt != nil)
        #expect(try studio.takes(job.id).isEmpty)
    }

    @Test("a batch where some takes failed completes with the others and a note naming the failures")
    func someTakesFail() throws {
        let studio = try Studio(FakeEngine(behaviour: .fail("out of memory", seeds: [8])))
        let job = try studio.generated(request(seed: 7, takes: 3))
        #expect(job.status == .completed)
        #expect(job.error?.contains("1 of 3 takes failed") == true)
        #expect(job.error?.contains("take 2: out of memory") == true)
        #expect(try studio.takes(job.id).map(\.seed) == [7, 9])
    }

    @Test("an engine that cannot start is an engine failure, and nothing is queued")
    func engineCannotStart() throws {
        let directory = try TemporaryDirectory()
        let library = try Library(directory: directory.url)
        let engines = EngineRegistry([(name: "broken", start: { throw EngineError.failed("no SoundFont at /nowhere.sf2") })])
        let service = GenerationService(library: library, engines: engines, catalog: catalog)
        let error = #expect(throws: AppError.self) { try service.generate(request()) }
        #expect(error?.kind == .engineFailed)
        #expect(error?.description.contains("no SoundFont at /nowhere.sf2") == true)
        let unknown = #expect(throws: AppError.self) { try service.generate(request(), engine: "musicgen") }
        #expect(unknown?.kind == .engineFailed)
        #expect(unknown?.description.contains("musicgen") == true)
        #expect(try library.jobs().isEmpty)
    }

    @Test("bad input is refused before anything runs, naming the field",
          arguments: [("genre", request(genre: "polka")), ("duration", request(duration: 400)), ("duration", request(duration: 2)),
                      ("num_variations", request(takes: 9)), ("prompt", request("   "))])
    func badInput(field: String, asked: GenerationRequest) throws {
        let engine = FakeEngine()
        let studio = try Studio(engine)
        let error = #expect(throws: AppError.self) { try studio.service.generate(asked) }
        #expect(error?.kind == .badInput)
        #expect(error?.description.contains("\(field):") == true, "\(error?.description ?? "")")
        #expect(try studio.library.jobs().isEmpty)
        #expect(engine.generateCount == 0)
    }

    // MARK: Observers

    @Test("observers hear pending → processing → each take → completed, and the library has each status before they hear it")
    func observers() throws {
        let studio = try Studio(FakeEngine())
        let log = EventLog()
        let library = studio.library
        let seen = Mutex<[(told: JobStatus, recorded: JobStatus?)]>([])
        studio.service.observe(log.record)
        let token = studio.service.observe { event in
            guard case .update(let update) = event, update.isStatusChange else { return }
            let recorded = try? library.job(update.jobID)?.status
            seen.withLock { $0.append((update.status, recorded)) }
        }
        let id = try studio.service.generate(request(takes: 2)).jobID
        _ = try studio.finished(id)
        #expect(log.story(of: id) == ["pending", "processing", "take", "take", "completed"])

        let stored = log.all.compactMap { event -> String? in
            if case .takeStored(_, let take) = event { take } else { nil }
        }
        #expect(Set(stored) == Set(try studio.takes(id).map(\.id)))
        let updates = log.all.compactMap { event -> JobQueue.Update? in
            if case .update(let update) = event { update } else { nil }
        }
        #expect(updates.filter { !$0.isStatusChange }.allSatisfy { $0.status == .processing }, "progress comes while processing")
        #expect(updates.last?.status == .completed && updates.last?.fraction == 1)

        let pairs = seen.withLock { $0 }
        #expect(pairs.map(\.told) == [.pending, .processing, .completed])
        #expect(pairs.allSatisfy { $0.told == $0.recorded }, "\(pairs)")

        studio.service.stopObserving(token)
        let second = try studio.service.generate(request(seed: 8, takes: 1)).jobID
        _ = try studio.finished(second)
        #expect(seen.withLock { $0.count } == 3, "a stopped observer hears nothing more")
        #expect(log.story(of: second) == ["pending", "processing", "take", "completed"])
    }
}
