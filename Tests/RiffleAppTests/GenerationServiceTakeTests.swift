import Foundation
@testable import RiffleApp
import RiffleAudio
import RiffleCore
import RiffleEngine
import Testing

@Suite("The generation service on stored takes: edits, stems, delete, export")
struct GenerationServiceTakeTests {
    // MARK: Edits

    static let edits: [TakeEdit] = [.repaint(from: 1, to: 2, prompt: "brighter keys"), .extend(seconds: 2), .restyle(genre: "jazz")]

    @Test("an edit is a job of its own that makes one take from its parent, on the engine that made the parent",
          arguments: edits)
    func edit(_ edit: TakeEdit) throws {
        let a = FakeEngine(name: "a")
        let b = FakeEngine(name: "b", version: "7")
        let studio = try Studio([(name: "a", engine: a), (name: "b", engine: b)])
        let parentJob = try studio.generated(request(seed: 5, takes: 1), engine: "b")
        #expect(parentJob.engine == b.identity)
        let parent = try studio.takes(parentJob.id)[0]

        let id = try studio.service.edit(parent.id, edit, seed: 99)
        #expect(id != parentJob.id)
        let job = try studio.finished(id)
        #expect(job.status == .completed, "\(job.error ?? "")")
        let kind: JobRecord.Kind = switch edit {
        case .repaint: .repaint
        case .extend: .extend
        case .restyle: .restyle
        }
        #expect(job.kind == kind)
        #expect(job.parentTakeID == parent.id)
        #expect(job.engine == b.identity)
        #expect(b.editCount == 1, "the engine that made the take edits it")
        #expect(a.editCount == 0 && a.generateCount == 0 && a.stemsCount == 0, "the default engine is not asked")

        let call = try #require(b.edits.first)
        #expect(call.edit == edit && call.seed == 99)
        #expect(call.parentSeed == 5)
        #expect(call.parentState == parent.engineState, "the engine gets back the state it stored")
        #expect(call.parentFrames == 5 * 22050)

        let takes = try studio.takes(id)
        #expect(takes.count == 1)
        let child = try #require(takes.first)
        #expect(child.parentTakeID == parent.id)
        #expect(child.seed == 99)
        #expect(child.id != parent.id && child.audioPath != parent.audioPath)
        #expect(fileExists(child.audioPath) && fileExists(child.midiPath))
        #expect(child.stems.map { Array($0.keys).sorted() } == ["bass", "melody"], "an edited take keeps its stems, to be edited in turn")
        #expect(try studio.library.waveforms(ofTake: child.id).map(\.name) == ["mix", "bass", "melody"])
        #expect(try studio.library.take(parent.id) == parent, "the parent is left as it was")

        let before = try AudioFileReader.read(parent.audioPath).samples
        let after = try AudioFileReader.read(child.audioPath).samples
        let second = 22050
        switch edit {
        case .repaint:
            #expect(after.count == before.count)
            #expect(largestDifference(Array(after[..<second]), Array(before[..<second])) < 1e-6, "before the range: unchanged")
            #expect(largestDifference(Array(after[(2 * second)...]), Array(before[(2 * second)...])) < 1e-6, "after it: unchanged")
            #expect(largestDifference(Array(after[second..<(2 * second)]), Array(before[second..<(2 * second)])) > 0.01, "repainted")
        case .extend:
            #expect(after.count == before.count + 2 * second)
            #expect(abs(child.duration - 7) < 0.001)
            #expect(largestDifference(Array(after[..<before.count]), before) < 1e-6, "the take it continues is unchanged")
        case .restyle:
            #expect(after.count == before.count)
            #expect(child.interpretation.genre.value == "jazz")
            #expect(largestDifference(after, before) > 0.01)
        }
    }

