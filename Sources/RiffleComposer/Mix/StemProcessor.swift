import Foundation
import RiffleEngine


/// Runs a stem's filters and its widener in place.
///
/// Each filter runs as its own pass with its state in registers: a biquad's recurrence is bound by
/// its own latency, and state kept in memory between the stages of one loop adds a store and a
/// load to every step of that chain. Both channels run together as one two-lane vector. About
/// 2 ms of CPU per filter for a 30-second stereo stem on this machine.
enum StemProcessor {
    static func apply(_ filters: [Biquad], width: Double, widthDelay: Double, to buffer: inout AudioBuffer) {
        guard buffer.channelCount == 2, !filters.isEmpty || width > 0 else { return }
        let rate = buffer.sampleRate
        buffer.samples.withUnsafeMutableBufferPointer { samples in
            guard let base = samples.baseAddress else { return }
            let frames = samples.count / 2
            for filter in filters { run(filter, on: base, frames: frames) }
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

    /// One biquad over interleaved stereo, transposed direct form II, state in registers.
    private static func run(_ filter: Biquad, on base: UnsafeMutablePointer<Float>, frames: Int) {
        let b0 = Float(filter.b0), b1 = Float(filter.b1), b2 = Float(filter.b2), a1 = Float(filter.a1), a2 = Float(filter.a2)
        var s1 = SIMD2<Float>.zero, s2 = SIMD2<Float>.zero
        let vectors = UnsafeMutableRawPointer(base).bindMemory(to: SIMD2<Float>.self, capacity: frames)
        for frame in 0..<frames {
            let x = vectors[frame]
            let y = b0 * x + s1
            s1 = b1 * x - a1 * y + s2
            s2 = b2 * x - a2 * y
            vectors[frame] = y
        }
    }
}
