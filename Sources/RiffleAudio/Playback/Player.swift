import Dispatch
import Foundation
import RiffleEngine
import Synchronization

/// Plays takes on a thread of its own: play, pause, seek, loop a region, switch to another take at
/// the same position, and mute stems while playing.
///
/// Commands come from any thread and return at once; the playback thread picks them up before its
/// next chunk (512 frames, about 12 ms at 44.1 kHz) and drops what the device still had queued, so
/// a seek or a switch is heard within a chunk. The thread holds no lock while it writes, allocates
/// nothing once playing, and never calls back into the UI while audio flows: the UI reads ``status``
/// when it redraws. Only a device that cannot be opened or fails is reported, through `onFailure`.
public final class Player: Sendable {
    /// A take ready to play: its mix, and its stems (summing to the mix) for muting and solo.
    public struct Source: Sendable {
        public let id: String
        public let mix: AudioBuffer
        /// Empty when the take has no stems; muting then does nothing.
        public let stems: [AudioBuffer]

        public init(id: String, mix: AudioBuffer, stems: [AudioBuffer] = []) {
            self.id = id
            self.mix = mix
            // Stems that do not cover the mix cannot stand in for it: the take plays without them.
            self.stems = stems.allSatisfy { $0.frameCount >= mix.frameCount && $0.channelCount == mix.channelCount } ? stems : []
        }
    }

    /// What is playing, for the screen.
    public struct Status: Sendable, Equatable {
        public var sourceID: String?
        /// Seconds from the start of the take.
        public var position: Double
        public var isPlaying: Bool
    }

    /// Opens the sink for a rate and channel count; called on the playback thread.
    public typealias SinkOpener = @Sendable (_ sampleRate: Int, _ channelCount: Int) throws -> any AudioSink

    private struct Shared {
        var source: Source?
        var frame = 0
        var playing = false
        var loop: ClosedRange<Double>?
        /// Bit i set: stem i is silent.
        var muted: UInt64 = 0
        /// Bumped by every command that moves the position, so a chunk written meanwhile does not
        /// move it again.
        var generation = 0
        /// The device's queue must be dropped before the next write (pause, seek, switch).
        var discard = false
        /// The end was reached: let the device play out what it has.
        var drain = false
        var shuttingDown = false
    }

    private enum Step {
        case idle(discard: Bool, drain: Bool)
        case chunk(Source, start: Int, count: Int, muted: UInt64, generation: Int, discard: Bool)
        case exit
    }

    /// What the commands and the playback thread share; a class, so the thread holds it without the player.
    private final class Core: Sendable {
        let shared = Mutex(Shared())
        let wake = DispatchSemaphore(value: 0)
        let exited = DispatchSemaphore(value: 0)
    }

    public static let chunkFrames = 512
    private let core = Core()
    private let openSink: SinkOpener
    private let onFailure: @Sendable (String) -> Void

    /// Starts the playback thread, idle until the first ``play(_:from:)``.
    public init(openSink: @escaping SinkOpener, onFailure: @escaping @Sendable (String) -> Void = { _ in }) {
        self.openSink = openSink
        self.onFailure = onFailure
        let thread = Thread { [core, openSink, onFailure] in
            Self.run(core, openSink: openSink, onFailure: onFailure)
            core.exited.signal()
        }
        thread.name = "riffle.playback"
        thread.qualityOfService = QualityOfService.userInteractive
        thread.start()
    }

    /// A player on an ALSA device (`default`, `hw:0`, `file:'/tmp/out.raw',raw`).
    public convenience init(device: String, onFailure: @escaping @Sendable (String) -> Void = { _ in }) {
        self.init(openSink: { rate, channels in try PCMOutput(device: device, sampleRate: rate, channelCount: channels) },
                  onFailure: onFailure)
    }

    public var status: Status {
        core.shared.withLock { state in
            Status(sourceID: state.source?.id, position: state.source.map { Double(state.frame) / Double($0.mix.sampleRate) } ?? 0,
                   isPlaying: state.playing)
        }
    }

    /// Plays `source` from `seconds`.
    public func play(_ source: Source, from seconds: Double = 0) {
        command { state in
            state.source = source
            state.frame = Self.frame(seconds, in: source)
            state.playing = true
        }
    }

    /// Continues from where it paused; from the start (or the loop's start) once it has ended.
    public func resume() {
        command { state in
            guard let source = state.source else { return }
            if state.frame >= source.mix.frameCount { state.frame = Self.frame(state.loop?.lowerBound ?? 0, in: source) }
            state.playing = true
        }
    }

    public func pause() {
        command { state in state.playing = false }
    }

    /// Moves to `seconds`, playing or not.
    public func seek(to seconds: Double) {
        command { state in
            guard let source = state.source else { return }
            state.frame = Self.frame(seconds, in: source)
        }
    }

    /// Puts `source` in place of the current take at the same position (A/B listening), keeping
    /// whether it plays. With nothing loaded, it is loaded paused at the start.
    public func switchTo(_ source: Source) {
        command { state in
            let seconds = state.source.map { Double(state.frame) / Double($0.mix.sampleRate) } ?? 0
            state.source = source
            state.frame = Self.frame(seconds, in: source)
        }
    }

