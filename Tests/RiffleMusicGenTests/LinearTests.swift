import Foundation
import RiffleCore
import Testing
@testable import RiffleMusicGen

/// Linear against a plain double-precision reference, in each precision, on shapes that are not multiples of
/// the kernels' 16 lanes or 4-output blocks. Serialized: some tests switch the kernels (portable, thread count),
/// which are process-wide.
@Suite("Linear in fp32, fp16 and int8", .serialized)
struct LinearTests {
    /// (out, in): odd sizes, a single output, a row shorter than one vector, and the decoder's widths plus a bit.
    static let shapes: [(Int, Int)] = [(37, 53), (1, 19), (131, 7), (67, 1029), (1027, 65), (5, 4099)]

    /// Deterministic test data (the project's seeded generator), so failures reproduce.
    struct Generator {
        var source: SeededGenerator
        init(state: UInt64) { source = SeededGenerator(seed: Int64(bitPattern: state)) }
        /// Uniform in [-1, 1).
        mutating func float() -> Float { Float(source.nextUnit() * 2 - 1) }
        mutating func floats(_ count: Int, scale: Float = 1) -> [Float] { (0..<count).map { _ in float() * scale } }
    }

    struct Case {
        var out: Int, inputs: Int, rows: Int
        var weight: [Float], bias: [Float]?, x: [Float]
    }

    static func makeCase(out: Int, inputs: Int, rows: Int, bias: Bool, seed: UInt64) -> Case {
        var generator = Generator(state: seed)
        // Rows of different magnitudes, so int8's per-row scales differ.
        var weight = generator.floats(out * inputs, scale: 0.1)
        for o in 0..<out {
            let gain = Float(1 + o % 7)
            for i in 0..<inputs { weight[o * inputs + i] *= gain }
        }
        return Case(out: out, inputs: inputs, rows: rows, weight: weight, bias: bias ? generator.floats(out) : nil,
                    x: generator.floats(rows * inputs))
    }

    /// Σᵢ W[o,i]·x[r,i] + b[o] in double, and Σ |W[o,i]·x[r,i]| + |b[o]| (the scale rounding errors are relative to).
    static func reference(_ weight: [Float], _ c: Case) -> (values: [Double], magnitudes: [Double]) {
        var values = [Double](repeating: 0, count: c.rows * c.out), magnitudes = values
        for r in 0..<c.rows {
            for o in 0..<c.out {
                var sum = Double(c.bias?[o] ?? 0), magnitude = abs(sum)
                for i in 0..<c.inputs {
                    let product = Double(weight[o * c.inputs + i]) * Double(c.x[r * c.inputs + i])
                    sum += product
                    magnitude += abs(product)
                }
                values[r * c.out + o] = sum
                magnitudes[r * c.out + o] = magnitude
            }
        }
        return (values, magnitudes)
    }

    /// Σᵢ |x[r,i]|, for the bounds that scale with the weights' rounding.
    static func inputNorms(_ c: Case) -> [Double] {
        (0..<c.rows).map { r in (0..<c.inputs).reduce(0.0) { $0 + Double(abs(c.x[r * c.inputs + $1])) } }
    }

    /// Every output within `bound(r, o)` of the reference; the first few misses, for the message.
    static func misses(_ y: [Float], _ expected: [Double], rows: Int, out: Int, bound: (Int, Int) -> Double) -> [String] {
        var found: [String] = []
        for r in 0..<rows {
            for o in 0..<out where !(abs(Double(y[r * out + o]) - expected[r * out + o]) <= bound(r, o)) {
                if found.count < 5 { found.append("row \(r) out \(o): \(y[r * out + o]) vs \(expected[r * out + o]) (bound \(bound(r, o)))") }
            }
        }
        return found
    }

    static func bits(_ values: [Float]) -> [UInt32] { values.map(\.bitPattern) }

    /// The same checks on the AVX-512 kernels (where the CPU has them) and on the portable ones.
    static func onEachISA(_ body: () throws -> Void) rethrows {
        defer { Linear.forcePortableKernels(false) }
        for portable in [false, true] {
            Linear.forcePortableKernels(portable)
            try body()
        }
    }

    @Test("fp32 within 1e-5 of a double reference, relative to Σ|w·x|; rows 1–5 and 20 (sgemm), with and without bias")
    func fp32() {
        Self.onEachISA {
            for (index, (out, inputs)) in Self.shapes.enumerated() {
                for rows in [1, 2, 3, 4, 5, 20] {
                    let c = Self.makeCase(out: out, inputs: inputs, rows: rows, bias: rows % 2 == 1, seed: UInt64(100 * index + rows))
                    let y = Linear(weight: c.weight, bias: c.bias, outFeatures: out, inFeatures: inputs).apply(c.x, rows: rows)
                    let (expected, magnitudes) = Self.reference(c.weight, c)
                    let missed = Self.misses(y, expected, rows: rows, out: out) { r, o in 1e-5 * magnitudes[r * out + o] + 1e-30 }
                    #expect(missed.isEmpty, "\(Linear.kernelISA) \(out)×\(inputs), \(rows) rows: \(missed)")
                }
            }
        }
    }

