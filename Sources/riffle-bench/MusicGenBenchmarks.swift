// MusicGen's decoder speed.
//
//   riffle-bench musicgen-kernels [--rounds N]
//       The matrix products alone, on the decoder's real shapes, 2 rows: OpenBLAS (sgemv per row, sgemm),
//       oneDNN's matmul (f32, bf16, int8) and Riffle's kernels (fp32, fp16, int8; on the worker pool, on
//       DispatchQueue.concurrentPerform, on one thread). Methods alternate within each round, and every call
//       reads a different copy of the weights (copies well past the L3), so the figures are memory's.
//   riffle-bench musicgen [--steps N] [--rounds N] [--folder DIR]
//       Writes a musicgen-small-shaped checkpoint of random weights (no download), then times decoder steps
//       with the guidance batch of 2 rows in fp32, fp16 and int8, alternating, each in its own process
//       (`riffle-bench musicgen-run`) so its peak memory is its own.
import CMusicGenBench
import CMusicGenKernels
import Dispatch
import Foundation
import RiffleCore
import RiffleMusicGen

// MARK: - Shared

/// Nanoseconds on the monotonic clock.
func nanoseconds() -> UInt64 { DispatchTime.now().uptimeNanoseconds }

/// A value of /proc/self/status in kB (VmHWM: the peak resident set; VmRSS: the current one).
func procStatusKilobytes(_ field: String) -> Int {
    guard let text = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return 0 }
    for line in text.split(separator: "\n") where line.hasPrefix(field + ":") {
        return Int(line.split(separator: " ", omittingEmptySubsequences: true).dropFirst().first ?? "0") ?? 0
    }
    return 0
}

func option(_ name: String, in arguments: [String]) -> String? {
    guard let index = arguments.firstIndex(of: name), index + 1 < arguments.count else { return nil }
    return arguments[index + 1]
}

func pad(_ text: String, _ width: Int) -> String { text.padding(toLength: width, withPad: " ", startingAt: 0) }

extension SeededGenerator {
    /// Uniform in [-1, 1): reproducible benchmark data from the project's generator.
    mutating func uniform() -> Float { Float(nextUnit() * 2 - 1) }
}

// MARK: - Decoder steps

/// What the step benchmark drives: a decoder loaded at one precision, ready for `steps` steps of 2 rows.
protocol BenchDecoder: AnyObject {
    /// One step: 2 rows × codebooks ids in, 2 rows × codebooks × vocab logits out.
    func step(_ ids: [Int32]) -> [Float]
    /// Bytes the decoder keeps for its weights.
    var weightBytes: Int { get }
    /// Bytes of its key/value cache at the capacity asked for.
    var cacheBytes: Int { get }
    /// Seconds spent in Linear calls so far (nil if it does not count them).
    var linearSeconds: Double? { get }
    var label: String { get }
}

/// The decoder the step benchmark measures: the real MusicGenDecoder of the written checkpoint, with random
/// text states (16 positions, projected as the engine's would be) and the guidance batch's unconditional row.
func makeBenchDecoder(snapshot: ModelSnapshot, precision: WeightPrecision, textLength: Int, steps: Int) throws -> BenchDecoder {
    try RealDecoder(snapshot: snapshot, precision: precision, textLength: textLength, capacity: steps + 1)
}

/// MusicGenDecoder behind the benchmark's protocol.
final class RealDecoder: BenchDecoder {
    let decoder: MusicGenDecoder
    let cache: DecoderCache
    let label = "MusicGenDecoder (Sources/RiffleMusicGen/Decoder), guidance batch [cond; uncond]"

    init(snapshot: ModelSnapshot, precision: WeightPrecision, textLength: Int, capacity: Int) throws {
        decoder = try MusicGenDecoder(snapshot: snapshot, precision: precision)
        let hidden = decoder.config.hiddenSize
        var generator = SeededGenerator(seed: 5)
        let states = (0..<(textLength * hidden)).map { _ in generator.uniform() * 0.5 }
        let text = TextStates(batch: 1, length: textLength, hidden: hidden, states: states,
                              mask: [Float](repeating: 1, count: textLength))
        cache = decoder.start(text: text.withUnconditionalRows(), maxSteps: capacity)
    }

    func step(_ ids: [Int32]) -> [Float] { decoder.step(ids, cache: cache) }
    var weightBytes: Int { decoder.weightBytes }
    var cacheBytes: Int { cache.bytes }
    var linearSeconds: Double? { nil }
}

