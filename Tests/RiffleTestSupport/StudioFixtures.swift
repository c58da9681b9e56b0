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

    /// A finished batch of two takes that MusicGen made.
    public static let musicGenBatch = JobItem(
        id: "j4", engine: "musicgen", prompt: "warm lo-fi piano, vinyl crackle", status: .completed, fraction: 1, stage: "completed",
        takes: [
            TakeItem(id: "j4-1", variation: 0, seed: 77, score: 0.88, rating: nil, picked: false, duration: 20, summary: "84 BPM · lo-fi"),
            TakeItem(id: "j4-2", variation: 1, seed: 78, score: 0.81, rating: nil, picked: false, duration: 20, summary: "84 BPM · lo-fi"),
        ],
        expanded: true)

    /// MusicGen with one of its installed models.
    public static func musicGen(_ model: String) -> EngineSelection { EngineSelection(engine: "musicgen", model: model) }

    /// The engines as the executable lists them with three models installed, the last of them half
    /// downloaded.
    public static let engines = EngineCatalog(
        choices: [
            EngineChoiceItem(selection: .composer, name: "Composer", label: "Composer (built in)"),
            EngineChoiceItem(selection: musicGen("musicgen-small"), name: "MusicGen · musicgen-small",
                             label: "MusicGen · musicgen-small · 2.4 GB · mono"),
            EngineChoiceItem(selection: musicGen("musicgen-stereo-medium"), name: "MusicGen · musicgen-stereo-medium",
                             label: "MusicGen · musicgen-stereo-medium · 7.7 GB · stereo"),
            EngineChoiceItem(selection: musicGen("half-downloaded"), name: "MusicGen · half-downloaded",
                             label: "MusicGen · half-downloaded · 12 kB · mono", unavailable: "no model.safetensors in its folder"),
        ],
        engines: [
            "composer": EngineTraits(title: "Composer", capabilities: [.repaint, .extend, .restyle, .stems, .midi]),
            "musicgen": EngineTraits(title: "MusicGen", capabilities: [.repaint, .extend], note: "tempo, key and metre are hints, not exact"),
        ])

    /// The engines with no model installed: only the Composer to choose.
    public static let composerOnly = EngineCatalog(choices: [engines.choices[0]], engines: engines.engines)

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
