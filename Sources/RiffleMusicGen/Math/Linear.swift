// How a Linear multiplies, and why (`riffle-bench musicgen-kernels` measures it).
//
// A decoder step multiplies two rows (the guidance batch [cond; uncond]) by every weight matrix: a stream of
// ~344 M weights read once, so it is memory-bound and what matters is how close each call comes to the
// machine's bandwidth. Side by side on the decoder's shapes, 2 rows, methods alternating, every call on a
// different copy of the weights (copies well past the 32 MB L3); GB/s of weights read, median µs per call
// (the 2-core AVX-512 VM, Zen 4, with other jobs running, so ±15%):
//
//                              1024×1024      4096×1024 fc1   1024×4096 fc2   2048×1024 head   a step's matrices
//   OpenBLAS sgemv ×2          18.0   233 µs  17.5   961 µs   19.4   867 µs   16.6   507 µs    79 ms  12.6 steps/s
//   OpenBLAS sgemm (2 rows)     8.2   512 µs   8.5  1974 µs    8.8  1901 µs    8.2  1027 µs   171 ms   5.9
//   oneDNN matmul f32          19.5   215 µs  22.1   759 µs   18.7   896 µs   20.7   406 µs    72 ms  13.8
//   oneDNN matmul bf16         20.4   103 µs  25.9   324 µs   19.6   429 µs   21.5   195 µs    34 ms  29.8
//   oneDNN matmul int8 (x too) 20.5    51 µs  29.3   143 µs   24.7   170 µs   26.4    79 µs    15 ms  65.8
//   Riffle fp32                27.0   156 µs  32.7   514 µs   25.3   664 µs   28.0   300 µs    52 ms  19.3
//   Riffle fp16                27.5    76 µs  32.2   260 µs   27.2   309 µs   28.3   148 µs    25 ms  39.6
//   Riffle int8                26.5    40 µs  31.2   135 µs   23.7   177 µs   25.8    81 µs    14 ms  74.0
//   (Riffle's kernels on DispatchQueue.concurrentPerform instead of the pool: 15.5 / 28.1 / 43.8 steps/s;
//    on one thread: 12.6 / 28.1 / 45.4.)
//
// So rows 1…smallRowLimit go through our own kernels (Sources/CMusicGenKernels): sgemm treats 2 rows as a
// general GEMM and packs panels (a third of the bandwidth); sgemv streams well but reads every weight once per
// row; oneDNN's brgemm matmul, given its own blocked weights, gets close, but its int8 quantizes the activations
// too (a second rounding the tests' bound would not allow) and it brings OpenMP's threads along. Ours:
//   - weights packed at load into tiles of 1024 inputs × blocks of 4 outputs × chunks of 16 (one sequential
//     stream per tile, x's tile in L1): row-major, read four rows at a time, got half the bandwidth, and fc2's
//     4096-wide x thrashed L1 (int8 fc2 went 7 → 17 GB/s on one core with the tiles);
//   - each weight widened to fp32 as read (F16C, or sign-extend and convert for int8) and multiplied by every
//     row of x; fp32 accumulation in a fixed order, so results do not depend on threads or row count;
//   - outputs cut into chunks that the caller and a persistent worker claim one at a time (cheaper per call than
//     concurrentPerform: 150+ calls a step; and a descheduled worker costs nothing).
// Many rows (the T5 encoder, a prompt, the codec) go through OpenBLAS's sgemm on weights widened a block of
// outputs at a time: below 32 rows our kernel still beats sgemm (fp32 4096×1024, µs: 8 rows 1057 vs 2474,
// 16 rows 1413 vs 2611, 32 rows 2338 vs 5713), so the limit is 16.
import CMusicGenKernels
import COpenBLAS
import Foundation

/// A fully connected layer, y = x·Wᵀ + b, for a few rows of x at a time.
///
/// W is `outFeatures × inFeatures`, row-major, as PyTorch's `nn.Linear.weight` stores it. The layer owns
/// its weights (converted from the checkpoint once, at load) in the chosen `WeightPrecision`: fp32; fp16 as
/// IEEE half (round to nearest even); int8 symmetric per output row, scale = max|row| / 127, rounded to nearest.
/// Results are deterministic: the same inputs give the same bits whatever the thread split or the row count.
public final class Linear: @unchecked Sendable {  // immutable after init; the storage is freed in deinit
    public let inFeatures: Int
    public let outFeatures: Int
    public let precision: WeightPrecision

    /// Up to this many rows the layer uses its own kernels; more go through sgemm.
    public static let smallRowLimit = 16

