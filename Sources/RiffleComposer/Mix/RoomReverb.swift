import Foundation
import RiffleCore
import RiffleEngine

/// The room the lead and the texture play in: a feedback delay network added to the stem.
///
/// Eight delay lines of 23-48 ms, their outputs damped (a one-pole low pass, so the highs die
/// first, as in a room) and fed back through an orthogonal (Hadamard) mix with a loss per line
/// that sets the decay time; two allpasses diffuse the input first so the onset is a wash rather
/// than a flutter. Left feeds and is heard from the even lines, right the odd ones: the mix between
/// lines spreads each side over the whole room, and their different delays keep the sides apart,
/// so the room is wide while the dry part keeps its place. The send is high-passed at 150 Hz, as in
/// a mix (bass in a long room is mud). Deterministic: the same stem gives the same room.
///
/// Hand-written, in place of FluidSynth's own reverb (which it replaces at about the same level and
/// decay, see ``level``): FluidSynth runs its reverb in double precision on every synthesizer that
/// has one, and its sends add two more buffers to every voice's mix, which made the two reverb
/// parts an eighth of a batch's CPU time. Here the eight lines are one eight-lane vector, and a
/// stem whose room has died away and that plays nothing costs nothing.
enum RoomReverb {
    /// The lead and the texture get a room; drums, bass and comping stay dry and close, as they
    /// usually are in a mix (the producer's pass gives them a send of 0).
    static func hasRoom(_ role: Instrument.Role) -> Bool {
        role == .melody || role == .texture
    }

    /// Delay lengths at 44.1 kHz, in samples: primes, so the lines' echoes do not line up.
    static let delays = [1031, 1187, 1327, 1493, 1627, 1777, 1949, 2111]
    /// Seconds for the room's low and middle frequencies to fall by 60 dB.
    static let decaySeconds = 1.9
    /// How much of each line's output the low pass keeps from the step before (0: no damping).
    static let damping: Float = 0.35
    /// The wet sound's level at a send of 1 (``RoomReverb/apply(to:send:)``).
    ///
    /// Set against FluidSynth's reverb as Riffle ran it (room size 0.55, damping 0.4, width 0.9,
    /// level 0.35) on the lead and the texture of 30 parts from 8 genres: the wet level is 0.1 dB
    /// above it at the median (-8.9 to +4.7 dB: the SoundFont's presets carry sends of their own),
    /// the decay 1.62-2.13 s against 1.62-2.12 s, the wet sides' correlation 0.21 against 0.22.
    static let level: Float = 0.17
    /// The two input diffusers' delays at 44.1 kHz, and their coefficient.
    static let diffusers = (early: 142, late: 379)
    static let diffusion: Float = 0.6

    /// Adds the room to `stem` (stereo; anything else is left as it is) at `send` (0 to 1: the part's
    /// reverb send, CC91 / 127); a send of 0 leaves it dry.
    static func apply(to stem: inout AudioBuffer, send: Double) {
        guard stem.channelCount == 2, send > 0, stem.frameCount > 0 else { return }
        let sampleRate = stem.sampleRate
        // The work is a function of its own so its state is plain locals: captured by the closure,
        // every one would be a shared box checked for exclusive access on each use.
        stem.samples.withUnsafeMutableBufferPointer { add(to: $0, sampleRate: sampleRate, send: send) }
    }

