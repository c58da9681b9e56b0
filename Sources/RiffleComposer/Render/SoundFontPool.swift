import Dispatch
import Foundation
import RiffleAudio
import RiffleCore
import RiffleEngine
import Synchronization

/// Keeps the SoundFont loaded between renders, once per core, and renders every stem on a
/// synthesizer of its own (see ``LoadedSoundFont``).
///
/// FluidSynth keeps a loaded font's structure in 30-40 MB of memory, and only one render may use a
/// font at a time; as many renders run at once as there are cores, so that is how many fonts there
/// are. A render waits for a free one.
public final class SoundFontPool: Sendable {
    public let soundFont: URL
    private let available: DispatchSemaphore
    private let idle = Mutex<[Lent]>([])

    /// A font in the pool; touched only by the render that took it out.
    private final class Lent: @unchecked Sendable {
        let font: LoadedSoundFont
        init(_ font: LoadedSoundFont) { self.font = font }
    }

    /// The Debian General MIDI SoundFont (fluid-soundfont-gm), where the first place that exists.
    public static let defaultSoundFont: URL? = [
        "/usr/share/sounds/sf2/default-GM.sf2", "/usr/share/sounds/sf2/FluidR3_GM.sf2", "/usr/share/sounds/sf3/default-GM.sf3",
    ].map(URL.init(fileURLWithPath:)).first { FileManager.default.fileExists(atPath: $0.path) }

    /// - Parameter first: a font already loaded from `soundFont` (the engine loads one to check the
    ///   file), which the pool keeps instead of loading it again.
    init(soundFont: URL, first: LoadedSoundFont? = nil, capacity: Int = ProcessInfo.processInfo.activeProcessorCount) {
        self.soundFont = soundFont
        self.available = DispatchSemaphore(value: max(1, capacity))
        if let first { idle.withLock { $0.append(Lent(first)) } }
    }

    /// Renders `part` (dry) with a font of the pool, waiting for one if all are in use.
    func render(_ part: Score.Part, frames: Int, sampleRate: Int, secondsPerQuarter: Double,
                cancellation: Cancellation) throws(EngineError) -> AudioBuffer {
        available.wait()
        defer { available.signal() }
        let lent: Lent
        if let free = idle.withLock({ $0.popLast() }) {
            lent = free
        } else {
            lent = Lent(try LoadedSoundFont(soundFont))
        }
        defer { idle.withLock { $0.append(lent) } }
        return try Synthesis.render(part, font: lent.font, frames: frames, sampleRate: sampleRate,
                                    secondsPerQuarter: secondsPerQuarter, cancellation: cancellation)
    }
}