    @Test("fp16 keeps each weight rounded to the nearest half, and is within that rounding of the fp32 result")
    func fp16() {
        Self.onEachISA {
            for (index, (out, inputs)) in Self.shapes.enumerated() {
                for rows in [1, 2, 3, 4, 5, 20] {
                    let c = Self.makeCase(out: out, inputs: inputs, rows: rows, bias: rows % 2 == 0, seed: UInt64(200 * index + rows))
                    let layer = Linear(weight: c.weight, bias: c.bias, outFeatures: out, inFeatures: inputs, precision: .fp16)
                    let rounded = c.weight.map { Float(Float16($0)) }
                    #expect(Self.bits(layer.widenedWeights()) == Self.bits(rounded), "\(Linear.kernelISA) \(out)×\(inputs): weights")
                    let y = layer.apply(c.x, rows: rows)
                    // Against the half weights: arithmetic rounding only.
                    let (exact, magnitudes) = Self.reference(rounded, c)
                    let missed = Self.misses(y, exact, rows: rows, out: out) { r, o in 1e-5 * magnitudes[r * out + o] + 1e-30 }
                    #expect(missed.isEmpty, "\(Linear.kernelISA) \(out)×\(inputs), \(rows) rows: \(missed)")
                    // Against the fp32 weights: each weight is off by at most 2⁻¹¹ of itself, or 2⁻²⁵ where it is a
                    // subnormal half.
                    let (full, fullMagnitudes) = Self.reference(c.weight, c)
                    let norms = Self.inputNorms(c)
                    let far = Self.misses(y, full, rows: rows, out: out) { r, o in
                        (0x1p-11 + 1e-5) * fullMagnitudes[r * out + o] + 0x1p-25 * norms[r] + 1e-30
                    }
                    #expect(far.isEmpty, "\(Linear.kernelISA) \(out)×\(inputs), \(rows) rows vs fp32: \(far)")
                }
            }
        }
    }