    /// The weights, 64-byte aligned, `outFeatures × inFeatures` values of `precision` in the kernels' packed
    /// layout (blocks of 4 outputs, chunks of 16 inputs, zero-padded: see musicgen_kernels.h).
    private let storage: UnsafeMutableRawPointer
    /// int8: one scale per output; nil otherwise.
    private let scales: UnsafeMutablePointer<Float>?
    private let biasStorage: UnsafeMutablePointer<Float>?

    /// A layer from `weight` (`outFeatures × inFeatures`, row-major) and an optional bias of `outFeatures`.
    public convenience init(weight: [Float], bias: [Float]?, outFeatures: Int, inFeatures: Int, precision: WeightPrecision = .fp32) {
        precondition(weight.count == outFeatures * inFeatures, "Linear: \(weight.count) weights for \(outFeatures)×\(inFeatures)")
        precondition(bias == nil || bias!.count == outFeatures, "Linear: bias of \(bias!.count) for \(outFeatures) outputs")
        self.init(outFeatures: outFeatures, inFeatures: inFeatures, precision: precision, hasBias: bias != nil)
        weight.withUnsafeBufferPointer { source in
            guard let source = source.baseAddress, outFeatures * inFeatures > 0 else { return }
            riffle_mg_pack(source, Int32(outFeatures), Int32(inFeatures), Self.kind(precision), storage, scales)
        }
        if let bias, let biasStorage { biasStorage.update(from: bias, count: outFeatures) }
    }

    /// Uninitialised storage for the shape.
    private init(outFeatures: Int, inFeatures: Int, precision: WeightPrecision, hasBias: Bool) {
        precondition(outFeatures >= 0 && inFeatures >= 0 && outFeatures <= Int(Int32.max) && inFeatures <= Int(Int32.max),
                     "Linear: shape \(outFeatures)×\(inFeatures) out of range")
        self.inFeatures = inFeatures
        self.outFeatures = outFeatures
        self.precision = precision
        let bytes = max(64, (riffle_mg_packed_count(Int32(outFeatures), Int32(inFeatures)) * precision.bytesPerWeight + 63) / 64 * 64)
        storage = UnsafeMutableRawPointer.allocate(byteCount: bytes, alignment: 64)
        scales = precision == .int8 ? .allocate(capacity: max(1, outFeatures)) : nil
        biasStorage = hasBias ? .allocate(capacity: max(1, outFeatures)) : nil
    }

    deinit {
        storage.deallocate()
        scales?.deallocate()
        biasStorage?.deallocate()
    }

    /// Bytes the layer keeps in memory: the packed weights (with their padding to blocks of 4 outputs and 16
    /// inputs; none for the model's shapes), int8's scales and the bias.
    public var weightBytes: Int {
        riffle_mg_packed_count(Int32(outFeatures), Int32(inFeatures)) * precision.bytesPerWeight
            + (scales == nil ? 0 : outFeatures * 4) + (biasStorage == nil ? 0 : outFeatures * 4)
    }

    private static func kind(_ precision: WeightPrecision) -> Int32 {
        switch precision {
        case .fp32: Int32(RIFFLE_MG_F32)
        case .fp16: Int32(RIFFLE_MG_F16)
        case .int8: Int32(RIFFLE_MG_I8)
        }
    }

    /// The kernels' view of the weights (valid while the layer lives): for benchmarks that call the kernels directly.
    public var kernelMatrix: riffle_mg_matrix {
        riffle_mg_matrix(precision: Self.kind(precision), out: Int32(outFeatures), in: Int32(inFeatures), weight: UnsafeRawPointer(storage),
                         scale: UnsafePointer(scales), bias: UnsafePointer(biasStorage))
    }

