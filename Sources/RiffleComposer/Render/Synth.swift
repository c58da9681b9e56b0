import CFluidSynth
import Foundation
import RiffleAudio
import RiffleCore
import Synchronization

/// One FluidSynth instance with a SoundFont loaded: renders one part at a time, offline.
///
/// Not thread-safe; the ``SynthPool`` hands each one to a single renderer at a time.
final class Synth {
    private let settings: OpaquePointer
    private let synth: OpaquePointer
    private let soundFontID: Int32
    let sampleRate: Int

    /// FluidSynth sets up shared tables when the first synthesizer starts; starting two at once on
    /// different threads races on them, so synthesizers start one at a time.
    private static let starting = Mutex<Void>(())

    static func start(soundFont: URL, sampleRate: Int, reverb: Bool) throws(EngineError) -> Synth {
        try starting.withLock { _ throws(EngineError) in
            try Synth(soundFont: soundFont, sampleRate: sampleRate, reverb: reverb)
        }
    }

    private init(soundFont: URL, sampleRate: Int, reverb: Bool) throws(EngineError) {
        Synth.silenceLogging
        guard let settings = new_fluid_settings() else { throw .failed("FluidSynth could not allocate its settings") }
        fluid_settings_setnum(settings, "synth.sample-rate", Double(sampleRate))
        // Load a preset's samples when a program selects it, not the whole 140 MB font up front.
        fluid_settings_setint(settings, "synth.dynamic-sample-loading", 1)
        fluid_settings_setint(settings, "synth.reverb.active", reverb ? 1 : 0)
        fluid_settings_setint(settings, "synth.chorus.active", 0)
        fluid_settings_setint(settings, "synth.polyphony", 256)
        fluid_settings_setnum(settings, "synth.gain", 0.4)
        // Offline rendering needs no helper threads, and one thread keeps the output reproducible.
        fluid_settings_setint(settings, "synth.cpu-cores", 1)
        guard let synth = new_fluid_synth(settings) else {
            delete_fluid_settings(settings)
            throw .failed("FluidSynth could not start a synthesizer at \(sampleRate) Hz")
        }
        let id = fluid_synth_sfload(synth, soundFont.path, 1)
        guard id != FLUID_FAILED else {
            delete_fluid_synth(synth)
            delete_fluid_settings(settings)
            throw .failed("cannot load the SoundFont \(soundFont.path): FluidSynth does not read it as .sf2 or .sf3")
        }
        if reverb {
            fluid_synth_set_reverb_group_roomsize(synth, -1, 0.55)
            fluid_synth_set_reverb_group_damp(synth, -1, 0.4)
            fluid_synth_set_reverb_group_width(synth, -1, 0.9)
            fluid_synth_set_reverb_group_level(synth, -1, 0.35)
        }
        self.settings = settings
        self.synth = synth
        self.soundFontID = id
        self.sampleRate = sampleRate
    }

    deinit {
        delete_fluid_synth(synth)
        delete_fluid_settings(settings)
    }

    /// FluidSynth logs warnings (missing samples, voice stealing) to stderr; the CLI's output is ours.
    private static let silenceLogging: Void = {
        for level in [FLUID_PANIC, FLUID_ERR, FLUID_WARN, FLUID_INFO, FLUID_DBG] {
            fluid_set_log_function(Int32(level.rawValue), nil, nil)
        }
    }()

    /// Renders `part` into `frames` stereo frames, timing notes at `secondsPerQuarter`.
    func render(_ part: Score.Part, frames: Int, secondsPerQuarter: Double, cancellation: Cancellation) throws(EngineError) -> AudioBuffer {
        fluid_synth_system_reset(synth)
        let channel: Int32 = part.role == .drums ? 9 : 0
        if part.role == .drums {
            fluid_synth_program_select(synth, channel, soundFontID, 128, Int32(part.program))
        } else {
            fluid_synth_program_select(synth, channel, soundFontID, 0, Int32(part.program))
        }

        struct Event { var frame: Int; var on: Bool; var pitch: Int32; var velocity: Int32 }
        let framesPerQuarter = secondsPerQuarter * Double(sampleRate)
        var events: [Event] = []
        events.reserveCapacity(part.notes.count * 2)
        for note in part.notes {
            let start = Int((note.start * framesPerQuarter).rounded())
            let end = max(start + 1, Int(((note.start + note.length) * framesPerQuarter).rounded()))
            events.append(Event(frame: start, on: true, pitch: Int32(note.pitch), velocity: Int32(min(max(note.velocity, 1), 127))))
            events.append(Event(frame: end, on: false, pitch: Int32(note.pitch), velocity: 0))
        }
        // Releases before strikes at the same frame, so a repeated note sounds again.
        events.sort { ($0.frame, $0.on ? 1 : 0, $0.pitch) < ($1.frame, $1.on ? 1 : 0, $1.pitch) }

        var samples = [Float](repeating: 0, count: frames * 2)
        var cursor = 0
        var stopped = false
        samples.withUnsafeMutableBufferPointer { output in
            func write(until frame: Int) {
                var position = cursor
                while position < frame {
                    // Chunks keep cancellation prompt without costing anything measurable.
                    let count = min(frame - position, 32768)
                    let base = output.baseAddress! + position * 2
                    fluid_synth_write_float(synth, Int32(count), base, 0, 2, base, 1, 2)
                    position += count
                    if cancellation.isCancelled {
                        stopped = true
                        return
                    }
                }
                cursor = frame
            }
            for event in events {
                write(until: min(event.frame, frames))
                if stopped { return }
                if event.on {
                    fluid_synth_noteon(synth, channel, event.pitch, event.velocity)
                } else {
                    fluid_synth_noteoff(synth, channel, event.pitch)
                }
            }
            write(until: frames)
        }
        fluid_synth_system_reset(synth)
        if stopped { throw .cancelled }
        return AudioBuffer(sampleRate: sampleRate, channelCount: 2, samples: samples)
    }
}
