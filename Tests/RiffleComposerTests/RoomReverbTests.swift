import Foundation
@testable import RiffleComposer
import RiffleEngine
import Testing

@Suite("Room reverb: a decaying, wide room at the part's send, silence left silent")
struct RoomReverbTests {
    /// `seconds` of stereo silence with a 10 ms burst of noise at the start.
    private func burst(seconds: Double, sampleRate: Int = 44100) -> AudioBuffer {
        var samples = [Float](repeating: 0, count: Int(seconds * Double(sampleRate)) * 2)
        var state: UInt32 = 12345
        for index in 0..<(sampleRate / 100 * 2) {
            state = state &* 1_664_525 &+ 1_013_904_223
            samples[index] = Float(state >> 8) / Float(1 << 24) - 0.5
        }
        return AudioBuffer(sampleRate: sampleRate, channelCount: 2, samples: samples)
    }

    /// What the reverb added to `dry`.
    private func wet(_ dry: AudioBuffer, send: Double) -> [Float] {
        var processed = dry
        RoomReverb.apply(to: &processed, send: send)
        return zip(processed.samples, dry.samples).map { $0 - $1 }
    }

    /// Energy of 50 ms windows of both channels, in dB relative to the first window after `from` seconds.
    private func decayCurve(_ samples: [Float], sampleRate: Int, from: Double) -> [Double] {
        let window = sampleRate / 20
        var curve: [Double] = []
        var frame = Int(from * Double(sampleRate))
        while (frame + window) * 2 <= samples.count {
            curve.append(samples[(2 * frame)..<(2 * (frame + window))].reduce(0) { $0 + Double($1) * Double($1) })
            frame += window
        }
        let first = curve[0]
        return curve.map { 10 * log10(max($0, 1e-300) / first) }
    }

    @Test("a burst rings out over the set decay time (60 dB), at 44.1 and 48 kHz", arguments: [44100, 48000])
    func decayTime(sampleRate: Int) {
        let tail = wet(burst(seconds: 4, sampleRate: sampleRate), send: 0.5)
        // From 0.2 s (the room built up) the fall from -5 to -35 dB, scaled to 60 dB.
        let curve = decayCurve(tail, sampleRate: sampleRate, from: 0.2)
        let start = curve.firstIndex { $0 < -5 }!, end = curve.firstIndex { $0 < -35 }!
        let seconds = 60 / ((curve[start] - curve[end]) / (Double(end - start) * 0.05))
        #expect(abs(seconds - RoomReverb.decaySeconds) < 0.3 * RoomReverb.decaySeconds, "RT60 \(seconds) s")
    }

    @Test("the room is wide (the sides differ) and survives a mono sum")
    func wideButMonoSafe() {
        let tail = wet(burst(seconds: 2), send: 0.5)
        var left = 0.0, right = 0.0, product = 0.0, mono = 0.0
        for frame in 0..<(tail.count / 2) {
            let l = Double(tail[2 * frame]), r = Double(tail[2 * frame + 1])
            left += l * l
            right += r * r
            product += l * r
            mono += (l + r) * (l + r)
        }
        let correlation = product / (left * right).squareRoot()
        #expect(abs(correlation) < 0.6, "L/R correlation \(correlation)")
        #expect(left > 0 && right > 0 && abs(10 * log10(left / right)) < 3)
        // Summed to mono the room keeps at least a third of its energy (no cancellation).
        #expect(mono > (left + right) / 3)
    }

    @Test("the wet level follows the send, and a send of 0 adds nothing")
    func followsTheSend() {
        let dry = burst(seconds: 2)
        let quarter = wet(dry, send: 0.25).reduce(0) { $0 + Double($1) * Double($1) }
        let full = wet(dry, send: 1).reduce(0) { $0 + Double($1) * Double($1) }
        #expect(abs(10 * log10(full / quarter) - 20 * log10(4)) < 0.01)
        #expect(wet(dry, send: 0).allSatisfy { $0 == 0 })
    }

    @Test("silence stays exact silence, and a dead room goes back to exact zeros")
    func silence() {
        let silence = AudioBuffer(silenceOfFrames: 44100, sampleRate: 44100, channelCount: 2)
        #expect(wet(silence, send: 1).allSatisfy { $0 == 0 })
        // 12 s after a burst the room is far under -100 dB: cleared, not left to ring in denormals.
        let tail = wet(burst(seconds: 14), send: 1)
        #expect(tail.suffix(44100 * 2).allSatisfy { $0 == 0 })
        #expect(tail[(44100 * 2)..<(44100 * 4)].contains { $0 != 0 })
    }

    @Test("the same stem gets the same room, bit for bit")
    func deterministic() {
        let dry = burst(seconds: 1)
        #expect(wet(dry, send: 0.4) == wet(dry, send: 0.4))
    }
}
