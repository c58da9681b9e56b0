import Foundation
import RiffleEngine

/// Runs stems' filters and wideners in place.
///
/// Filters run four to a pass, their state in registers: a biquad's recurrence is bound by its own
/// latency (each output waits for the one before), so one filter alone leaves the core mostly idle,
/// while four in one loop overlap and cost little more than one; state kept in memory instead would
/// add a store and a load to every step of each chain. Two stems run together, their four channels
/// as one four-lane vector with each stem's coefficients in its lanes: a pass over two stems costs
/// about what a pass over one did.
enum StemProcessor {
    /// What one stem goes through: its filters in order, then the widener.
    struct Chain {
        var filters: [Biquad]
        /// How much of the delayed, high-passed mid is added to one side and taken from the other (0 for none).
        var width: Double
        /// The widener's delay, in milliseconds.
        var widthDelay: Double

        var isEmpty: Bool { filters.isEmpty && width <= 0 }
    }

    /// Runs a chain on one stereo `buffer` (anything else is left as it is).
    static func apply(_ filters: [Biquad], width: Double, widthDelay: Double, to buffer: inout AudioBuffer) {
        apply(Chain(filters: filters, width: width, widthDelay: widthDelay), to: &buffer)
    }

    /// Runs `chain` on one stereo `buffer` (anything else is left as it is).
    static func apply(_ chain: Chain, to buffer: inout AudioBuffer) {
        guard buffer.channelCount == 2, buffer.frameCount > 0, !chain.isEmpty else { return }
        let (frames, rate) = (buffer.frameCount, buffer.sampleRate)
        buffer.samples.withUnsafeMutableBufferPointer { samples in
            process(samples.baseAddress!, chain, nil, frames: frames, sampleRate: rate)
        }
    }

    /// Runs `first` on `a` and `second` on `b` in one go: two stereo buffers of one length. Any
    /// other pair goes one buffer at a time.
    static func apply(_ first: Chain, to a: inout AudioBuffer, and second: Chain, to b: inout AudioBuffer) {
        guard a.channelCount == 2, b.channelCount == 2, a.frameCount > 0, a.samples.count == b.samples.count,
              !first.isEmpty, !second.isEmpty else {
            apply(first, to: &a)
            apply(second, to: &b)
            return
        }
        let (frames, rate) = (a.frameCount, a.sampleRate)
        a.samples.withUnsafeMutableBufferPointer { aSamples in
            b.samples.withUnsafeMutableBufferPointer { bSamples in
                process(aSamples.baseAddress!, first, (bSamples.baseAddress!, second), frames: frames, sampleRate: rate)
            }
        }
    }

    /// The filters of `a` (and of `b`, when there is one) four stages a pass, then each widener.
    /// Alone, `a` fills both halves of the vector, the second half through identity stages.
    private static func process(_ a: UnsafeMutablePointer<Float>, _ first: Chain, _ b: (UnsafeMutablePointer<Float>, Chain)?,
                                frames: Int, sampleRate: Int) {
        let second = b?.1
        let stages = max(first.filters.count, second?.filters.count ?? 0)
        for firstFilter in stride(from: 0, to: stages, by: 4) {
            func stage(_ offset: Int) -> Stage {
                Stage(first.filters.element(firstFilter + offset), second?.filters.element(firstFilter + offset))
            }
            run(stage(0), stage(1), stage(2), stage(3), left: a, right: b?.0 ?? a, frames: frames)
        }
        widen(a, first, b, frames: frames, sampleRate: sampleRate)
    }

