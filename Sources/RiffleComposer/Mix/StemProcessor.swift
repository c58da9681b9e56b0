import Foundation
import RiffleEngine


/// Runs a stem's filters and its widener in place.
///
/// Filters run four to a pass, their state in registers: a biquad's recurrence is bound by its own
/// latency (each output waits for the one before), so one filter alone leaves the core mostly idle,
/// while four in one loop overlap and cost little more than one; state kept in memory instead would
/// add a store and a load to every step of each chain. Both channels run together as one two-lane
/// vector.
enum StemProcessor {
    static func apply(_ filters: [Biquad], width: Double, widthDelay: Double, to buffer: inout AudioBuffer) {
        guard buffer.channelCount == 2, !filters.isEmpty || width > 0 else { return }
        let rate = buffer.sampleRate
        buffer.samples.withUnsafeMutableBufferPointer { samples in
            guard let base = samples.baseAddress else { return }
            let frames = samples.count / 2
            for first in stride(from: 0, to: filters.count, by: 4) {
                let group = filters[first..<min(first + 4, filters.count)]
                func stage(_ offset: Int) -> Stage { offset < group.count ? Stage(group[group.startIndex + offset]) : .identity }
                run(stage(0), stage(1), stage(2), stage(3), on: base, frames: frames)
            }
            guard width > 0 else { return }
            let delay = max(1, Int(widthDelay * Double(rate) / 1000))
            let amount = Float(min(width, 1))
            // The widener's side is high-passed at 250 Hz (one pole) so bass and kick stay centred.
            let timeConstant = 1 / (2 * Double.pi * 250)
            let pole = Float(timeConstant / (timeConstant + 1 / Double(rate)))
            var previousMid: Float = 0, side: Float = 0
            // Lauridsen's complementary combs: the delayed mid added to the left, taken from the
            // right. The high-passed mids are worked out first, so every one is read before the
            // widening touches its frame (which would leave the mid as it was anyway).
            var sides = [Float](repeating: 0, count: max(0, frames - delay))
            sides.withUnsafeMutableBufferPointer { sides in
                for frame in 0..<sides.count {
                    let mid = 0.5 * (base[2 * frame] + base[2 * frame + 1])
                    side = pole * (side + mid - previousMid)
                    previousMid = mid
                    sides[frame] = amount * side
                }
                for frame in delay..<max(delay, frames) {
                    let value = sides[frame - delay]
                    base[2 * frame] += value
                    base[2 * frame + 1] -= value
                }
            }
        }
    }

    /// A biquad's coefficients in the precision the loop runs at.
    private struct Stage {
        var b0: Float, b1: Float, b2: Float, a1: Float, a2: Float
        init(_ filter: Biquad) {
            (b0, b1, b2, a1, a2) = (Float(filter.b0), Float(filter.b1), Float(filter.b2), Float(filter.a1), Float(filter.a2))
        }
        private init(b0: Float) { (self.b0, b1, b2, a1, a2) = (b0, 0, 0, 0, 0) }
        /// Passes its input through unchanged: fills a group of fewer than four.
        static let identity = Stage(b0: 1)
    }

    /// Four biquads in series over interleaved stereo, transposed direct form II.
    private static func run(_ f: Stage, _ g: Stage, _ h: Stage, _ k: Stage, on base: UnsafeMutablePointer<Float>, frames: Int) {
        var f1 = SIMD2<Float>.zero, f2 = SIMD2<Float>.zero, g1 = SIMD2<Float>.zero, g2 = SIMD2<Float>.zero
        var h1 = SIMD2<Float>.zero, h2 = SIMD2<Float>.zero, k1 = SIMD2<Float>.zero, k2 = SIMD2<Float>.zero
        let vectors = UnsafeMutableRawPointer(base).bindMemory(to: SIMD2<Float>.self, capacity: frames)
        for frame in 0..<frames {
            let x = vectors[frame]
            let y = f.b0 * x + f1
            f1 = f.b1 * x - f.a1 * y + f2
            f2 = f.b2 * x - f.a2 * y
            let z = g.b0 * y + g1
            g1 = g.b1 * y - g.a1 * z + g2
            g2 = g.b2 * y - g.a2 * z
            let u = h.b0 * z + h1
            h1 = h.b1 * z - h.a1 * u + h2
            h2 = h.b2 * z - h.a2 * u
            let v = k.b0 * u + k1
            k1 = k.b1 * u - k.a1 * v + k2
            k2 = k.b2 * u - k.a2 * v
            vectors[frame] = v
        }
    }
}
