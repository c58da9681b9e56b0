import CMusicGenBench
import CMusicGenKernels
import Dispatch
import Foundation
import RiffleCore
import RiffleMusicGen

// `riffle-bench musicgen-kernels`: the decoder's matrix products on their real shapes, our kernels against
// OpenBLAS and oneDNN, alternated in one run (see Linear.swift for the figures and the choice they led to).

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
        var generator = SeededGenerator(seed: Int64(count))
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
    var generator = SeededGenerator(seed: 99)
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


