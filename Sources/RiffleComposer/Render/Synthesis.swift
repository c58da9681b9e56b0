import CFluidSynth
import Foundation
import RiffleAudio
import RiffleCore
import RiffleEngine

/// Offline rendering of one part on a new FluidSynth synthesizer.
enum Synthesis {
    /// Held around everything that touches FluidSynth's shared state or a SoundFont's presets:
    /// starting a synthesizer (it sets up shared tables the first time), loading a font, selecting
    /// and unselecting presets (which load and free their samples), removing a font and deleting a
    /// synthesizer. Two renders doing these at once, even with different fonts, crashed FluidSynth
    /// 2.3 inside its SoundFont loader, about once in a few hundred renders under load. Rendering
    /// itself (notes and audio) runs outside it.
    static let loader = NSLock()

    /// Runs `body` holding ``loader``.
    static func withLoader<T>(_ body: () throws(EngineError) -> T) throws(EngineError) -> T {
        loader.lock()
        defer { loader.unlock() }
        return try body()
    }

    /// FluidSynth logs warnings (missing samples, voice stealing) to stderr; the CLI's output is ours.
    static let silenceLogging: Void = {
        for level in [FLUID_PANIC, FLUID_ERR, FLUID_WARN, FLUID_INFO, FLUID_DBG] {
            fluid_set_log_function(Int32(level.rawValue), nil, nil)
        }
    }()

    /// Renders `part` with `font` into `frames` stereo frames at `sampleRate`, timing notes at
    /// `secondsPerQuarter`, dry: the room is added afterwards (``RoomReverb``).
    static func render(_ part: Score.Part, font: LoadedSoundFont, frames: Int, sampleRate: Int, secondsPerQuarter: Double,
                       cancellation: Cancellation) throws(EngineError) -> AudioBuffer {
        guard let settings = new_fluid_settings() else { throw .failed("FluidSynth could not allocate its settings") }
        defer { delete_fluid_settings(settings) }
        fluid_settings_setnum(settings, "synth.sample-rate", Double(sampleRate))
        fluid_settings_setint(settings, "synth.dynamic-sample-loading", 1)
        fluid_settings_setint(settings, "synth.reverb.active", 0)
        fluid_settings_setint(settings, "synth.chorus.active", 0)
        fluid_settings_setint(settings, "synth.polyphony", Int32(polyphony(for: part, seconds: Double(frames) / Double(sampleRate))))
        fluid_settings_setnum(settings, "synth.gain", 0.4)
        // Offline rendering needs no helper threads, and one thread keeps the output reproducible.
        fluid_settings_setint(settings, "synth.cpu-cores", 1)
        let channel: Int32 = part.role == .drums ? 9 : 0
        let bank: Int32 = part.role == .drums ? 128 : 0
        let synth = try withLoader { () throws(EngineError) -> OpaquePointer in
            guard let synth = new_fluid_synth(settings) else {
                throw .failed("FluidSynth could not start a synthesizer at \(sampleRate) Hz")
            }
            let id = fluid_synth_add_sfont(synth, font.soundFont)
            font.pin(bank: bank, program: Int32(part.program))
            fluid_synth_program_select(synth, channel, id, bank, Int32(part.program))
            if part.role != .melody {
                // Drums mostly play their samples at their own pitch and the bass pitches down, where
                // linear interpolation is as clean as the default fourth-order one, at two thirds of the
                // cost. Comping and pads sit behind the lead, whose detail stays in fourth order: there
                // linear interpolation's slight loss above 10 kHz is under the mix's tone shelves, and
                // those parts hold the most voices (a sustain pedal, a pad's long release).
                fluid_synth_set_interp_method(synth, -1, Int32(FLUID_INTERP_LINEAR.rawValue))
            }
            if part.role == .harmony || part.role == .texture {
                // GM pads release over several seconds, so every chord change stacks another full
                // chord of voices; a third of the release keeps the wash and most of the cost away.
                fluid_synth_set_gen(synth, channel, Int32(GEN_VOLENVRELEASE.rawValue), -1900)
            }
            return synth
        }
        defer {
            // The font belongs to its holder: take it back before the synthesizer goes, or
            // deleting the synthesizer would free it.
            loader.lock()
            fluid_synth_system_reset(synth)
            fluid_synth_remove_sfont(synth, font.soundFont)
            delete_fluid_synth(synth)
            loader.unlock()
        }

        // At one frame: controllers first (a bend or pedal meant for a note is set before it strikes),
        // then releases (a repeated note sounds again), then strikes; as the MIDI file orders them.
        enum Action { case control(ScoreController), off(Int32), on(Int32, Int32) }
        struct Event { var frame: Int; var order: Int; var sequence: Int; var action: Action }
        let framesPerQuarter = secondsPerQuarter * Double(sampleRate)
        var events: [Event] = []
        events.reserveCapacity(part.notes.count * 2 + part.controllers.count)
        for (index, controller) in part.controllers.enumerated() {
            events.append(Event(frame: max(0, Int((controller.time * framesPerQuarter).rounded())), order: 0, sequence: index,
                                action: .control(controller)))
        }
        for note in part.notes {
            let start = Int((note.start * framesPerQuarter).rounded())
            let end = max(start + 1, Int(((note.start + note.length) * framesPerQuarter).rounded()))
            let pitch = Int32(note.pitch)
            events.append(Event(frame: start, order: 2, sequence: note.pitch, action: .on(pitch, Int32(min(max(note.velocity, 1), 127)))))
            events.append(Event(frame: end, order: 1, sequence: note.pitch, action: .off(pitch)))
        }
        events.sort { ($0.frame, $0.order, $0.sequence) < ($1.frame, $1.order, $1.sequence) }

        var samples = [Float](repeating: 0, count: frames * 2)
        var cursor = 0
        var stopped = false
        // Set once no voice sounds and the last block came out below -100 dBFS (the release and
        // the room have died away): until the next event the part is silent, and the buffer is
        // already zeros. Parts rest for whole sections (pads in verses, a part the prompt refused),
        // and a synthesizer costs nearly as much rendering silence as music.
        var silent = false
        samples.withUnsafeMutableBufferPointer { output in
            func write(until frame: Int) {
                while cursor < frame {
                    if silent {
                        cursor = frame
                        break
                    }
                    // Short blocks notice silence soon; cancellation is checked every block.
                    let count = min(frame - cursor, 4096)
                    let base = output.baseAddress! + cursor * 2
                    fluid_synth_write_float(synth, Int32(count), base, 0, 2, base, 1, 2)
                    cursor += count
                    if fluid_synth_get_active_voice_count(synth) == 0 {
                        var peak: Float = 0
                        for index in 0..<(count * 2) { peak = max(peak, abs(base[index])) }
                        silent = peak < 1e-5
                    }
                    if cancellation.isCancelled {
                        stopped = true
                        return
                    }
                }
            }
            for event in events {
                write(until: min(event.frame, frames))
                if stopped { return }
                switch event.action {
                case .on(let pitch, let velocity):
                    silent = false
                    fluid_synth_noteon(synth, channel, pitch, velocity)
                case .off(let pitch): fluid_synth_noteoff(synth, channel, pitch)
                case .control(let controller): apply(controller, to: synth, channel: channel)
                }
            }
            write(until: frames)
        }
        if stopped { throw .cancelled }
        return AudioBuffer(sampleRate: sampleRate, channelCount: 2, samples: samples)
    }