    /// Lauridsen's complementary combs: the delayed mid, high-passed at 250 Hz (one pole) so bass
    /// and kick stay centred, added to the left and taken from the right; for `a` and, when given,
    /// `b` in one loop, since the one-pole recursion, not the arithmetic, sets the pace.
    ///
    /// The mids are read before the widening touches their frame; each delay line holds only the
    /// sides still to be used.
    private static func widen(_ a: UnsafeMutablePointer<Float>, _ first: Chain, _ b: (UnsafeMutablePointer<Float>, Chain)?,
                              frames: Int, sampleRate: Int) {
        let second = b?.1 ?? Chain(filters: [], width: 0, widthDelay: 0)
        guard first.width > 0 || second.width > 0 else { return }
        // A stem without a widener, or no second stem, runs at width 0: it adds exact zeros.
        let other = second.width > 0 ? b!.0 : a
        func delay(_ chain: Chain) -> Int { max(1, Int(chain.widthDelay * Double(sampleRate) / 1000)) }
        let (firstDelay, secondDelay) = (delay(first), delay(second))
        let amount = SIMD2(Float(min(max(first.width, 0), 1)), Float(min(max(second.width, 0), 1)))
        let timeConstant = 1 / (2 * Double.pi * 250)
        let pole = Float(timeConstant / (timeConstant + 1 / Double(sampleRate)))
        var previousMid = SIMD2<Float>.zero, side = SIMD2<Float>.zero
        var firstLine = [Float](repeating: 0, count: firstDelay), secondLine = [Float](repeating: 0, count: secondDelay)
        firstLine.withUnsafeMutableBufferPointer { firstLine in
            secondLine.withUnsafeMutableBufferPointer { secondLine in
                var firstSlot = 0, secondSlot = 0
                for frame in 0..<frames {
                    let mid = 0.5 * SIMD2(a[2 * frame] + a[2 * frame + 1], other[2 * frame] + other[2 * frame + 1])
                    side = pole * (side + mid - previousMid)
                    previousMid = mid
                    let scaled = amount * side
                    // Each slot holds the side of `delay` frames ago (zero for the first `delay` frames).
                    let firstDelayed = firstLine[firstSlot], secondDelayed = secondLine[secondSlot]
                    firstLine[firstSlot] = scaled[0]
                    secondLine[secondSlot] = scaled[1]
                    firstSlot = firstSlot + 1 == firstDelay ? 0 : firstSlot + 1
                    secondSlot = secondSlot + 1 == secondDelay ? 0 : secondSlot + 1
                    if first.width > 0 {
                        a[2 * frame] += firstDelayed
                        a[2 * frame + 1] -= firstDelayed
                    }
                    if second.width > 0 {
                        other[2 * frame] += secondDelayed
                        other[2 * frame + 1] -= secondDelayed
                    }
                }
            }
        }
    }

    /// Two stems' biquads side by side, in the precision the loop runs at: lanes 0-1 for the first
    /// stem, 2-3 for the second.
    private struct Stage {
        var b0: SIMD4<Float>, b1: SIMD4<Float>, b2: SIMD4<Float>, a1: SIMD4<Float>, a2: SIMD4<Float>

        /// One sample through this stage, transposed direct form II, with its state `s1`, `s2`
        /// (locals of the caller's loop, so they stay in registers).
        @inline(__always) func step(_ x: SIMD4<Float>, _ s1: inout SIMD4<Float>, _ s2: inout SIMD4<Float>) -> SIMD4<Float> {
            let y = b0 * x + s1
            s1 = b1 * x - a1 * y + s2
            s2 = b2 * x - a2 * y
            return y
        }

        /// A missing filter passes its input through unchanged.
        init(_ first: Biquad?, _ second: Biquad?) {
            func lanes(_ value: (Biquad) -> Double, identity: Float) -> SIMD4<Float> {
                let x = first.map { Float(value($0)) } ?? identity
                let y = second.map { Float(value($0)) } ?? identity
                return SIMD4(x, x, y, y)
            }
            b0 = lanes(\.b0, identity: 1)
            b1 = lanes(\.b1, identity: 0)
            b2 = lanes(\.b2, identity: 0)
            a1 = lanes(\.a1, identity: 0)
            a2 = lanes(\.a2, identity: 0)
        }
    }

    /// Four biquads in series over two interleaved stereo buffers, transposed direct form II. When
    /// `left` and `right` are one buffer, the left lanes are stored last and win.
    private static func run(_ f: Stage, _ g: Stage, _ h: Stage, _ k: Stage, left: UnsafeMutablePointer<Float>,
                            right: UnsafeMutablePointer<Float>, frames: Int) {
        var f1 = SIMD4<Float>.zero, f2 = SIMD4<Float>.zero, g1 = SIMD4<Float>.zero, g2 = SIMD4<Float>.zero
        var h1 = SIMD4<Float>.zero, h2 = SIMD4<Float>.zero, k1 = SIMD4<Float>.zero, k2 = SIMD4<Float>.zero
        let a = UnsafeMutableRawPointer(left), b = UnsafeMutableRawPointer(right)
        let step = MemoryLayout<SIMD2<Float>>.stride
        for frame in 0..<frames {
            let offset = frame * step
            let x = SIMD4(lowHalf: a.loadUnaligned(fromByteOffset: offset, as: SIMD2<Float>.self),
                          highHalf: b.loadUnaligned(fromByteOffset: offset, as: SIMD2<Float>.self))
            let v = k.step(h.step(g.step(f.step(x, &f1, &f2), &g1, &g2), &h1, &h2), &k1, &k2)
            b.storeBytes(of: v.highHalf, toByteOffset: offset, as: SIMD2<Float>.self)
            a.storeBytes(of: v.lowHalf, toByteOffset: offset, as: SIMD2<Float>.self)
        }
    }
}

private extension Array {
    /// The element at `index`, or `nil` past the end.
    func element(_ index: Int) -> Element? { index < count ? self[index] : nil }
}
