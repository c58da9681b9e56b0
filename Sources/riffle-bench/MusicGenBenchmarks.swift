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
import RiffleMusicGen

// MARK: - Shared

/// Nanoseconds on the monotonic clock.
private func nanoseconds() -> UInt64 { DispatchTime.now().uptimeNanoseconds }

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

private func pad(_ text: String, _ width: Int) -> String { text.padding(toLength: width, withPad: " ", startingAt: 0) }

// MARK: - Kernels

/// One way of computing y = x·Wᵀ for 2 rows, over `copies` copies of the same-shaped weights.
private struct Method {
    let name: String
    /// Bytes of weights one call reads (the method's own format).
    let bytes: Int
    /// Runs one call on copy `copy`.
    let run: (Int) -> Void
}

/// Keeps a C-allocated buffer alive for a benchmark's closures.
private final class Buffer: @unchecked Sendable {
    let pointer: UnsafeMutablePointer<Float>
    init(_ count: Int) { pointer = .allocate(capacity: count) }
    deinit { pointer.deallocate() }
}

private final class DNNL: @unchecked Sendable {
    let handle: OpaquePointer
    init?(kind: Int32, rows: Int, out: Int, in inputs: Int, weight: UnsafePointer<Float>) {
        var error = [CChar](repeating: 0, count: 256)
        guard let handle = riffle_mgb_dnnl_create(kind, Int32(rows), Int32(out), Int32(inputs), weight, 1, &error, 256) else {
            print("    oneDNN: \(String(decoding: error.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self))")
            return nil
        }
        self.handle = handle
    }
    deinit { riffle_mgb_dnnl_free(handle) }
}

/// The decoder's matrices (out × in) and how many of each a step reads.
let decoderShapes: [(name: String, out: Int, in: Int, perStep: Int)] = [
    ("attn q/k/v/out, cross q/out", 1024, 1024, 24 * 6),
    ("fc1", 4096, 1024, 24),
    ("fc2", 1024, 4096, 24),
    ("lm head", 2048, 1024, 4),
]