    /// Loops `region` (seconds) while set; playback jumps into it at once if it is outside.
    public func setLoop(_ region: ClosedRange<Double>?) {
        command { state in
            state.loop = region
            if let region, let source = state.source {
                let frame = Double(state.frame) / Double(source.mix.sampleRate)
                if !region.contains(frame) { state.frame = Self.frame(region.lowerBound, in: source) }
            }
        }
    }

    /// Which stems are silent (by index in the source's stems). Takes effect within a chunk.
    public func setMuted(_ stems: Set<Int>) {
        core.shared.withLock { state in state.muted = stems.reduce(0) { $0 | (1 << UInt64($1 & 63)) } }
    }

    /// Stops the thread, dropping what was queued, and closes the device. The player does nothing after this.
    public func shutDown() {
        let first = core.shared.withLock { state in
            defer { state.shuttingDown = true; state.playing = false }
            return !state.shuttingDown
        }
        guard first else { return }
        core.wake.signal()
        _ = core.exited.wait(timeout: DispatchTime.now() + 2.0)
    }

    private func command(_ change: (inout Shared) -> Void) {
        core.shared.withLock { state in
            change(&state)
            state.generation &+= 1
            state.discard = true
            state.drain = false
        }
        core.wake.signal()
    }

    private static func frame(_ seconds: Double, in source: Source) -> Int {
        min(max(Int((seconds * Double(source.mix.sampleRate)).rounded()), 0), source.mix.frameCount)
    }

    // MARK: The playback thread

    private static func run(_ core: Core, openSink: SinkOpener, onFailure: @Sendable (String) -> Void) {
        var sink: (any AudioSink)?
        // Room for a chunk of up to 8 channels, allocated once: mixing stems allocates nothing.
        var scratch = [Float](repeating: 0, count: chunkFrames * 8)
        while true {
            switch nextStep(core) {
            case .exit:
                sink?.discard()
                return
            case .idle(let discard, let drain):
                if discard { sink?.discard() }
                if drain { sink?.drain() }
                if !drain { core.wake.wait() }
            case .chunk(let source, let start, let count, let muted, let generation, let discard):
                let audio = source.mix
                if discard { sink?.discard() }
                if sink == nil || sink!.sampleRate != audio.sampleRate || sink!.channelCount != audio.channelCount {
                    sink = nil
                    do {
                        sink = try openSink(audio.sampleRate, audio.channelCount)
                    } catch {
                        core.shared.withLock { $0.playing = false }
                        onFailure("\(error)")
                        continue
                    }
                }
                let channels = audio.channelCount
                let written: Int
                do {
                    if muted == 0 || source.stems.isEmpty || channels > 8 {
                        written = try audio.samples.withUnsafeBufferPointer { samples throws(PCMOutput.Failure) in
                            try sink!.write(samples.baseAddress! + start * channels, frames: count)
                        }
                    } else {
                        mix(source.stems, muted: muted, start: start, count: count, channels: channels, into: &scratch)
                        written = try scratch.withUnsafeBufferPointer { samples throws(PCMOutput.Failure) in
                            try sink!.write(samples.baseAddress!, frames: count)
                        }
                    }
                } catch let failure {
                    core.shared.withLock { $0.playing = false }
                    sink = nil
                    onFailure(failure.description)
                    continue
                }
                advance(core, source: source, to: start + written, generation: generation)
            }
        }
    }

    private static func nextStep(_ core: Core) -> Step {
        core.shared.withLock { state -> Step in
            if state.shuttingDown { return .exit }
            let discard = state.discard
            state.discard = false
            guard state.playing, let source = state.source else {
                let drain = state.drain
                state.drain = false
                return .idle(discard: discard, drain: drain)
            }
            var end = source.mix.frameCount
            if let loop = state.loop {
                let first = frame(loop.lowerBound, in: source), last = frame(loop.upperBound, in: source)
                if last > first {
                    if state.frame < first || state.frame >= last { state.frame = first }
                    end = last
                }
            }
            let count = min(chunkFrames, end - state.frame)
            guard count > 0 else {
                state.playing = false
                return .idle(discard: discard, drain: false)
            }
            return .chunk(source, start: state.frame, count: count, muted: state.muted, generation: state.generation, discard: discard)
        }
    }

    private static func advance(_ core: Core, source: Source, to frame: Int, generation: Int) {
        core.shared.withLock { state in
            // A command arrived while the chunk was written: it decides the position now.
            guard state.generation == generation else { return }
            state.frame = frame
            if state.loop == nil, frame >= source.mix.frameCount {
                state.playing = false
                state.drain = true
            }
        }
    }

    /// The sum of the stems that are not muted, for one chunk, into `output`.
    private static func mix(_ stems: [AudioBuffer], muted: UInt64, start: Int, count: Int, channels: Int, into output: inout [Float]) {
        let length = count * channels, offset = start * channels
        output.withUnsafeMutableBufferPointer { out in
            for index in 0..<length { out[index] = 0 }
            for (number, stem) in stems.enumerated() where muted & (1 << UInt64(number & 63)) == 0 {
                stem.samples.withUnsafeBufferPointer { samples in
                    for index in 0..<length { out[index] += samples[offset + index] }
                }
            }
        }
    }
}