    /// y[r] = W·x[r] + b for `rows` rows: `x` holds `rows × inFeatures`, `y` receives `rows × outFeatures`.
    public func apply(_ x: UnsafePointer<Float>, rows: Int, into y: UnsafeMutablePointer<Float>) {
        guard rows > 0, outFeatures > 0 else { return }
        guard inFeatures > 0 else {
            for row in 0..<rows { fillBias(y + row * outFeatures) }
            return
        }
        var matrix = kernelMatrix
        if rows <= Self.smallRowLimit {
            riffle_mg_apply(&matrix, x, Int32(rows), y)
            return
        }
        // Many rows: sgemm, with y first holding the bias (beta 1) or zero (beta 0), on the weights widened to
        // row-major fp32 a block of outputs (about 1 MB) at a time.
        let hasBias = biasStorage != nil
        if hasBias { for row in 0..<rows { fillBias(y + row * outFeatures) } }
        let beta: Float = hasBias ? 1 : 0
        let block = max(16, min(outFeatures, (1 << 18) / inFeatures))
        let widened = UnsafeMutablePointer<Float>.allocate(capacity: block * inFeatures)
        defer { widened.deallocate() }
        var begin = 0
        while begin < outFeatures {
            let end = min(outFeatures, begin + block)
            riffle_mg_widen(&matrix, Int32(begin), Int32(end), widened)
            cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, Int32(rows), Int32(end - begin), Int32(inFeatures), 1,
                        x, Int32(inFeatures), widened, Int32(inFeatures), beta, y + begin, Int32(outFeatures))
            begin = end
        }
    }

    private func fillBias(_ out: UnsafeMutablePointer<Float>) {
        if let biasStorage {
            out.update(from: biasStorage, count: outFeatures)
        } else {
            out.update(repeating: 0, count: outFeatures)
        }
    }

    /// The same for arrays: `x` holds `rows × inFeatures` values.
    public func apply(_ x: [Float], rows: Int) -> [Float] {
        precondition(x.count == rows * inFeatures, "Linear: \(x.count) inputs for \(rows)×\(inFeatures)")
        return [Float](unsafeUninitializedCapacity: rows * outFeatures) { y, initialized in
            x.withUnsafeBufferPointer { apply($0.baseAddress!, rows: rows, into: y.baseAddress!) }
            initialized = rows * outFeatures
        }
    }

    /// The weights as fp32, `outFeatures × inFeatures` (fp16 and int8 widened, int8's scale applied): what the
    /// layer actually multiplies by.
    public func widenedWeights() -> [Float] {
        var matrix = kernelMatrix
        return [Float](unsafeUninitializedCapacity: outFeatures * inFeatures) { buffer, initialized in
            if outFeatures * inFeatures > 0 { riffle_mg_widen(&matrix, 0, Int32(outFeatures), buffer.baseAddress!) }
            initialized = outFeatures * inFeatures
        }
    }

    /// Which kernels run: "avx512" or "portable".
    public static var kernelISA: String { riffle_mg_isa() != 0 ? "avx512" : "portable" }

    /// Forces the portable kernels (true) or lets the CPU decide again (false): for tests and benchmarks.
    public static func forcePortableKernels(_ portable: Bool) { riffle_mg_force_portable(portable ? 1 : 0) }

    /// Threads the small-row kernels split across, the caller's included (default: the online CPUs, at most 8).
    public static var threads: Int {
        get { Int(riffle_mg_threads()) }
        set { riffle_mg_set_threads(Int32(newValue)) }
    }
}

extension TensorSource {
    /// The `nn.Linear` at `module` (`module.weight`, and `module.bias` when `bias` is true).
    public func linear(_ module: String, bias: Bool, precision: WeightPrecision = .fp32) throws -> Linear {
        let weight = try effectiveWeight(of: module)
        guard weight.shape.count == 2 else {
            throw CheckpointError(sourcePath, "\(module).weight has shape \(weight.shape); a linear layer's is [out, in]")
        }
        var biasValues: [Float]?
        if bias {
            guard let tensor = tensor(named: "\(module).bias") else { throw CheckpointError(sourcePath, "has no tensor \(module).bias") }
            guard tensor.shape == [weight.shape[0]] else {
                throw CheckpointError(sourcePath, "\(module).bias has shape \(tensor.shape); \(module).weight needs [\(weight.shape[0])]")
            }
            biasValues = try tensor.floats()
        }
        let layer = Linear(weight: weight.values, bias: biasValues, outFeatures: weight.shape[0], inFeatures: weight.shape[1], precision: precision)
        // The layer has its own copy now: the checkpoint's pages it read need not stay in this process's memory.
        for suffix in ["weight", "bias", "weight_g", "weight_v", "parametrizations.weight.original0", "parametrizations.weight.original1"] {
            if let tensor = tensor(named: "\(module).\(suffix)") { tensor.releaseMappedPages() }
        }
        return layer
    }
}

extension SafeTensor {
    /// Drops this process's resident pages of the tensor (whole pages, so maybe a neighbour's edge too). The
    /// mapping is read-only and private, so nothing is lost: the pages stay in the page cache and a later read
    /// faults them back in. Without this, loading a checkpoint keeps every weight twice in the resident set
    /// (the mapped fp32 bytes and the layer's converted copy) until the file is unmapped.
    func releaseMappedPages() {
        guard let base = bytes.baseAddress, bytes.count > 0 else { return }
        let page = Int(sysconf(Int32(_SC_PAGESIZE)))
        guard page > 0 else { return }
        let start = Int(bitPattern: base) / page * page
        let end = (Int(bitPattern: base) + bytes.count + page - 1) / page * page
        withExtendedLifetime(owner) { _ = madvise(UnsafeMutableRawPointer(bitPattern: start), end - start, MADV_DONTNEED) }
    }
}
