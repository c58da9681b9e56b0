// Benchmarks: `make bench` builds this in release mode and runs it four times, `riffle-bench
// composer`, `riffle-bench audio`, `riffle-bench app` and `riffle-bench studio`, so each part's peak
// memory is its own. MusicGen's are apart (minutes, and a 2.4 GB checkpoint written to a temporary folder):
// `riffle-bench musicgen-kernels`, `riffle-bench musicgen` (see MusicGenBenchmarks.swift) and
// `riffle-bench musicgen-precision` (MusicGenPrecisionBenchmark.swift).
//
// Each figure is the median of several runs, in milliseconds, on a 30-second stereo take at 44.1 kHz
// (a 5-minute one for the waveform summary, the longest take a request allows). Peak memory is the
// process's maximum resident set size at the end.
import Foundation
import RiffleAudio
import RiffleComposer
import RiffleCore
import RiffleEngine

/// Median wall time of `runs` calls of `body`, in milliseconds.
func median(runs: Int = 5, _ body: () throws -> Void) rethrows -> Double {
    var times: [Double] = []
    for _ in 0..<runs {
        let start = DispatchTime.now().uptimeNanoseconds
        try body()
        times.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6)
    }
    return times.sorted()[times.count / 2]
}

/// A take-like signal: a chord with a slow tremolo, so codecs have real work to do.
func testTake(seconds: Double, sampleRate: Int = 44100) -> AudioBuffer {
    let frames = Int(seconds * Double(sampleRate))
    var samples = [Float](repeating: 0, count: frames * 2)
    for frame in 0..<frames {
        let t = Double(frame) / Double(sampleRate)
        let chord = sin(2 * .pi * 220 * t) + 0.6 * sin(2 * .pi * 277.18 * t) + 0.5 * sin(2 * .pi * 329.63 * t)
        let tremolo = 0.6 + 0.4 * sin(2 * .pi * 0.5 * t)
        samples[2 * frame] = Float(0.25 * chord * tremolo)
        samples[2 * frame + 1] = Float(0.25 * chord * (1.2 - tremolo))
    }
    return AudioBuffer(sampleRate: sampleRate, channelCount: 2, samples: samples)
}

func peakMemoryMegabytes() -> Double {
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    return Double(usage.ru_maxrss) / 1024 // kilobytes on Linux
}

func row(_ name: String, _ milliseconds: Double, realTimeOf seconds: Double? = nil) {
    let speed = seconds.map { String(format: "%8.0fx real time", $0 * 1000 / milliseconds) } ?? ""
    print(name.padding(toLength: 50, withPad: " ", startingAt: 0) + String(format: "%9.2f ms", milliseconds) + "  " + speed)
}

func audioBenchmarks() throws {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("riffle-bench-\(getpid())")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: directory) }

    let take = testTake(seconds: 30)
    print("Riffle audio benchmarks (median of 5 runs; 30 s stereo take at 44.1 kHz)\n")

    let cases: [(String, AudioWriteOptions)] = [
        ("wav 16-bit", AudioWriteOptions(format: .wav, encoding: .pcm16)),
        ("wav 24-bit", AudioWriteOptions(format: .wav, encoding: .pcm24)),
        ("wav 32-bit float", AudioWriteOptions(format: .wav, encoding: .float32)),
        ("flac 16-bit", AudioWriteOptions(format: .flac, encoding: .pcm16)),
        ("flac 24-bit", AudioWriteOptions(format: .flac, encoding: .pcm24)),
        ("ogg vorbis q0.7", AudioWriteOptions(format: .ogg)),
        ("mp3 VBR q0.7", AudioWriteOptions(format: .mp3)),
    ]
    for (name, options) in cases {
        let path = directory.appendingPathComponent("take-\(name.filter(\.isLetter)).\(options.format.fileExtension)").path
        let write = try median { try AudioFileWriter.write(take, to: path, options: options) }
        let read = try median { _ = try AudioFileReader.read(path) }
        let size = (try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0
        row("write \(name) (atomic, fsync) \(size / 1024) KiB", write, realTimeOf: take.duration)
        row("read  \(name)", read, realTimeOf: take.duration)
    }

    let at48k = testTake(seconds: 30, sampleRate: 48000)
    row("resample 48 kHz -> 44.1 kHz (libsamplerate)", try median { _ = try Resampler.resample(at48k, to: 44100) }, realTimeOf: 30)
    row("loudness + true peak (libebur128)", try median { _ = try Loudness.measure(take) }, realTimeOf: 30)

    let longTake = testTake(seconds: 300)
    var peaks = WaveformPeaks(longTake)
    row("waveform summary of a 5-minute take", median { peaks = WaveformPeaks(longTake) }, realTimeOf: 300)
    row("re-bin to 400 columns (200-cell braille)", median(runs: 101) { _ = peaks.columns(400) })
    row("draw braille 200x20", median(runs: 101) { _ = WaveformDrawing.lines(peaks, width: 200, height: 20, style: .braille) })
    row("draw blocks 200x20", median(runs: 101) { _ = WaveformDrawing.lines(peaks, width: 200, height: 20, style: .blocks) })

}

switch CommandLine.arguments.dropFirst().first ?? "all" {
case "composer": try composerBenchmarks()
case "audio": try audioBenchmarks()
case "mastering": try masteringBenchmarks()
case "composer-take": try composerTake(Array(CommandLine.arguments.dropFirst(2)))
case "composer-quality": try composerQualityBenchmark(Array(CommandLine.arguments.dropFirst(2)))
case "studio": try studioBenchmarks()
case "app": try appBenchmarks()
case "musicgen-kernels": try musicgenKernelBenchmarks(Array(CommandLine.arguments.dropFirst(2)))
case "musicgen": try musicgenBenchmarks(Array(CommandLine.arguments.dropFirst(2)))
case "musicgen-precision": try musicgenPrecisionBenchmark(Array(CommandLine.arguments.dropFirst(2)))
case "musicgen-run":
    try musicgenDecoderRun(Array(CommandLine.arguments.dropFirst(2)))
    exit(0)  // the parent reads one RESULT line; no peak-memory footer
default:
    try composerBenchmarks()
    print("")
    try audioBenchmarks()
}
print(String(format: "\npeak memory (max RSS): %.0f MB", peakMemoryMegabytes()))
