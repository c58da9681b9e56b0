import Foundation
@testable import RiffleApp
import RiffleAudio
import RiffleCore
import RiffleEngine
import RiffleTestSupport
import Synchronization
import Testing

@Suite("The generation service: generating, cancelling, errors and observers")
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

    @Test("a batch that lost takes does not stand in for the whole batch when the request is repeated")
    func partialBatchIsNotTheAnswer() throws {
        let engine = FakeEngine(behaviour: .fail("out of memory", seeds: [8]))
        let studio = try Studio(engine)
        let partial = try studio.generated(request(seed: 7, takes: 3))
        #expect(partial.status == .completed)
        #expect(try studio.takes(partial.id).count == 2)
        engine.behaviour = .succeed
        let again = try studio.service.generate(request(seed: 7, takes: 3))
        #expect(!again.cached)
        _ = try studio.finished(again.jobID)
        #expect(try studio.takes(again.jobID).count == 3)
        // Or the partial batch is finished: resume makes just the missing take, with its own seed.
        let resumed = try studio.service.resume(partial.id)
        let finished = try studio.finished(resumed.jobID)
        #expect(finished.status == .completed && finished.error == nil)
        #expect(try studio.takes(partial.id).map(\.seed).sorted() == [7, 8, 9])
    }

    @Test("a job already running is not submitted twice: a second resume is refused")
    func resumeTwice() throws {
        let engine = FakeEngine(behaviour: .fail("out of memory", seeds: [8]))
        let studio = try Studio(engine)
        let partial = try studio.generated(request(seed: 7, takes: 3))
        engine.behaviour = .block()
        _ = try studio.service.resume(partial.id)
        let second = #expect(throws: AppError.self) { try studio.service.resume(partial.id) }
        #expect(second?.kind == .conflict)
        try studio.service.cancel(partial.id)
        #expect(try studio.finished(partial.id).status == .cancelled)
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

