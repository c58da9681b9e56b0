import Foundation
import RiffleAudio
import RiffleComposer
import RiffleCore
import RiffleEngine

/// Where mastering a 30-second take spends its time, stage by stage, on the stems of a real take.
func masteringBenchmarks() throws {
    let engine = try ComposerEngine(catalog: PresetCatalog.standard())
    let request = GenerationRequest(prompt: "upbeat modern pop with piano and synth lead", duration: 30, seed: 99)
    let take = try engine.generate(request, seed: 99, progress: { _ in }, cancellation: Cancellation())
    let stems = take.stems.map(\.audio)
    print("Mastering one 30 s take, stage by stage (median of 5)\n")
    let mix = Mastering.sum(stems)
    row("sum of the stems", median { _ = Mastering.sum(stems) })
    row("integrated loudness (libebur128's method)", try median { _ = try Loudness.integrated(mix) })
    let limiter = PeakLimiter(ceiling: 0.8)
    var envelope: [Float] = []
    row("limiter envelope", median { envelope = limiter.envelope(for: mix, gain: 1.5) })
    row("integrated loudness through the envelope", try median { _ = try Loudness.integrated(mix, gain: 1.5, envelope: envelope) })
    row("true and sample peaks (both channels)", try median { _ = try Loudness.peaks(mix, integrated: -14) })
    row("whole measurement (libebur128, all modes)", try median { _ = try Loudness.measure(mix) })
    row("master (everything)", try median {
        var copy = stems
        _ = try Mastering.streaming.master(&copy)
    })
}

/// One 30-second take of a prompt (the first argument, or a pop prompt), composed, rendered and
/// mastered, nothing written: a single unit of work for instruction counts (`valgrind --tool=callgrind`),
/// which, unlike times, repeat exactly on a busy machine.
func composerTake(_ arguments: [String]) throws {
    let engine = try ComposerEngine(catalog: PresetCatalog.standard())
    let request = GenerationRequest(prompt: arguments.first ?? "upbeat modern pop with piano and synth lead", duration: 30, seed: 7)
    let take = try engine.generate(request, seed: 7, progress: { _ in }, cancellation: Cancellation())
    print(String(format: "%.2f LUFS, %d stems", take.loudness.integrated, take.stems.count))
}
