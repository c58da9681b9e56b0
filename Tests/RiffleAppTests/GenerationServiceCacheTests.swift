import Foundation
import GRDB
@testable import RiffleApp
import RiffleCore
import RiffleEngine
import RiffleTestSupport
import Testing

@Suite("The generation service: the cache and resuming")
struct GenerationServiceCacheTests {
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

    @Test("naming the default engine is naming none: one stored request and cache key, so a front end that names it shares the cache with one that does not")
    func defaultEngineNamed() throws {
        let engine = FakeEngine()
        let studio = try Studio([(name: "fake", engine: engine), (name: "other", engine: FakeEngine(version: "2"))])
        let unnamed = try studio.generated(request(genre: "rock"))
        #expect(unnamed.request.engine == nil)
        var named = request(genre: "rock")
        named.engine = "fake"
        #expect(try studio.service.normalise(named) == studio.service.normalise(request(genre: "rock")))
        let again = try studio.service.generate(named)
        #expect(again.cached && again.jobID == unnamed.id)
        // Another engine stays named: its takes are other takes.
        named.engine = "other"
        let other = try studio.service.generate(named)
        #expect(!other.cached)
        #expect(try studio.finished(other.jobID).request.engine == "other")
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

    @Test("a batch cut off by a crash is interrupted when the library opens again, and resuming it makes the missing takes")
    func resumeInterrupted() throws {
        let engine = FakeEngine(behaviour: .block(seeds: [22]))
        let studio = try Studio(engine)
        let id = try studio.service.generate(request(seed: 20, takes: 3)).jobID
        #expect(eventually { (try? studio.library.takes(ofJob: id).count) == 2 && engine.blockedCount == 1 })
        try studio.service.cancel(id)
        _ = try studio.finished(id)
        // As a crash leaves it: processing, owned by a process that is gone.
        let database = try DatabaseQueue(path: studio.library.directory.appendingPathComponent("riffle.sqlite").path)
        let gone = try deadProcess()
        try database.write { db in
            try db.execute(sql: "UPDATE job SET status = 'processing', owner_pid = ? WHERE id = ?", arguments: [gone, id])
        }
        let reopened = try Library(directory: studio.library.directory)
        #expect(try reopened.job(id)?.status == .interrupted)

        engine.behaviour = .succeed
        let service = GenerationService(library: reopened, engines: Studio.registry([(name: "fake", engine: engine)]), catalog: catalog)
        _ = try service.resume(id)
        let job = try studio.finished(id, on: service)
        #expect(job.status == .completed)
        #expect(try reopened.takes(ofJob: id).map(\.seed).sorted() == [20, 21, 22])
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
}

