import Foundation
@testable import RiffleApp
import RiffleAudio
import RiffleCore
import RiffleEngine
import Testing

@Suite("The generation service's calls for the server: continuing uploaded audio, stems as a job")
struct GenerationServiceUploadTests {
    /// `seconds` of a 440 Hz sine at the test requests' rate, stereo, as an upload would be.
    static func upload(seconds: Double) -> AudioBuffer {
        let frames = Int(seconds * 22050)
        let samples = (0..<frames).flatMap { frame -> [Float] in
            let value = Float(0.3 * sin(2 * .pi * 440 * Double(frame) / 22050))
            return [value, value]
        }
        return AudioBuffer(sampleRate: 22050, channelCount: 2, samples: samples)
    }

    // MARK: Continuation

    @Test("a continuation is an extend job with no parent that stores one take: the kept audio and its continuation")
    func continuation() throws {
        let engine = FakeEngine(capabilities: FakeEngine.all.union(.continuation))
        let studio = try Studio(engine)
        let events = EventLog()
        studio.service.observe(events.record)
        let id = try studio.service.continueAudio(Self.upload(seconds: 3), from: 1, seconds: 5, request: request(takes: 3), seed: 11)
        let job = try studio.finished(id)
        #expect(job.status == .completed && job.kind == .extend && job.parentTakeID == nil)
        #expect(job.request.duration == 7 && job.request.numVariations == 1 && job.request.seed == 11)
        #expect(events.story(of: id) == ["pending", "processing", "take", "completed"])
        let takes = try studio.takes(id)
        #expect(takes.count == 1)
        let take = try #require(takes.first)
        #expect(take.seed == 11 && take.parentTakeID == nil)
        #expect(abs(take.duration - 7) < 1e-6)
        let audio = try AudioFileReader.read(take.audioPath)
        #expect(audio.frameCount == 7 * 22050)
        #expect(engine.continuationCount == 1)
    }

    @Test("an engine that cannot continue uploaded audio is refused before a job is made")
    func continuationUnsupported() throws {
        let engine = FakeEngine()
        let studio = try Studio(engine)
        let error = #expect(throws: AppError.self) {
            try studio.service.continueAudio(Self.upload(seconds: 2), from: 0, seconds: 5, request: request(takes: 1))
        }
        #expect(error?.kind == .badInput)
        #expect(error?.description.contains("fake cannot continue uploaded audio") == true)
        #expect(engine.continuationCount == 0)
        #expect(try studio.library.jobs().isEmpty)
    }

    @Test("a start before the audio or at or after its end is refused, naming continuation_start", arguments: [-1, 2, 2 - 1e-6, 2.5])
    func badStart(_ start: Double) throws {
        let engine = FakeEngine(capabilities: FakeEngine.all.union(.continuation))
        let studio = try Studio(engine)
        let error = #expect(throws: AppError.self) {
            try studio.service.continueAudio(Self.upload(seconds: 2), from: start, seconds: 5, request: request(takes: 1))
        }
        #expect(error?.kind == .badInput && error?.field == "continuation_start")
        #expect(engine.continuationCount == 0)
    }

    @Test("a continuation longer than a take may last is refused, naming duration")
    func tooLong() throws {
        let studio = try Studio(FakeEngine(capabilities: FakeEngine.all.union(.continuation)))
        let error = #expect(throws: AppError.self) {
            try studio.service.continueAudio(Self.upload(seconds: 2), from: 0, seconds: GenerationRequest.Limits.duration.upperBound,
                                             request: request(takes: 1))
        }
        #expect(error?.kind == .badInput && error?.field == "duration")
    }

    // MARK: Stems as a job

    @Test("a stems job reports like any job, makes the take's stems, and one for a take with all its stems completes at once")
    func stemsJob() throws {
        let engine = FakeEngine()
        let studio = try Studio(engine)
        let parentJob = try studio.generated(request(takes: 1))
        let take = try studio.takes(parentJob.id)[0]
        #expect(take.stems == nil)
        let events = EventLog()
        studio.service.observe(events.record)
        let id = try studio.service.stemsJob(of: take.id)
        let job = try studio.finished(id)
        #expect(job.status == .completed && job.kind == .stems && job.parentTakeID == take.id)
        #expect(job.prompt == parentJob.prompt && job.request == parentJob.request && job.engine == parentJob.engine)
        #expect(events.story(of: id) == ["pending", "processing", "completed"])
        let stems = try #require(try studio.library.take(take.id)?.stems)
        #expect(stems.keys.sorted() == ["bass", "melody"])
        #expect(stems.values.allSatisfy(fileExists))
        #expect(engine.stemsCount == 1)
        #expect(try studio.takes(id).isEmpty, "a stems job makes no take of its own")

        let again = try studio.finished(try studio.service.stemsJob(of: take.id))
        #expect(again.status == .completed)
        #expect(engine.stemsCount == 1, "the stems on disk are used")
    }

    @Test("a stems job of an unknown take is refused as an unknown id; of an engine without stems, as bad input")
    func stemsJobRefused() throws {
        let studio = try Studio(FakeEngine())
        let unknown = #expect(throws: AppError.self) { try studio.service.stemsJob(of: "j00000000-1") }
        #expect(unknown?.kind == .unknownID)

        let plain = try Studio(FakeEngine(capabilities: [.midi]))
        let take = try plain.takes(plain.generated(request(takes: 1)).id)[0]
        let error = #expect(throws: AppError.self) { try plain.service.stemsJob(of: take.id) }
        #expect(error?.kind == .badInput)
        #expect(try plain.library.jobs().count == 1)
    }
}
