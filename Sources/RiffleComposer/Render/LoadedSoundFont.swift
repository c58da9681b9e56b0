import CFluidSynth
import Foundation
import RiffleAudio
import RiffleCore
import RiffleEngine

/// A SoundFont loaded into FluidSynth once and lent to a fresh synthesizer for each render.
///
/// Reading a SoundFont's structure takes FluidSynth about 30 ms, longer than rendering a short
/// part; a synthesizer costs under a millisecond. A used synthesizer does not return exactly to
/// its first state (its effects and 64-frame block phase carry over), so every render gets a new
/// one, and the same part comes out bit-identical whatever was rendered before it. A loaded font is
/// used by one render at a time: FluidSynth's sample reference counts are not safe to share
/// between threads.
///
/// Not thread-safe; the ``SoundFontPool`` lends each font to one render at a time.
final class LoadedSoundFont {
    private let settings: OpaquePointer
    private let holder: OpaquePointer
    /// The `fluid_sfont_t` the holder owns.
    let soundFont: OpaquePointer
    let url: URL
    private let soundFontID: Int32
    /// Programs the holder keeps selected, oldest first, as (bank, program).
    private var pinned: [(bank: Int32, program: Int32)] = []
    /// How many programs a font keeps loaded: the five parts of a take and one more.
    private static let pinnedLimit = 6

    init(_ url: URL) throws(EngineError) {
        // FluidSynth hands any file to libinstpatch, which prints GLib "CRITICAL" lines on one that is
        // not a SoundFont: look at the header first. .sf2 and .sf3 alike start "RIFF", size, "sfbk".
        guard let handle = FileHandle(forReadingAtPath: url.path) else {
            throw .failed("cannot read the SoundFont \(url.path)")
        }
        let header = (try? handle.read(upToCount: 12)) ?? nil
        try? handle.close()
        guard let header, header.count == 12, header.prefix(4) == Data("RIFF".utf8), header.suffix(4) == Data("sfbk".utf8) else {
            throw .failed("cannot load the SoundFont \(url.path): not a SoundFont (an .sf2 or .sf3 file starts with a RIFF sfbk header)")
        }
        Synthesis.silenceLogging
        guard let settings = new_fluid_settings() else { throw .failed("FluidSynth could not allocate its settings") }
        // Load a preset's samples when a program selects it, not the whole 140 MB font up front.
        fluid_settings_setint(settings, "synth.dynamic-sample-loading", 1)
        Synthesis.loader.lock()
        defer { Synthesis.loader.unlock() }
        guard let holder = new_fluid_synth(settings) else {
            delete_fluid_settings(settings)
            throw .failed("FluidSynth could not start a synthesizer")
        }
        // No presets selected on load: the holder keeps only the samples of programs it pins.
        let id = fluid_synth_sfload(holder, url.path, 0)
        guard id != FLUID_FAILED, let soundFont = fluid_synth_get_sfont_by_id(holder, id) else {
            delete_fluid_synth(holder)
            delete_fluid_settings(settings)
            throw .failed("cannot load the SoundFont \(url.path): FluidSynth does not read it as .sf2 or .sf3")
        }
        self.settings = settings
        self.holder = holder
        self.soundFont = soundFont
        self.url = url
        self.soundFontID = id
    }

    /// Keeps a program's samples loaded between renders. With dynamic sample loading FluidSynth
    /// frees a preset's samples when no channel selects it, and reading them again costs more than
    /// rendering; the holder selects the last few programs used on channels of its own.
    /// Call holding ``Synthesis/loader``.
    func pin(bank: Int32, program: Int32) {
        if pinned.contains(where: { $0.bank == bank && $0.program == program }) { return }
        if pinned.count == Self.pinnedLimit { pinned.removeFirst() }
        pinned.append((bank, program))
        for (channel, each) in pinned.enumerated() {
            fluid_synth_program_select(holder, Int32(channel), soundFontID, each.bank, each.program)
        }
    }

    deinit {
        Synthesis.loader.lock()
        defer { Synthesis.loader.unlock() }
        delete_fluid_synth(holder)
        delete_fluid_settings(settings)
    }
}

// Used by one thread at a time, handed over under the pool's semaphore.
extension LoadedSoundFont: @unchecked Sendable {}