/// `riffle-bench musicgen-run PRECISION FOLDER STEPS`: one precision in this process; prints one
/// RESULT line for the parent.
func musicgenDecoderRun(_ arguments: [String]) throws {
    guard arguments.count >= 3, let precision = WeightPrecision(rawValue: arguments[0]), let steps = Int(arguments[2]) else {
        throw BenchError("usage: riffle-bench musicgen-run fp32|fp16|int8 FOLDER STEPS")
    }
    // Experiments: RIFFLE_LINEAR_THREADS, RIFFLE_SPIN_US (the pool's), RIFFLE_BENCH_ATTENTION=kernel|gcd|serial.
    let environment = ProcessInfo.processInfo.environment
    if let threads = environment["RIFFLE_LINEAR_THREADS"].flatMap(Int.init) { Linear.threads = threads }
    if let spin = environment["RIFFLE_SPIN_US"].flatMap(Int32.init) { riffle_mg_set_spin_microseconds(spin) }
    let loadStart = nanoseconds()
    let snapshot = try ModelSnapshot(folder: arguments[1])
    let decoder = try makeBenchDecoder(snapshot: snapshot, precision: precision, textLength: 16, steps: steps)
    let loadSeconds = Double(nanoseconds() - loadStart) / 1e9
    let afterLoad = procStatusKilobytes("VmHWM")
    var generator = SeededGenerator(seed: 3)
    func ids() -> [Int32] { (0..<8).map { _ in Int32(generator.next() % 2048) } }
    // Every step timed; the first few (page faults, thread start) are reported apart.
    var stepTimes: [Double] = []
    let linearBefore = decoder.linearSeconds ?? 0
    for _ in 0..<steps {
        let start = nanoseconds()
        _ = decoder.step(ids())
        stepTimes.append(Double(nanoseconds() - start) / 1e9)
    }
    let linearShare = ((decoder.linearSeconds ?? 0) - linearBefore) / stepTimes.reduce(0, +)
    let warm = Array(stepTimes.dropFirst(min(4, steps - 1)))
    let total = warm.reduce(0, +)
    let last = Array(stepTimes.suffix(32))
    let first = Array(warm.prefix(32))
    print("RESULT precision=\(precision) steps=\(steps) steps_per_s=\(Double(warm.count) / total)" +
          " first32_steps_per_s=\(Double(first.count) / first.reduce(0, +)) last32_steps_per_s=\(Double(last.count) / last.reduce(0, +))" +
          " load_s=\(loadSeconds) weight_bytes=\(decoder.weightBytes) cache_bytes=\(decoder.cacheBytes)" +
          " vmhwm_load_kb=\(afterLoad) vmhwm_kb=\(procStatusKilobytes("VmHWM")) linear_share=\(linearShare)" +
          " label=\(decoder.label.replacingOccurrences(of: " ", with: "_"))")
}

