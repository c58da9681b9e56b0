import Foundation
import RiffleAudio
import RiffleEngine

/// A small synthesised song for the quality score's tests: a chord struck on every beat (the
/// downbeat loudest), a bass note on each bar's first beat, a tune drawn from the scale by a seeded
/// generator, and optionally a kit (kick, snare, hats) — each part its own stem, mastered to -14 LUFS.
struct TestSong {
    var tonic = 0
    var minor = false
    var bpm = 120.0
    var beatsPerBar = 4
    var seconds = 20.0
    var seed: UInt64 = 1
    var drums = false
    var sampleRate = 22050

    /// The mix and its stems (drums, bass, harmony, melody), scaled together to -14 LUFS.
    func render() -> (mix: AudioBuffer, stems: [Take.Stem]) {
        let frames = Int(seconds * Double(sampleRate))
        let names = ["drums", "bass", "harmony", "melody"]
        var parts = [[Float]](repeating: [Float](repeating: 0, count: 2 * frames), count: names.count)
        var random = seed &* 6364136223846793005 &+ 1442695040888963407
        func next() -> Int {
            random = random &* 6364136223846793005 &+ 1442695040888963407
            return Int(truncatingIfNeeded: random >> 33)
        }
        func add(_ name: String, frequency: Double, at start: Double, length: Double, amplitude: Float, pan: Float,
                 decay: Double, partials: Int = 3) {
            let first = Int(start * Double(sampleRate)), count = min(frames - first, Int(length * Double(sampleRate)))
            guard count > 0 else { return }
            let part = names.firstIndex(of: name)!
            for index in 0..<count {
                let t = Double(index) / Double(sampleRate)
                var value = 0.0
                for partial in 1...partials { value += sin(2 * .pi * frequency * Double(partial) * t) / Double(partial * partial) }
                let envelope = Float(exp(-t / decay) * min(1, t / 0.005))
                let sample = amplitude * envelope * Float(value)
                parts[part][2 * (first + index)] += sample * (1 - pan)
                parts[part][2 * (first + index) + 1] += sample * (1 + pan)
            }
        }
        func noise(at start: Double, length: Double, amplitude: Float, decay: Double) {
            let first = Int(start * Double(sampleRate)), count = min(frames - first, Int(length * Double(sampleRate)))
            guard count > 0 else { return }
            for index in 0..<count {
                let envelope = Float(exp(-Double(index) / Double(sampleRate) / decay))
                let value = Float(next() % 2001 - 1000) / 1000 * amplitude * envelope
                parts[0][2 * (first + index)] += value
                parts[0][2 * (first + index) + 1] += value
            }
        }
        func pitch(_ midi: Int) -> Double { 440 * pow(2, Double(midi - 69) / 12) }
        let scale = minor ? [0, 2, 3, 5, 7, 8, 10] : [0, 2, 4, 5, 7, 9, 11]
        let progression = minor ? [0, 5, 2, 6] : [0, 5, 3, 4]
        let beat = 60 / bpm
        let bar = beat * Double(beatsPerBar)
        // A two-bar tune, played twice with a change, then the next: phrases that come back.
        var tunes: [[Int]] = []
        for _ in 0..<4 { tunes.append((0..<(2 * beatsPerBar)).map { _ in next() % 7 }) }
        var barIndex = 0
        while Double(barIndex) * bar < seconds {
            let start = Double(barIndex) * bar
            let degree = progression[barIndex % progression.count]
            let chord = [0, 2, 4].map { 60 + tonic + scale[(degree + $0) % 7] + ((degree + $0) >= 7 ? 12 : 0) }
            for beatIndex in 0..<beatsPerBar {
                let accent: Float = beatIndex == 0 ? 0.22 : 0.1
                for note in chord {
                    add("harmony", frequency: pitch(note - 12), at: start + Double(beatIndex) * beat, length: beat, amplitude: accent,
                        pan: -0.3, decay: beat / 2)
                }
                let tune = tunes[(barIndex / 4) % 4]
                let step = tune[(barIndex % 2) * beatsPerBar + beatIndex]
                add("melody", frequency: pitch(72 + tonic + scale[step]), at: start + Double(beatIndex) * beat, length: beat * 0.9,
                    amplitude: 0.16, pan: 0.4, decay: beat)
                if drums {
                    noise(at: start + Double(beatIndex) * beat, length: 0.05, amplitude: 0.12, decay: 0.01)
                    noise(at: start + (Double(beatIndex) + 0.5) * beat, length: 0.05, amplitude: 0.08, decay: 0.01)
                    if beatIndex % 2 == 1 { noise(at: start + Double(beatIndex) * beat, length: 0.2, amplitude: 0.25, decay: 0.05) }
                }
            }
            add("bass", frequency: pitch(36 + tonic + scale[degree]), at: start, length: bar, amplitude: 0.5, pan: 0, decay: bar)
            if drums { add("drums", frequency: 55, at: start, length: 0.25, amplitude: 0.7, pan: 0, decay: 0.08, partials: 1) }
            barIndex += 1
        }
        var mix = [Float](repeating: 0, count: 2 * frames)
        for part in parts { for index in mix.indices { mix[index] += part[index] } }
        let mixBuffer = AudioBuffer(sampleRate: sampleRate, channelCount: 2, samples: mix)
        let loudness = (try? Loudness.integrated(mixBuffer)) ?? -14
        let gain = Float(pow(10, (-14 - loudness) / 20))
        let stems = names.indices.map { part in
            Take.Stem(name: names[part], audio: AudioBuffer(sampleRate: sampleRate, channelCount: 2, samples: parts[part].map { $0 * gain }))
        }
        return (AudioBuffer(sampleRate: sampleRate, channelCount: 2, samples: mix.map { $0 * gain }), stems)
    }
}