    @Test("int8 is symmetric per output row, and within the quantisation bound Σ|x|·scale/2 of the fp32 result")
    func int8() {
        Self.onEachISA {
            for (index, (out, inputs)) in Self.shapes.enumerated() {
                for rows in [1, 2, 3, 4, 5, 20] {
                    let c = Self.makeCase(out: out, inputs: inputs, rows: rows, bias: rows % 2 == 1, seed: UInt64(300 * index + rows))
                    let layer = Linear(weight: c.weight, bias: c.bias, outFeatures: out, inFeatures: inputs, precision: .int8)
                    // The stored weights: q·scale with scale = max|row|/127, q the nearest integer to w/scale.
                    let widened = layer.widenedWeights()
                    var scales: [Double] = []
                    for o in 0..<out {
                        let row = c.weight[o * inputs..<(o + 1) * inputs]
                        let scale = row.map { abs($0) }.max()! / 127
                        scales.append(Double(scale))
                        let expected = row.map { Float(Int8(($0 / scale).rounded(.toNearestOrEven))) * scale }  // int8 has no -0
                        #expect(Self.bits(Array(widened[o * inputs..<(o + 1) * inputs])) == Self.bits(expected),
                                "\(Linear.kernelISA) \(out)×\(inputs) row \(o)")
                    }
                    let y = layer.apply(c.x, rows: rows)
                    let (exact, magnitudes) = Self.reference(widened, c)
                    let missed = Self.misses(y, exact, rows: rows, out: out) { r, o in 1e-5 * magnitudes[r * out + o] + 1e-30 }
                    #expect(missed.isEmpty, "\(Linear.kernelISA) \(out)×\(inputs), \(rows) rows: \(missed)")
                    let (full, fullMagnitudes) = Self.reference(c.weight, c)
                    let norms = Self.inputNorms(c)
                    let far = Self.misses(y, full, rows: rows, out: out) { r, o in
                        norms[r] * scales[o] / 2 * (1 + 1e-5) + 1e-5 * fullMagnitudes[r * out + o] + 1e-30
                    }
                    #expect(far.isEmpty, "\(Linear.kernelISA) \(out)×\(inputs), \(rows) rows vs fp32: \(far)")
                }
            }
        }
    }

    @Test("int8: a row of zeros gives the bias; fp16: halves round to nearest even, overflow to infinity, keep subnormals")
    func edges() {
        Self.onEachISA {
            let zero = Linear(weight: [0, 0, 0, 1, -1, 1], bias: [5, 6], outFeatures: 2, inFeatures: 3, precision: .int8)
            let y = zero.apply([1, 1, 1], rows: 1)
            #expect(y[0] == 5 && abs(y[1] - 7) < 1e-6, "\(y)")
            let values: [Float] = [0, -0.0, 1, 1 + 0x1p-11, 1 + 0x1p-11 + 0x1p-23, 1 + 3 * 0x1p-11, 65504, 65519, 65520, -70000,
                                   0x1p-24, 0x1p-25, 0x1.8p-25, 0x1p-20 * 1.3, 6.1e-5, 1e-10, 0.1, -3.14159,
                                   0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.1, 1.2, 1.3, 1.4, 1.5, 1.6]  // 32: one vector and a tail
            let layer = Linear(weight: values, bias: nil, outFeatures: 1, inFeatures: values.count, precision: .fp16)
            #expect(Self.bits(layer.widenedWeights()) == Self.bits(values.map { Float(Float16($0)) }), "\(Linear.kernelISA)")
        }
    }

    @Test("identical bits between runs, thread counts, and rows taken alone or together")
    func deterministic() {
        defer { Linear.threads = 0 }
        for precision in WeightPrecision.allCases {
            let c = Self.makeCase(out: 1031, inputs: 517, rows: 5, bias: true, seed: 7)
            let layer = Linear(weight: c.weight, bias: c.bias, outFeatures: c.out, inFeatures: c.inputs, precision: precision)
            Linear.threads = 0
            let first = Self.bits(layer.apply(c.x, rows: 5))
            #expect(Self.bits(layer.apply(c.x, rows: 5)) == first, "\(precision): a second run")
            for threads in [1, 2, 3, 8] {
                Linear.threads = threads
                #expect(Self.bits(layer.apply(c.x, rows: 5)) == first, "\(precision): \(threads) threads")
            }
            Linear.threads = 0
            for r in 0..<5 {
                let alone = Self.bits(layer.apply(Array(c.x[r * c.inputs..<(r + 1) * c.inputs]), rows: 1))
                #expect(alone == Array(first[r * c.out..<(r + 1) * c.out]), "\(precision): row \(r) alone")
            }
            let pair = Self.bits(layer.apply(Array(c.x[c.inputs..<3 * c.inputs]), rows: 2))
            #expect(pair == Array(first[c.out..<3 * c.out]), "\(precision): rows 1–2 as a pair")
        }
    }

    @Test("calls from several threads at once (one gets the workers, the others run alone) give the same bits")
    func concurrentCallers() {
        let c = Self.makeCase(out: 1024, inputs: 1024, rows: 2, bias: false, seed: 21)
        let layer = Linear(weight: c.weight, bias: nil, outFeatures: c.out, inFeatures: c.inputs, precision: .fp16)
        let expected = Self.bits(layer.apply(c.x, rows: 2))
        let x = c.x
        DispatchQueue.concurrentPerform(iterations: 4) { _ in
            for _ in 0..<25 {
                let y = Self.bits(layer.apply(x, rows: 2))
                #expect(y == expected)
            }
        }
    }

    @Test("KernelThreads runs every iteration once, and a Linear call inside one still works (on that thread)")
    func kernelThreads() {
        let slots = UnsafeMutableBufferPointer<Int>.allocate(capacity: 1000)
        defer { slots.deallocate() }
        slots.initialize(repeating: 0)
        let c = Self.makeCase(out: 300, inputs: 300, rows: 1, bias: true, seed: 31)
        let layer = Linear(weight: c.weight, bias: c.bias, outFeatures: c.out, inFeatures: c.inputs, precision: .int8)
        let expected = Self.bits(layer.apply(c.x, rows: 1))
        let shared = UncheckedBox((slots, c.x))
        KernelThreads.concurrentPerform(iterations: 1000) { index in
            let (slots, x) = shared.value
            slots[index] += 1
            if index % 100 == 0 { slots[index] += Self.bits(layer.apply(x, rows: 1)) == expected ? 0 : 1000 }
        }
        #expect(slots.allSatisfy { $0 == 1 })
        KernelThreads.concurrentPerform(iterations: 0) { _ in Issue.record("no iterations") }
    }

    struct UncheckedBox<T>: @unchecked Sendable {  // the iterations write disjoint slots
        let value: T
        init(_ value: T) { self.value = value }
    }

    @Test("weights kept: 4, 2 or 1 byte a weight (int8 plus a scale a row), padding and bias counted; the kernels' ISA is reported")
    func memory() {
        let c = Self.makeCase(out: 64, inputs: 128, rows: 1, bias: false, seed: 3)
        let bytes = WeightPrecision.allCases.map {
            Linear(weight: c.weight, bias: nil, outFeatures: 64, inFeatures: 128, precision: $0).weightBytes
        }
        #expect(bytes == [64 * 128 * 4, 64 * 128 * 2, 64 * 128 + 64 * 4])
        // Padded to blocks of 4 outputs and chunks of 16 inputs: 5×17 keeps 8×32.
        let padded = Linear(weight: [Float](repeating: 1, count: 5 * 17), bias: [Float](repeating: 0, count: 5), outFeatures: 5, inFeatures: 17)
        #expect(padded.weightBytes == 8 * 32 * 4 + 5 * 4)
        #expect(["avx512", "portable"].contains(Linear.kernelISA))
    }
}