func musicgenKernelBenchmarks(_ arguments: [String]) throws {
    let rounds = Int(option("--rounds", in: arguments) ?? "") ?? 3
    let rows = 2
    print("MusicGen kernels: y = x·Wᵀ for \(rows) rows (the guidance batch), weights from memory (copies rotated past the L3)")
    print("\(ProcessInfo.processInfo.activeProcessorCount) cores; kernels: \(Linear.kernelISA), \(Linear.threads) threads; " +
          "OpenBLAS \(riffle_mgb_openblas_threads()) threads; median of \(rounds) alternating rounds\n")
    var summary: [(shape: String, figures: [(String, Double, Double)])] = []
    for shape in decoderShapes {
        let (out, inputs) = (shape.out, shape.in)
        let count = out * inputs
        let copies = max(4, Int((384.0 * 1024 * 1024 / Double(count * 4)).rounded(.up)))
        var generator = SplitMix(state: UInt64(count))
        let fp32 = (0..<copies).map { _ -> Buffer in
            let buffer = Buffer(count)
            for index in 0..<count { buffer.pointer[index] = generator.uniform() * 0.035 }
            return buffer
        }
        let linears = WeightPrecision.allCases.map { precision in
            fp32.map { Linear(weight: Array(UnsafeBufferPointer(start: $0.pointer, count: count)), bias: nil,
                              outFeatures: out, inFeatures: inputs, precision: precision) }
        }
        let dnnl: [[DNNL]] = [RIFFLE_MGB_DNNL_F32, RIFFLE_MGB_DNNL_BF16, RIFFLE_MGB_DNNL_S8].map { kind in
            fp32.compactMap { DNNL(kind: Int32(kind), rows: rows, out: out, in: inputs, weight: $0.pointer) }
        }
        let x = Buffer(rows * inputs), y = Buffer(rows * out)
        for index in 0..<rows * inputs { x.pointer[index] = generator.uniform() }

        var methods: [Method] = [
            Method(name: "OpenBLAS sgemv x2", bytes: count * 4) { riffle_mgb_sgemv_rows(fp32[$0].pointer, Int32(out), Int32(inputs), x.pointer, Int32(rows), y.pointer) },
            Method(name: "OpenBLAS sgemm", bytes: count * 4) { riffle_mgb_sgemm(fp32[$0].pointer, Int32(out), Int32(inputs), x.pointer, Int32(rows), y.pointer) },
        ]
        for (kind, name, bytes) in [(0, "oneDNN f32", 4), (1, "oneDNN bf16", 2), (2, "oneDNN int8", 1)] where dnnl[kind].count == copies {
            methods.append(Method(name: name, bytes: count * bytes) { _ = riffle_mgb_dnnl_run(dnnl[kind][$0].handle, x.pointer, y.pointer) })
        }
        for (index, precision) in WeightPrecision.allCases.enumerated() {
            let layers = linears[index]
            methods.append(Method(name: "Riffle \(precision) (pool)", bytes: count * precision.bytesPerWeight) {
                layers[$0].apply(x.pointer, rows: rows, into: y.pointer)
            })
        }
        for (index, precision) in WeightPrecision.allCases.enumerated() {
            let layers = linears[index]
            methods.append(Method(name: "Riffle \(precision) (concurrentPerform)", bytes: count * precision.bytesPerWeight) { copy in
                let matrix = Unchecked(layers[copy].kernelMatrix)
                let parts = 2, blocks = (out + 3) / 4
                DispatchQueue.concurrentPerform(iterations: parts) { part in
                    var m = matrix.value
                    let begin = min(out, blocks * part / parts * 4), end = min(out, blocks * (part + 1) / parts * 4)
                    riffle_mg_apply_range(&m, x.pointer, Int32(rows), y.pointer, Int32(begin), Int32(end))
                }
            })
        }
        for (index, precision) in WeightPrecision.allCases.enumerated() {
            let layers = linears[index]
            methods.append(Method(name: "Riffle \(precision) (1 thread)", bytes: count * precision.bytesPerWeight) { copy in
                var matrix = layers[copy].kernelMatrix
                riffle_mg_apply_range(&matrix, x.pointer, Int32(rows), y.pointer, 0, Int32(out))
            })
        }

        var times = [[Double]](repeating: [], count: methods.count)
        for _ in 0..<rounds {
            for (index, method) in methods.enumerated() {
                // OpenBLAS's and OpenMP's idle threads spin for a while after a call: let them sleep first.
                usleep(150_000)
                for copy in 0..<copies { method.run(copy) }  // warm: page-in, thread start
                var calls = 0
                let start = nanoseconds()
                while nanoseconds() - start < 250_000_000 || calls < copies {
                    let begin = nanoseconds()
                    method.run(calls % copies)
                    times[index].append(Double(nanoseconds() - begin) / 1e3)
                    calls += 1
                }
            }
        }
        print("\(out)×\(inputs) (\(shape.name); \(shape.perStep) a step; \(copies) copies)")
        print("    " + pad("method", 34) + "   µs/call (median, best)   GB/s of weights (median)")
        var figures: [(String, Double, Double)] = []
        for (index, method) in methods.enumerated() {
            let sorted = times[index].sorted()
            let median = sorted[sorted.count / 2], best = sorted[0]
            let gigabytes = Double(method.bytes) / (median * 1e3)
            figures.append((method.name, median, gigabytes))
            print("    " + pad(method.name, 34) + String(format: "%10.1f %10.1f   %12.1f", median, best, gigabytes))
        }
        summary.append(("\(out)×\(inputs)", figures))
        print("")
    }
    // Per step: the sum over the decoder's matrices, for each method.
    print("One decoder step's matrices (24 layers: 6 of 1024×1024, fc1, fc2; 4 heads), from the medians above:")
    for (index, method) in summary[0].figures.enumerated() {
        var microseconds = 0.0
        for (shapeIndex, shape) in decoderShapes.enumerated() { microseconds += Double(shape.perStep) * summary[shapeIndex].figures[index].1 }
        print("    " + pad(method.0, 34) + String(format: "%9.1f ms a step  -> at most %6.1f steps/s", microseconds / 1e3, 1e6 / microseconds))
    }

    // Where sgemm overtakes the kernels as rows grow (fp32, 4096×1024).
    print("\nRows: Riffle's fp32 kernel (pool) against OpenBLAS sgemm, 4096×1024, µs per call (median)")
    let (out, inputs) = (4096, 1024)
    let count = out * inputs
    let copies = 24
    var generator = SplitMix(state: 99)
    let weights = (0..<copies).map { _ in (0..<count).map { _ in generator.uniform() * 0.035 } }
    let layers = weights.map { Linear(weight: $0, bias: nil, outFeatures: out, inFeatures: inputs) }
    let x = Buffer(32 * inputs), y = Buffer(32 * out)
    for index in 0..<32 * inputs { x.pointer[index] = generator.uniform() }
    print("    rows   kernel     sgemm")
    for rowCount in [1, 2, 4, 8, 12, 16, 32] {
        var kernel: [Double] = [], sgemm: [Double] = []
        for _ in 0..<rounds {
            usleep(150_000)
            for copy in 0..<copies {
                var matrix = layers[copy].kernelMatrix
                let begin = nanoseconds()
                riffle_mg_apply(&matrix, x.pointer, Int32(rowCount), y.pointer)
                kernel.append(Double(nanoseconds() - begin) / 1e3)
            }
            usleep(150_000)
            for copy in 0..<copies {
                let begin = nanoseconds()
                weights[copy].withUnsafeBufferPointer {
                    riffle_mgb_sgemm($0.baseAddress!, Int32(out), Int32(inputs), x.pointer, Int32(rowCount), y.pointer)
                }
                sgemm.append(Double(nanoseconds() - begin) / 1e3)
            }
        }
        kernel.sort()
        sgemm.sort()
        print(String(format: "    %4d %9.0f %9.0f", rowCount, kernel[kernel.count / 2], sgemm[sgemm.count / 2]))
    }
}