func musicgenBenchmarks(_ arguments: [String]) throws {
    let steps = Int(option("--steps", in: arguments) ?? "") ?? 500
    let rounds = Int(option("--rounds", in: arguments) ?? "") ?? 2
    let folder = option("--folder", in: arguments)
        ?? FileManager.default.temporaryDirectory.appendingPathComponent("riffle-bench-musicgen-\(getpid())").path
    let keep = option("--folder", in: arguments) != nil
    defer { if !keep { try? FileManager.default.removeItem(atPath: folder) } }

    print("MusicGen decoder steps, musicgen-small shapes, random weights, guidance batch of 2 rows")
    if FileManager.default.fileExists(atPath: folder + "/model.safetensors") {
        print("checkpoint: \(folder) (reused)")
    } else {
        let start = nanoseconds()
        let bytes = try RandomMusicGenCheckpoint.write(to: folder)
        print(String(format: "checkpoint: wrote %.2f GB of random weights to %@ in %.1f s", Double(bytes) / 1e9, folder,
                     Double(nanoseconds() - start) / 1e9))
    }
    print("\(steps) steps (\(String(format: "%.1f", Double(steps) / 50)) s of audio at 50 steps/s; the cache grows to \(steps)), " +
          "text of 16 tokens; \(rounds) alternating rounds, each precision in its own process\n")

    // PyTorch's eager decoder on the same shapes, as a fourth contestant in each round, when a Python with
    // torch and transformers is there (--pytorch PYTHON, else $MGVENV/bin/python, else /tmp/mgvenv/bin/python).
    let python = option("--pytorch", in: arguments)
        ?? [ProcessInfo.processInfo.environment["MGVENV"].map { $0 + "/bin/python" }, "/tmp/mgvenv/bin/python"]
            .compactMap { $0 }.first { FileManager.default.isExecutableFile(atPath: $0) }
    let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("scripts/musicgen/bench_pytorch.py").path
    if python == nil { print("PyTorch: no Python with torch found (--pytorch PYTHON or MGVENV); its side is skipped\n") }

    /// Runs one contestant and reads its RESULT line.
    func contest(_ executable: String, _ arguments: [String], _ name: String) throws -> [String: String] {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        guard process.terminationStatus == 0, let line = output.split(separator: "\n").first(where: { $0.hasPrefix("RESULT ") }) else {
            throw BenchError("\(name) failed (status \(process.terminationStatus)): \(output)")
        }
        var fields: [String: String] = [:]
        for pair in line.split(separator: " ").dropFirst() {
            let parts = pair.split(separator: "=", maxSplits: 1)
            if parts.count == 2 { fields[String(parts[0])] = String(parts[1]) }
        }
        return fields
    }

    var results: [WeightPrecision: [[String: String]]] = [:]
    var pytorch: [[String: String]] = []
    for _ in 0..<rounds {
        for precision in WeightPrecision.allCases {
            let fields = try contest(Bundle.main.executablePath ?? CommandLine.arguments[0],
                                     ["musicgen-run", precision.rawValue, folder, String(steps)],
                                     "musicgen-run \(precision)")
            results[precision, default: []].append(fields)
            print(String(format: "  %@ round %d: %.2f steps/s", precision.rawValue, results[precision]!.count, Double(fields["steps_per_s"]!) ?? 0))
        }
        if let python {
            let fields = try contest(python, [script, "--steps", String(steps)], "bench_pytorch.py")
            pytorch.append(fields)
            print(String(format: "  pytorch round %d: %.2f steps/s", pytorch.count, Double(fields["steps_per_s"] ?? "") ?? 0))
        }
    }
    let label = results[.fp32]?.first?["label"]?.replacingOccurrences(of: "_", with: " ") ?? ""
    print("\n\(label)")
    print(pad("precision", 10) + "  steps/s  (first 32, last 32)   s per s of audio   load s   weights kept   KV cache   peak (VmHWM)   peak/weights   in Linear")
    for precision in WeightPrecision.allCases {
        guard let runs = results[precision], !runs.isEmpty else { continue }
        func median(_ key: String) -> Double {
            let values = runs.compactMap { Double($0[key] ?? "") }.sorted()
            return values[values.count / 2]
        }
        let stepsPerSecond = median("steps_per_s")
        let weights = median("weight_bytes"), peak = median("vmhwm_kb") * 1024
        print(pad(precision.rawValue, 10) + String(format: "  %7.2f  (%6.2f, %6.2f)     %8.3f          %6.1f   %8.0f MB   %5.0f MB   %8.0f MB     %8.2f      %5.0f%%",
                                                   stepsPerSecond, median("first32_steps_per_s"), median("last32_steps_per_s"), 50 / stepsPerSecond,
                                                   median("load_s"), weights / 1e6, median("cache_bytes") / 1e6, peak / 1e6, peak / weights,
                                                   100 * median("linear_share")))
    }
    print("  (steps/s: median of the rounds, each over all steps but the first 4; peak: the whole process, weights, KV cache,")
    print("   runtime; \"in Linear\": the share of step time spent in Linear.apply)")
    guard !pytorch.isEmpty else { return }
    // Ratios pair by pair: round r of each precision against PyTorch's round r, run next to it.
    print("\nagainst PyTorch eager (transformers, 2 threads, same shapes and steps), round by round:")
    let torchRates = pytorch.compactMap { Double($0["steps_per_s"] ?? "") }
    print(String(format: "  pytorch   %@ steps/s   peak %.0f MB", torchRates.map { String(format: "%.2f", $0) }.joined(separator: ", "),
                 (pytorch.compactMap { Double($0["peak_bytes"] ?? "") }.max() ?? 0) / 1e6))
    for (precision, target) in [(WeightPrecision.fp32, 2.5), (.fp16, 5), (.int8, 8)] {
        let ours = (results[precision] ?? []).compactMap { Double($0["steps_per_s"] ?? "") }
        let ratios = zip(ours, torchRates).map { $0 / $1 }
        guard !ratios.isEmpty else { continue }
        print(pad(precision.rawValue, 10) + "  " + ratios.map { String(format: "%.2f×", $0) }.joined(separator: ", ")
              + String(format: "   (target ≥ %.1f×)", target))
    }
}
