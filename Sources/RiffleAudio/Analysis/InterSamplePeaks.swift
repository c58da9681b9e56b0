import Dispatch
import Foundation
import RiffleEngine
import Synchronization

/// The peaks a 4x oversampling true-peak meter finds, frame by frame: each sample and the three
/// points between it and the next, reconstructed with a Hann-windowed sinc that reads six samples
/// either side.
///
/// That is the interpolator libebur128 uses below 96 kHz (49 taps at 4x), so the largest of these
/// values is libebur128's true peak (tests compare the two), and a limiter that holds them under its
/// ceiling holds the meter's reading there too. Hand-written because libebur128 reports only a
/// channel's maximum, and a limiter needs every frame's value; measuring with it here, eight
/// samples at a time, is also about four times faster than libebur128's meter.
enum InterSamplePeaks {
    /// Points per sample interval: the sample itself and three between it and the next.
    static let factor = 4
    /// Samples read either side of a point.
    static let halfWidth = taps / 2
    /// Taps per in-between point: the samples from five before the frame to six after it.
    static let taps = 12

    /// Below this rate libebur128 oversamples 4x with this interpolator; above it, less.
    static let highestMatchingRate = 96_000

    /// `weights[phase - 1][tap]`: the weight of sample `frame - 5 + tap` in the point
    /// `frame + phase / 4`.
    static let weights: [[Float]] = (1..<factor).map { phase in
        (0..<taps).map { tap in
            let distance = Double(phase) / Double(factor) + Double(halfWidth - 1 - tap)
            let x = Double.pi * distance
            let sinc = abs(distance) < 1e-9 ? 1 : sin(x) / x
            return Float(sinc * 0.5 * (1 + cos(Double.pi * distance / Double(halfWidth))))
        }
    }

    /// The true peak and the sample peak of `buffer`, as linear magnitudes over all its channels,
    /// as libebur128 measures them; `nil` at rates where it oversamples less than 4x.
    ///
    /// The points after the last sample need samples after the end, which a meter reading the
    /// buffer in one piece never gets; those before the first see the silence a meter starts from.
    static func measure(_ buffer: AudioBuffer) -> (truePeak: Float, samplePeak: Float)? {
        guard buffer.sampleRate < highestMatchingRate else { return nil }
        let channels = buffer.channelCount
        let frames = buffer.frameCount
        let between = max(0, frames - halfWidth)
        // Two halves, one per core: the estimate reads every sample 36 times.
        let parts = between >= 8192 ? 2 : 1
        let maxima = Mutex<[Float]>([])
        DispatchQueue.concurrentPerform(iterations: parts) { part in
            let range = (between * part / parts)..<(between * (part + 1) / parts)
            var peak: Float = 0
            var scratch = [Float](repeating: 0, count: 4096)
            buffer.samples.withUnsafeBufferPointer { samples in
                scratch.withUnsafeMutableBufferPointer { scratch in
                    var first = range.lowerBound
                    while first < range.upperBound {
                        let chunk = first..<min(first + scratch.count, range.upperBound)
                        framePeaks(samples, channels: channels, frames: chunk, into: scratch)
                        for index in 0..<chunk.count { peak = max(peak, scratch[index]) }
                        first = chunk.upperBound
                    }
                }
            }
            maxima.withLock { $0.append(peak) }
        }
        var samplePeak: Float = 0
        buffer.samples.withUnsafeBufferPointer { samples in
            for sample in samples { samplePeak = max(samplePeak, abs(sample)) }
            // The points before the first sample, from the silence before it.
            let before = edgePeak(samples, channels: channels, frame: -1)
            maxima.withLock { $0.append(before) }
        }
        let truePeak = maxima.withLock { $0.max() ?? 0 }
        return (max(truePeak, samplePeak), samplePeak)
    }

    /// ``weights`` end to end, phase by phase, for the vector loop.
    private static let flatWeights: [Float] = weights.flatMap { $0 }

