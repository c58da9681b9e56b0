import Foundation
import RiffleAudio
import RiffleEngine
import RiffleStudio

/// A finished batch of three takes (best first) and a job still running, as the runtime reports them.
public enum Fixtures {
    public static let finished = JobItem(
        id: "j1", prompt: "dreamy deep house 122 bpm with rhodes", status: .completed, fraction: 1, stage: "completed",
        takes: [
            TakeItem(id: "j1-2", variation: 1, seed: 1235, score: 0.97, rating: 4, picked: true, duration: 30, summary: "F minor · 122 BPM · house"),
            TakeItem(id: "j1-1", variation: 0, seed: 1234, score: 0.91, rating: nil, picked: false, duration: 30, summary: "C minor · 122 BPM · house"),
            TakeItem(id: "j1-3", variation: 2, seed: 1236, score: 0.64, rating: 2, picked: false, duration: 30, summary: "G minor · 122 BPM · house"),
        ],
        expanded: true)

    public static let running = JobItem(id: "j2", prompt: "melodic techno 126 bpm, dark", status: .processing, fraction: 0.42,
                                 stage: "rendering", secondsLeft: 3.2)

    public static let queued = JobItem(id: "j3", prompt: "lo-fi hip hop, rain", status: .pending, stage: "queued")

    /// A 30 s take's waveform: a pulse that swells, with five stems.
    public static func waveform(_ takeID: String, seconds: Double = 30) -> WaveformItem {
        let rate = 2000
        func tone(_ frequency: Double, _ level: Double) -> AudioBuffer {
            let frames = Int(seconds * Double(rate))
            let samples = (0..<frames).flatMap { frame -> [Float] in
                let time = Double(frame) / Double(rate)
                let beat = exp(-8 * time.truncatingRemainder(dividingBy: 0.5))
                let value = Float(level * (0.3 + 0.7 * time / seconds) * beat * sin(2 * .pi * frequency * time))
                return [value, value]
            }
            return AudioBuffer(sampleRate: rate, channelCount: 2, samples: samples)
        }
        let stems = [("drums", 60.0, 0.9), ("bass", 55.0, 0.6), ("harmony", 220.0, 0.4), ("melody", 440.0, 0.3), ("texture", 330.0, 0.2)]
        return WaveformItem(takeID: takeID, peaks: WaveformPeaks(tone(110, 0.95)),
                            stems: stems.map { .init(name: $0.0, peaks: WaveformPeaks(tone($0.1, $0.2))) },
                            sections: [.init(name: "intro", start: 0), .init(name: "verse", start: 7.9), .init(name: "chorus", start: 15.7),
                                       .init(name: "outro", start: 23.6)])
    }
}
