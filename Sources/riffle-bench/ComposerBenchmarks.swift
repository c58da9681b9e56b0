import Foundation
import RiffleAudio
import RiffleComposer
import RiffleCore
import RiffleEngine

/// The Composer's pipeline: a batch of four 30-second takes composed, rendered, mastered and
/// written (the target: under 1.5 s on the 2-core machine, under 300 MB), then each stage alone.
func composerBenchmarks() throws {
    let catalog = PresetCatalog.standard()
    let engine = try ComposerEngine(catalog: catalog)
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("riffle-bench-composer-\(getpid())")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: directory) }
    print("Composer benchmarks (\(ProcessInfo.processInfo.activeProcessorCount) cores; median of 3 runs)\n")

    let prompts = ["upbeat modern pop with piano and synth lead", "dark techno 130 bpm", "laid-back jazz trio with upright bass",
                   "lo-fi hip hop with rhodes, dusty and warm"]
    for prompt in prompts {
        var request = GenerationRequest(prompt: prompt, duration: 30, numVariations: 4, seed: 1234)
        request.format = .flac
        let seeds = (0..<4).map { GenerationRequest.seed(1234, variation: $0) }
        // A first run loads the SoundFonts and warms the page cache, as a studio session would be.
        engine.generateBatch(request, seeds: seeds, progress: { _, _ in }, cancellation: Cancellation()) { _, _ in }
        let cpuBefore = cpuSeconds()
        let time = median(runs: 3) {
            engine.generateBatch(request, seeds: seeds, progress: { _, _ in }, cancellation: Cancellation()) { _, result in
                // A take that failed would make the batch look fast: stop instead.
                do {
                    let take = try result.get()
                    let path = directory.appendingPathComponent("take-\(take.seed).flac").path
                    try AudioFileWriter.write(take.audio, to: path, options: AudioWriteOptions(format: .flac))
                } catch {
                    fatalError("benchmark take failed: \(error)")
                }
            }
        }
        let cpu = (cpuSeconds() - cpuBefore) / 3
        row("4 x 30 s, flac: \(prompt)", time, realTimeOf: 120)
        print(String(format: "    CPU time per batch: %.2f s (%.0f%% of two cores' wall time)", cpu, 100 * cpu / (2 * time / 1000)))
    }

    print(String(format: "peak memory after the batches (max RSS): %.0f MB\n", peakMemoryMegabytes()))

    let request = GenerationRequest(prompt: "upbeat modern pop with piano and synth lead", duration: 30, seed: 99)
    let interpretation = engine.interpret(request)
    let preset = catalog.preset(named: interpretation.genre.value)
    let composer = Composer(style: try ComposerStyle.load(for: preset!), preset: preset, sampling: SamplingParameters(request))
    var score = composer.compose(interpretation, duration: 30, seed: 99)
    row("compose one 30 s score", median(runs: 5) { score = composer.compose(interpretation, duration: 30, seed: 99) })
    let take = try engine.generate(request, seed: 99, progress: { _ in }, cancellation: Cancellation())
    row("generate one 30 s take (all cores)", try median(runs: 3) {
        _ = try engine.generate(request, seed: 99, progress: { _ in }, cancellation: Cancellation())
    }, realTimeOf: 30)
    let stems = take.stems.map(\.audio)
    row("master one take (loudness, limiter, true peak)", try median(runs: 3) {
        var copy = stems
        _ = try Mastering.streaming.master(&copy)
    }, realTimeOf: 30)
    print(String(format: "  (the take: %.2f LUFS, %.2f dBTP; %d notes)", take.loudness.integrated, take.loudness.truePeak,
                 score.parts.map(\.notes.count).reduce(0, +)))
}


/// User plus system CPU time of the whole process so far, in seconds.
func cpuSeconds() -> Double {
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    func seconds(_ time: timeval) -> Double { Double(time.tv_sec) + Double(time.tv_usec) / 1e6 }
    return seconds(usage.ru_utime) + seconds(usage.ru_stime)
}