    /// For each frame of `frames`, the largest magnitude over its channels of the sample and the
    /// three points after it, written to `output[frame - frames.lowerBound]`.
    static func framePeaks(_ samples: UnsafeBufferPointer<Float>, channels: Int, frames: Range<Int>,
                           into output: UnsafeMutableBufferPointer<Float>) {
        let totalFrames = samples.count / channels
        precondition(frames.lowerBound >= 0 && frames.upperBound <= totalFrames && output.count >= frames.count)
        guard !frames.isEmpty else { return }
        // The body reads its neighbours straight from memory, eight samples a step; the frames
        // within reach of either end (and any channel layout the vector steps do not divide)
        // go one at a time, with silence outside the buffer.
        let bodyStart = max(frames.lowerBound, halfWidth - 1)
        let bodyEnd = min(frames.upperBound, totalFrames - halfWidth - 1)
        var frame = frames.lowerBound
        if channels == 1 || channels == 2, bodyEnd - bodyStart >= 8, let base = samples.baseAddress {
            let framesPerStep = 8 / channels
            while frame < bodyStart {
                output[frame - frames.lowerBound] = edgePeak(samples, channels: channels, frame: frame)
                frame += 1
            }
            let raw = UnsafeRawPointer(base)
            let stride = channels * MemoryLayout<Float>.stride
            flatWeights.withUnsafeBufferPointer { weights in
                let weights = weights.baseAddress!
                let out = UnsafeMutableRawPointer(output.baseAddress!)
                while frame + framesPerStep <= bodyEnd {
                    let first = raw + (frame - (halfWidth - 1)) * stride
                    var a = SIMD8<Float>.zero, b = SIMD8<Float>.zero, c = SIMD8<Float>.zero
                    for tap in 0..<12 {
                        let x = first.loadUnaligned(fromByteOffset: tap * stride, as: SIMD8<Float>.self)
                        a += weights[tap] * x
                        b += weights[12 + tap] * x
                        c += weights[24 + tap] * x
                    }
                    let sample = raw.loadUnaligned(fromByteOffset: frame * stride, as: SIMD8<Float>.self)
                    let peak = larger(larger(magnitude(sample), magnitude(a)), larger(magnitude(b), magnitude(c)))
                    let offset = (frame - frames.lowerBound) * MemoryLayout<Float>.stride
                    if channels == 2 {
                        out.storeBytes(of: unsafeBitCast(larger(peak.evenHalf, peak.oddHalf), to: SIMD4<Float>.self),
                                       toByteOffset: offset, as: SIMD4<Float>.self)
                    } else {
                        out.storeBytes(of: unsafeBitCast(peak, to: SIMD8<Float>.self), toByteOffset: offset, as: SIMD8<Float>.self)
                    }
                    frame += framesPerStep
                }
            }
        }
        while frame < frames.upperBound {
            output[frame - frames.lowerBound] = edgePeak(samples, channels: channels, frame: frame)
            frame += 1
        }
    }

    // The standard library's pointwiseMax and a compare-and-replace both compile to a loop over the
    // lanes here. Magnitudes are compared as integers instead: the bit patterns of non-negative
    // floats sort as their values, and an integer maximum is a subtraction, a shift and a mask,
    // all in vector registers, and exact.
    @inline(__always) private static func magnitude(_ x: SIMD8<Float>) -> SIMD8<Int32> {
        unsafeBitCast(x, to: SIMD8<Int32>.self) & 0x7fff_ffff
    }

    @inline(__always) private static func larger(_ a: SIMD8<Int32>, _ b: SIMD8<Int32>) -> SIMD8<Int32> {
        let difference = a &- b
        return a &- (difference & (difference &>> 31))
    }

    @inline(__always) private static func larger(_ a: SIMD4<Int32>, _ b: SIMD4<Int32>) -> SIMD4<Int32> {
        let difference = a &- b
        return a &- (difference & (difference &>> 31))
    }

    /// One frame's peak, reading silence beyond either end of the buffer.
    static func edgePeak(_ samples: UnsafeBufferPointer<Float>, channels: Int, frame: Int) -> Float {
        let totalFrames = samples.count / channels
        var peak: Float = 0
        for channel in 0..<channels {
            func at(_ index: Int) -> Float { index >= 0 && index < totalFrames ? samples[index * channels + channel] : 0 }
            peak = max(peak, abs(at(frame)))
            for phase in weights {
                var value: Float = 0
                for tap in 0..<taps { value += phase[tap] * at(frame - (halfWidth - 1) + tap) }
                peak = max(peak, abs(value))
            }
        }
        return peak
    }
}