/// A value handed to DispatchQueue.concurrentPerform's workers, which only read it (pointers into buffers each
/// worker touches a disjoint part of).
struct Unchecked<T>: @unchecked Sendable {
    let value: T
    init(_ value: T) { self.value = value }
}

/// SplitMix64: reproducible benchmark data.
struct SplitMix {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
    /// Uniform in [-1, 1).
    mutating func uniform() -> Float { Float(next() >> 40) * 0x1p-23 - 1 }
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
func makeBenchDecoder(snapshot: ModelSnapshot, precision: WeightPrecision, textLength: Int, steps: Int, fuseQKV: Bool) throws -> BenchDecoder {
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
        var generator = SplitMix(state: 5)
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

/// `riffle-bench musicgen-run PRECISION FOLDER STEPS [--fuse-qkv]`: one precision in this process; prints one
/// RESULT line for the parent.
func musicgenDecoderRun(_ arguments: [String]) throws {
    guard arguments.count >= 3, let precision = WeightPrecision(rawValue: arguments[0]), let steps = Int(arguments[2]) else {
        throw BenchError("usage: riffle-bench musicgen-run fp32|fp16|int8 FOLDER STEPS [--fuse-qkv]")
    }
    let fuse = arguments.contains("--fuse-qkv")
    // Experiments: RIFFLE_LINEAR_THREADS, RIFFLE_SPIN_US (the pool's), RIFFLE_BENCH_ATTENTION=kernel|gcd|serial.
    let environment = ProcessInfo.processInfo.environment
    if let threads = environment["RIFFLE_LINEAR_THREADS"].flatMap(Int.init) { Linear.threads = threads }
    if let spin = environment["RIFFLE_SPIN_US"].flatMap(Int32.init) { riffle_mg_set_spin_microseconds(spin) }
    let loadStart = nanoseconds()
    let snapshot = try ModelSnapshot(folder: arguments[1])
    let decoder = try makeBenchDecoder(snapshot: snapshot, precision: precision, textLength: 16, steps: steps, fuseQKV: fuse)
    let loadSeconds = Double(nanoseconds() - loadStart) / 1e9
    let afterLoad = procStatusKilobytes("VmHWM")
    var generator = SplitMix(state: 3)
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
    let fuse = arguments.contains("--fuse-qkv")
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
                                     ["musicgen-run", precision.rawValue, folder, String(steps)] + (fuse ? ["--fuse-qkv"] : []),
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