    @Test("an edit that does not fit its take is rejected: the job is removed, nothing is left, observers hear it was removed")
    func rejectedEdit() throws {
        let engine = FakeEngine()
        let studio = try Studio(engine)
        let log = EventLog()
        studio.service.observe(log.record)
        let parentJob = try studio.generated(request(takes: 1))
        let parent = try studio.takes(parentJob.id)[0]

        let id = try studio.service.edit(parent.id, .repaint(from: 3, to: 9, prompt: nil), seed: 1)
        let outcome = try studio.service.wait(id)
        guard case .rejected(let reason) = outcome else {
            Issue.record("the edit was \(outcome), not rejected")
            return
        }
        #expect(reason.contains("outside the take"), "the engine's reason: \(reason)")
        #expect(engine.editCount == 1)
        #expect(try studio.library.job(id) == nil)
        #expect(try studio.library.jobs().map(\.id) == [parentJob.id])
        #expect(!FileManager.default.fileExists(atPath: studio.library.folder(forJob: id).path))
        #expect(log.all.contains(.removed(jobID: id, reason: reason)))
        #expect(log.story(of: id) == ["pending", "processing", "removed"], "never reported failed")
        #expect(try studio.library.take(parent.id) == parent)
        #expect(throws: AppError.self) { try studio.service.cancel(id) }
    }

    @Test("an edit the engine cannot do, of an unknown take, or with a bad seed is refused before it is queued")
    func editRefused() throws {
        let engine = FakeEngine(capabilities: [.repaint, .midi])
        let studio = try Studio(engine)
        let parent = try studio.takes(studio.generated(request(takes: 1)).id)[0]
        let unsupported = #expect(throws: AppError.self) { try studio.service.edit(parent.id, .restyle(genre: "jazz")) }
        #expect(unsupported?.kind == .badInput)
        #expect(unsupported?.description.contains("restyle") == true)
        let unknown = #expect(throws: AppError.self) { try studio.service.edit("j00000000-1", .extend(seconds: 2)) }
        #expect(unknown?.kind == .unknownID)
        let seed = #expect(throws: AppError.self) { try studio.service.edit(parent.id, .repaint(from: 1, to: 2, prompt: nil), seed: -5) }
        #expect(seed?.kind == .badInput)
        #expect(seed?.description.contains("seed") == true)
        #expect(try studio.library.jobs().count == 1)
        #expect(engine.editCount == 0)
    }

    // MARK: Stems