    /// ``apply(to:send:)`` on interleaved stereo `samples`.
    private static func add(to samples: UnsafeMutableBufferPointer<Float>, sampleRate: Int, send: Double) {
        let rate = Double(sampleRate)
        // A delay given at 44.1 kHz, in samples at this rate.
        func scaled(_ samples: Int) -> Int { max(1, Int((Double(samples) * rate / 44100).rounded())) }
        let lengths = delays.map(scaled)
        let gains = SIMD8<Float>(lengths.map { Float(pow(10, -3 * Double($0) / (decaySeconds * rate))) })
        let input = Float(send) * level
        var lines = Lines(lengths: lengths)
        defer { lines.free() }
        var early = Allpass(length: scaled(diffusers.early), coefficient: diffusion)
        var late = Allpass(length: scaled(diffusers.late), coefficient: diffusion)
        defer {
            early.free()
            late.free()
        }
        var lowPass = SIMD8<Float>.zero
        let keep = 1 - damping
        let highPassPole = Float(exp(-2 * Double.pi * 150 / rate))
        var highPassIn = SIMD2<Float>.zero, highPassOut = SIMD2<Float>.zero
        // Silence in, and the room below this for as long as the lines and diffusers hold, and the
        // lines are cleared and skipped: the tail is then 100 dB under full scale, where FluidSynth
        // too calls a part silent. (Until then the room may still hold sound that has not come out.)
        let quiet: Float = 1e-5
        let memory = lengths.max()! + scaled(diffusers.early) + scaled(diffusers.late)
        var quietFrames = 0
        var idle = true
        let frames = samples.count / 2
        // Every line is longer than a block, so a block's outputs were all written before it began:
        // they are taken out frame by frame (eight lanes to a frame) and the block's inputs put back
        // after, instead of eight scattered reads and writes per frame.
        let block = min(512, lengths.min()!)
        let outputs = UnsafeMutablePointer<SIMD8<Float>>.allocate(capacity: block)
        let inputs = UnsafeMutablePointer<SIMD8<Float>>.allocate(capacity: block)
        defer {
            outputs.deallocate()
            inputs.deallocate()
        }
        let stereo = UnsafeMutableRawPointer(samples.baseAddress!).assumingMemoryBound(to: SIMD2<Float>.self)
        let quietEnergy = quiet * quiet
        var first = 0
        while first < frames {
            let count = min(block, frames - first)
            // Any sound at all: the magnitudes' bits or-ed (a plain max does not vectorise).
            var bits: UInt32 = 0
            for index in (2 * first)..<(2 * (first + count)) { bits |= samples[index].bitPattern & 0x7FFF_FFFF }
            if idle && bits == 0 {
                first += count
                continue
            }
            idle = false
            lines.read(count, into: outputs)
            var wetEnergy = SIMD2<Float>.zero
            for step in 0..<count {
                let dry = stereo[first + step] * input
                // The pole's product first: only it waits for the step before.
                highPassOut = highPassPole * highPassOut + highPassPole * (dry - highPassIn)
                highPassIn = dry
                let diffused = late.step(early.step(highPassOut))
                let out = outputs[step]
                lowPass = keep * out + damping * lowPass
                // Left into the even lines, right into the odd ones.
                let pair = SIMD4(lowHalf: diffused, highHalf: diffused)
                inputs[step] = hadamard(lowPass) * gains + SIMD8(lowHalf: pair, highHalf: pair)
                // Half the even lines' sum on the left, half the odd ones' on the right.
                let halves = out.lowHalf + out.highHalf
                let wet = 0.5 * (halves.lowHalf + halves.highHalf)
                stereo[first + step] += wet
                wetEnergy += wet * wet
            }
            lines.write(count, from: inputs)
            quietFrames = bits == 0 && wetEnergy.sum() < quietEnergy ? quietFrames + count : 0
            if quietFrames > memory {
                quietFrames = 0
                lines.clear()
                early.clear()
                late.clear()
                lowPass = .zero
                highPassIn = .zero
                highPassOut = .zero
                idle = true
            }
            first += count
        }
    }