    /// How many voices a part may sound at once. Past the limit FluidSynth ends the oldest, quietest
    /// releasing voice, which bounds the cost of parts with long tails; each voice costs about as
    /// much as the next, sounding or fading.
    ///
    /// A part rarely needs more than 24: a pad chord of four notes is 8-16 voices. A kit gets as
    /// many, since its cymbals ring for seconds after each hit; the tails that 24 cuts short had
    /// faded to 46-55 dB under the drum stem in the bench's takes (jazz, techno), while 16 cut
    /// audibly (24-29 dB). A texture striking two or more notes a second (arpeggiated FX) keeps
    /// 16: the voices it ends are long-faded notes (55 dB under the stem), where a slow pad at 16
    /// would lose the previous chord's release (22 dB).
    static func polyphony(for part: Score.Part, seconds: Double) -> Int {
        if part.role == .texture, seconds > 0, Double(part.notes.count) / seconds >= 2 { return 16 }
        return 24
    }

    /// Plays one controller change on `channel`, as the MIDI file's messages would.
    private static func apply(_ controller: ScoreController, to synth: OpaquePointer, channel: Int32) {
        let value = Int32(controller.clampedValue)
        switch controller.kind {
        case .pan: fluid_synth_cc(synth, channel, 10, value)
        case .expression: fluid_synth_cc(synth, channel, 11, value)
        case .sustain: fluid_synth_cc(synth, channel, 64, value)
        case .reverbSend: fluid_synth_cc(synth, channel, 91, value)
        case .pitchBend: fluid_synth_pitch_bend(synth, channel, value + 8192)
        case .bendRange: fluid_synth_pitch_wheel_sens(synth, channel, value)
        }
    }
}
