import Foundation
import RiffleApp
import RiffleAudio
import RiffleComposer
import RiffleCore
import RiffleEngine

/// The application core: what storing a take with its peaks costs, how fast the studio gets a new
/// take's waveform now that the library keeps its peaks (side by side with decoding the audio and
/// summarising it, as the studio did before), and how fast a repeated request is answered.
func appBenchmarks() throws {
    let catalog = PresetCatalog.standard()
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("riffle-bench-app-\(getpid())")
    defer { try? FileManager.default.removeItem(at: folder) }
    let service = GenerationService(library: try Library(directory: folder), engines: EngineRegistry([
        (name: "composer", start: { try ComposerEngine(catalog: catalog) }),
    ]), catalog: catalog)
    print("Application core benchmarks (median of 11 runs; one 30 s take at 44.1 kHz with five stems, FLAC)\n")

    let request = GenerationRequest(prompt: "upbeat modern pop with piano and synth lead", duration: 30, numVariations: 1, seed: 7)
    let submission = try service.generate(request, outputs: TakeOutputs(stems: true, midi: true))
    guard case .finished(let job) = try service.wait(submission.jobID), job.status == .completed,
          let take = try service.library.takes(ofJob: job.id).first else { fatalError("the benchmark's take was not made") }

    let mix = try AudioFileReader.read(take.audioPath)
    let stems = try take.orderedStemPaths.map { ($0.name, try AudioFileReader.read($0.path)) }
    row("store: peaks of the mix and 5 stems", median(runs: 11) {
        for (_, audio) in [("mix", mix)] + stems { _ = WaveformPeaks(audio, framesPerBin: WaveformPeaks.storedFramesPerBin).encoded() }
    }, realTimeOf: 30)
    let stored = try median(runs: 11) { _ = try service.waveform(of: take.id) }
    let decoded = try median(runs: 11) {
        _ = WaveformPeaks(try AudioFileReader.read(take.audioPath))
        for (_, path) in take.orderedStemPaths { _ = WaveformPeaks(try AudioFileReader.read(path)) }
    }
    row("new take's waveform: stored peaks", stored)
    row("new take's waveform: decode 6 FLACs, summarise", decoded)
    print(String(format: "    stored peaks are %.0fx faster", decoded / stored))
    let lanes = try service.library.waveforms(ofTake: take.id)
    print("    stored: \(lanes.count) lanes, \(lanes.map(\.peaks.count).reduce(0, +) / 1024) KiB in the library")
    row("same request again: answered from the cache", try median(runs: 11) {
        guard try service.generate(request, outputs: TakeOutputs(stems: true, midi: true)).cached else { fatalError("not cached") }
    })
}
