import Dispatch
import Foundation
import RiffleAudio
import RiffleCore
import Synchronization

/// Keeps one synthesizer per part (and sample rate) between renders: starting one and loading its
/// instruments' samples costs more than rendering a short part, and each holds 15-35 MB of samples.
///
/// Every stem renders on the synthesizer of its part, alone: two takes rendering the same part
/// at once take turns, which bounds memory however many takes run in parallel.
public final class SynthPool: Sendable {
    public let soundFont: URL
    private let slots = Mutex<[String: Slot]>([:])

    /// One synthesizer and the turn to use it.
    private final class Slot: @unchecked Sendable {
        // `synth` is only touched by the thread holding `turn`.
        let turn = DispatchSemaphore(value: 1)
        var synth: Synth?
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

    /// Renders `part` on its part's synthesizer, waiting for it if another take is using it.
    func render(_ part: Score.Part, frames: Int, sampleRate: Int, secondsPerQuarter: Double,
                cancellation: Cancellation) throws(EngineError) -> AudioBuffer {
        let key = "\(part.role.rawValue)@\(sampleRate)"
        let slot = slots.withLock { slots in
            if let slot = slots[key] { return slot }
            let slot = Slot()
            slots[key] = slot
            return slot
        }
        slot.turn.wait()
        defer { slot.turn.signal() }
        if slot.synth == nil {
            slot.synth = try Synth.start(soundFont: soundFont, sampleRate: sampleRate, reverb: Self.hasReverb(part.role))
        }
        return try slot.synth!.render(part, frames: frames, secondsPerQuarter: secondsPerQuarter, cancellation: cancellation)
    }
}
