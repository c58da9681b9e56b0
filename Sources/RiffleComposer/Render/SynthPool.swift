import Dispatch
import Foundation
import RiffleAudio
import RiffleCore
import Synchronization

/// Keeps the SoundFont loaded between renders, once per part, and renders every stem on a
/// synthesizer of its own (see ``LoadedSoundFont``).
///
/// Two takes rendering the same part at once take turns with its font, which also bounds memory
/// however many takes run in parallel: each font holds the samples of the instruments in use.
public final class SynthPool: Sendable {
    public let soundFont: URL
    private let slots = Mutex<[Instrument.Role: Slot]>([:])

    /// One loaded font and the turn to use it.
    private final class Slot: @unchecked Sendable {
        // `font` is only touched by the thread holding `turn`.
        let turn = DispatchSemaphore(value: 1)
        var font: LoadedSoundFont?
    }

    /// The Debian General MIDI SoundFont (fluid-soundfont-gm), where the first place that exists.
    public static let defaultSoundFont: URL? = [
        "/usr/share/sounds/sf2/default-GM.sf2", "/usr/share/sounds/sf2/FluidR3_GM.sf2", "/usr/share/sounds/sf3/default-GM.sf3",
    ].map(URL.init(fileURLWithPath:)).first { FileManager.default.fileExists(atPath: $0.path) }

    public init(soundFont: URL) {
        self.soundFont = soundFont
    }

    /// The lead and the texture get a room; drums, bass and comping stay dry and close, as they
    /// usually are in a mix (and each reverb costs about as much as rendering a part).
    static func hasReverb(_ role: Instrument.Role) -> Bool {
        role == .melody || role == .texture
    }

    /// Renders `part` with its part's font, waiting for it if another take is using it.
    func render(_ part: Score.Part, frames: Int, sampleRate: Int, secondsPerQuarter: Double,
                cancellation: Cancellation) throws(EngineError) -> AudioBuffer {
        let slot = slots.withLock { slots in
            if let slot = slots[part.role] { return slot }
            let slot = Slot()
            slots[part.role] = slot
            return slot
        }
        slot.turn.wait()
        defer { slot.turn.signal() }
        if slot.font == nil { slot.font = try LoadedSoundFont(soundFont) }
        return try Synthesis.render(part, font: slot.font!, frames: frames, sampleRate: sampleRate, secondsPerQuarter: secondsPerQuarter,
                                    reverb: Self.hasReverb(part.role), cancellation: cancellation)
    }
}