    @Test("a take made without stems gets them on request: written, recorded, drawn; asking again does not run the engine")
    func stemsLater() throws {
        let engine = FakeEngine()
        let studio = try Studio(engine)
        let take = try studio.takes(studio.generated(request(takes: 1)).id)[0]
        #expect(take.stems == nil)
        #expect(try studio.library.waveforms(ofTake: take.id).count == 1)

        let paths = try studio.service.stems(of: take.id)
        #expect(engine.stemsCount == 1)
        #expect(paths.keys.sorted() == ["bass", "melody"])
        for path in paths.values {
            #expect(fileExists(path))
            #expect(URL(fileURLWithPath: path).deletingLastPathComponent().path == take.stemsFolder.path)
        }
        #expect(try studio.library.take(take.id)?.stems == paths)
        #expect(try studio.library.waveforms(ofTake: take.id).map(\.name) == ["mix", "bass", "melody"])

        // The stems sum to the take's mix.
        let mix = try AudioFileReader.read(take.audioPath).samples
        let bass = try AudioFileReader.read(try #require(paths["bass"])).samples
        let melody = try AudioFileReader.read(try #require(paths["melody"])).samples
        #expect(largestDifference(zip(bass, melody).map { $0 + $1 }, mix) < 1e-4)

        let waveform = try studio.service.waveform(of: take.id)
        #expect(waveform.stems.map(\.name) == ["bass", "melody"])
        #expect(waveform.sections == FakeEngine.sections(duration: 5))

        #expect(try studio.service.stems(of: take.id) == paths)
        #expect(engine.stemsCount == 1, "the stems on disk are used")

        // A stem gone from disk is made again.
        try FileManager.default.removeItem(atPath: try #require(paths["bass"]))
        #expect(try studio.service.stems(of: take.id) == paths)
        #expect(engine.stemsCount == 2)
        #expect(fileExists(paths["bass"]))
    }

    @Test("an engine that cannot make stems says so")
    func stemsUnsupported() throws {
        let engine = FakeEngine(capabilities: [.midi])
        let studio = try Studio(engine)
        let take = try studio.takes(studio.generated(request(takes: 1)).id)[0]
        let error = #expect(throws: AppError.self) { try studio.service.stems(of: take.id) }
        #expect(error?.kind == .badInput)
        #expect(engine.stemsCount == 0)
        #expect(try studio.library.take(take.id)?.stems == nil)
    }

    // MARK: Delete

    @Test("deleting a take removes its row, waveform, audio, MIDI and stems; the rest of its batch stays")
    func deleteTake() throws {
        let studio = try Studio(FakeEngine())
        let job = try studio.generated(request(takes: 2), outputs: TakeOutputs(stems: true, midi: true))
        let takes = try studio.takes(job.id)
        let (gone, kept) = (takes[0], takes[1])
        #expect(FileManager.default.fileExists(atPath: gone.stemsFolder.path))
        try studio.service.delete(gone.id)
        #expect(try studio.library.take(gone.id) == nil)
        #expect(try studio.library.waveforms(ofTake: gone.id).isEmpty)
        #expect(!fileExists(gone.audioPath) && !fileExists(gone.midiPath))
        #expect(!FileManager.default.fileExists(atPath: gone.stemsFolder.path))
        #expect(try studio.library.take(kept.id) == kept)
        #expect(fileExists(kept.audioPath) && FileManager.default.fileExists(atPath: kept.stemsFolder.path))
        #expect(try studio.library.job(job.id) != nil)
    }

    @Test("deleting the last take of a finished job deletes the job and its folder too; a running job's stays")
    func deleteLastTake() throws {
        let studio = try Studio(FakeEngine())
        let job = try studio.generated(request(takes: 2), outputs: TakeOutputs(stems: true, midi: true))
        let takes = try studio.takes(job.id)
        try studio.service.delete(takes[0].id)
        #expect(try studio.library.job(job.id) != nil, "one take left")
        try studio.service.delete(takes[1].id)
        #expect(try studio.library.job(job.id) == nil)
        #expect(!FileManager.default.fileExists(atPath: studio.library.folder(forJob: job.id).path), "no empty folder left behind")
        // Its request is no longer answered from the cache with no takes.
        let again = try studio.service.generate(request(takes: 2), outputs: TakeOutputs(stems: true, midi: true))
        #expect(!again.cached)
    }

    @Test("an edit's progress: the engine's stages up to 90%, then saving, then completed, never sitting at the engine's last stage")
    func editProgress() throws {
        let studio = try Studio(FakeEngine())
        let log = EventLog()
        studio.service.observe(log.record)
        let parent = try studio.takes(studio.generated(request(takes: 1)).id)[0]
        let id = try studio.service.edit(parent.id, .extend(seconds: 2), seed: 1)
        _ = try studio.service.wait(id)
        let updates = log.all.compactMap { event -> JobQueue.Update? in
            if case .update(let update) = event, update.jobID == id { update } else { nil }
        }
        let progress = updates.filter { !$0.isStatusChange }
        #expect(progress.last?.stage == "saving" && progress.last?.fraction == GenerationService.editEngineShare, "\(progress)")
        #expect(progress.dropLast().allSatisfy { $0.fraction <= GenerationService.editEngineShare })
        #expect(updates.last?.status == .completed)
    }

    @Test("deleting a job removes it, its takes and its folder; an unknown id says so")
    func deleteJob() throws {
        let studio = try Studio(FakeEngine())
        let job = try studio.generated(request(takes: 2), outputs: TakeOutputs(stems: true, midi: true))
        let other = try studio.generated(request(seed: 8, takes: 1))
        let takes = try studio.takes(job.id)
        try studio.service.delete(job.id)
        #expect(try studio.library.job(job.id) == nil)
        #expect(try studio.library.takes(ofJob: job.id).isEmpty)
        for take in takes { #expect(try studio.library.waveforms(ofTake: take.id).isEmpty) }
        #expect(!FileManager.default.fileExists(atPath: studio.library.folder(forJob: job.id).path))
        #expect(try studio.takes(other.id).count == 1, "another job is untouched")
        let unknown = #expect(throws: AppError.self) { try studio.service.delete(job.id) }
        #expect(unknown?.kind == .unknownID)
    }

    @Test("deleting a running job cancels it first")
    func deleteRunning() throws {
        let engine = FakeEngine(behaviour: .block())
        let studio = try Studio(engine)
        let id = try studio.service.generate(request(takes: 1)).jobID
        #expect(eventually { engine.blockedCount == 1 })
        try studio.service.delete(id)
        #expect(try studio.library.job(id) == nil)
        #expect(engine.blockedCount == 0, "the engine was stopped")
        #expect(!studio.service.queue.isActive(id))
    }

    // MARK: Export

    @Test("export in the take's own format copies its files byte for byte, with the MIDI and stems beside")
    func exportCopies() throws {
        let studio = try Studio(FakeEngine())
        let take = try studio.takes(studio.generated(request(takes: 1), outputs: TakeOutputs(stems: true, midi: true)).id)[0]
        let folder = studio.directory.url.appendingPathComponent("exports")
        let exported = try studio.service.export(take.id, to: folder.appendingPathComponent("song.flac").path)
        #expect(exported.audio == folder.appendingPathComponent("song.flac").path)
        #expect(try Data(contentsOf: URL(fileURLWithPath: exported.audio)) == Data(contentsOf: URL(fileURLWithPath: take.audioPath)))
        let midi = try #require(exported.midi)
        #expect(midi == folder.appendingPathComponent("song.mid").path)
        #expect(try Data(contentsOf: URL(fileURLWithPath: midi)) == FakeEngine.midi(seed: take.seed))
        let stems = try #require(exported.stems)
        #expect(stems == ["bass": folder.appendingPathComponent("song-bass.flac").path,
                          "melody": folder.appendingPathComponent("song-melody.flac").path])
        for (name, path) in stems {
            let original = try #require(take.stems?[name])
            #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == Data(contentsOf: URL(fileURLWithPath: original)))
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted()
                == ["song-bass.flac", "song-melody.flac", "song.flac", "song.mid"], "no temporary file is left")
    }

    @Test("export in another format re-encodes: a readable file of that format, as long as the take", arguments: [
        ("song.wav", nil as AudioFormat?, AudioFormat.wav), ("song.ogg", nil, .ogg), ("song.audio", .wav, .wav),
    ])
    func exportReencodes(name: String, format: AudioFormat?, expected: AudioFormat) throws {
        let studio = try Studio(FakeEngine())
        let take = try studio.takes(studio.generated(request(takes: 1)).id)[0]
        let path = studio.directory.path(name)
        let exported = try studio.service.export(take.id, to: path, format: format)
        #expect(exported.audio == path)
        let (info, audio) = try AudioFileReader.readWithInfo(path)
        #expect(info.format == expected)
        #expect(audio.sampleRate == 22050)
        #expect(audio.frameCount == 5 * 22050)
        if expected.isLossless {
            let original = try AudioFileReader.read(take.audioPath)
            #expect(largestDifference(audio.samples, original.samples) < 1e-4)
        }
        let midi = try #require(exported.midi)
        #expect(midi == URL(fileURLWithPath: path).deletingPathExtension().path + ".mid")
        #expect(fileExists(midi))
        #expect(exported.stems == nil, "the take has no stems")
    }

    @Test("export to a file whose extension names no format Riffle writes is refused, naming the format")
    func exportUnknownExtension() throws {
        let studio = try Studio(FakeEngine())
        let take = try studio.takes(studio.generated(request(takes: 1)).id)[0]
        let path = studio.directory.path("song.aiff")
        let error = #expect(throws: AppError.self) { try studio.service.export(take.id, to: path) }
        #expect(error?.kind == .badInput)
        #expect(error?.description.contains("aiff") == true)
        #expect(!fileExists(path), "no FLAC written under an .aiff name")
    }

    // MARK: Rating and picking

    @Test("a take is rated 1 to 5 stars and one take of a batch is the pick")
    func rateAndPick() throws {
        let studio = try Studio(FakeEngine())
        let takes = try studio.takes(studio.generated(request(takes: 2)).id)
        try studio.service.rate(takes[0].id, stars: 4)
        #expect(try studio.library.take(takes[0].id)?.rating == 4)
        let bad = #expect(throws: AppError.self) { try studio.service.rate(takes[0].id, stars: 6) }
        #expect(bad?.kind == .badInput)
        let unknown = #expect(throws: AppError.self) { try studio.service.rate("j00000000-1", stars: 3) }
        #expect(unknown?.kind == .unknownID)
        try studio.service.pick(takes[0].id)
        try studio.service.pick(takes[1].id)
        #expect(try studio.takes(takes[0].jobID).map(\.picked) == [false, true])
    }
}