    /// The orthogonal 8 × 8 Hadamard mix, scaled to keep energy: three butterfly stages.
    @inline(__always)
    static func hadamard(_ x: SIMD8<Float>) -> SIMD8<Float> {
        let a = x.lowHalf + x.highHalf, b = x.lowHalf - x.highHalf
        let c = SIMD4(lowHalf: a.lowHalf + a.highHalf, highHalf: a.lowHalf - a.highHalf)
        let d = SIMD4(lowHalf: b.lowHalf + b.highHalf, highHalf: b.lowHalf - b.highHalf)
        let e = SIMD4(lowHalf: c.evenHalf + c.oddHalf, highHalf: c.evenHalf - c.oddHalf)
        let f = SIMD4(lowHalf: d.evenHalf + d.oddHalf, highHalf: d.evenHalf - d.oddHalf)
        return SIMD8(lowHalf: e, highHalf: f) * 0.35355339 // 1 / √8
    }

    /// Eight delay lines of their own lengths in one buffer, read and written a block at a time.
    struct Lines {
        private let storage: UnsafeMutablePointer<Float>
        private let starts: [Int]
        private let lengths: [Int]
        /// Where each line's oldest sample is: the next to read, and the slot the next write fills.
        private var positions: [Int]
        private let total: Int

        init(lengths: [Int]) {
            precondition(lengths.count == 8, "the network has eight lines")
            self.lengths = lengths
            total = lengths.reduce(0, +)
            var start = 0
            starts = lengths.map { length in
                defer { start += length }
                return start
            }
            positions = [Int](repeating: 0, count: 8)
            storage = .allocate(capacity: total)
            storage.initialize(repeating: 0, count: total)
        }

        /// Gives the buffer back; the lines are unusable after.
        func free() { storage.deallocate() }

        /// The next `count` outputs of every line (what was written a line's length ago), a frame
        /// to an element; `count` is at most the shortest line.
        func read(_ count: Int, into frames: UnsafeMutablePointer<SIMD8<Float>>) {
            // Lane by lane through plain floats: a vector lane picked by a variable goes through memory.
            let lanes = UnsafeMutableRawPointer(frames).assumingMemoryBound(to: Float.self)
            for line in 0..<8 {
                segments(line, count) { source, step, length in
                    for offset in 0..<length { lanes[8 * (step + offset) + line] = source[offset] }
                }
            }
        }

        /// Puts `count` frames of inputs where the outputs just read were, and moves on.
        mutating func write(_ count: Int, from frames: UnsafePointer<SIMD8<Float>>) {
            let lanes = UnsafeRawPointer(frames).assumingMemoryBound(to: Float.self)
            for line in 0..<8 {
                segments(line, count) { target, step, length in
                    for offset in 0..<length { target[offset] = lanes[8 * (step + offset) + line] }
                }
                positions[line] = (positions[line] + count) % lengths[line]
            }
        }

        /// The next `count` slots of `line` as at most two runs (before and after it wraps): the
        /// run's start, its first step within the block, and its length.
        @inline(__always)
        private func segments(_ line: Int, _ count: Int, _ body: (UnsafeMutablePointer<Float>, Int, Int) -> Void) {
            let base = storage + starts[line]
            let position = positions[line]
            let first = min(count, lengths[line] - position)
            body(base + position, 0, first)
            if first < count { body(base, first, count - first) }
        }

        func clear() { storage.update(repeating: 0, count: total) }
    }

    /// A Schroeder allpass on both channels: passes every frequency at the same level, smearing
    /// it in time.
    struct Allpass {
        private let buffer: UnsafeMutablePointer<SIMD2<Float>>
        private let length: Int
        private var position = 0
        let coefficient: Float

        init(length: Int, coefficient: Float) {
            buffer = .allocate(capacity: length)
            buffer.initialize(repeating: .zero, count: length)
            self.length = length
            self.coefficient = coefficient
        }

        /// Gives the buffer back; the allpass is unusable after.
        func free() { buffer.deallocate() }

        @inline(__always)
        mutating func step(_ x: SIMD2<Float>) -> SIMD2<Float> {
            let delayed = buffer[position]
            let v = x + coefficient * delayed
            buffer[position] = v
            position = position + 1 == length ? 0 : position + 1
            return delayed - coefficient * v
        }

        func clear() { buffer.update(repeating: .zero, count: length) }
    }
}
