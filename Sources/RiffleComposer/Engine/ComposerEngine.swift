import Foundation
import RiffleAudio
import RiffleCore
import RiffleEngine
import Synchronization

/// The embedded engine: composes a score from the prompt, renders each part through FluidSynth and
/// masters the mix. Needs nothing but a General MIDI SoundFont.
public final class ComposerEngine: MusicEngine {
    public let identity = EngineIdentity(name: "composer", version: "1")
    public let capabilities: EngineCapabilities = [.repaint, .extend, .restyle, .stems, .midi]

    /// The SoundFont it renders with: its real path (links resolved) and size.
    public let model: String
    public let catalog: PresetCatalog
    let interpreter: PromptInterpreter
    let soundFonts: SoundFontPool
    let mastering = Mastering.streaming
    private let styles = Mutex<[String: ComposerStyle]>([:])

    /// Seconds each side of a repainted range over which old and new audio crossfade.
    public static let repaintCrossfade = 0.1

    /// - Parameter soundFont: an .sf2 or .sf3 file; the Debian GM SoundFont when `nil`.
    /// - Throws: ``EngineError/failed(_:)`` when no SoundFont is given and none is installed, or the
    ///   file cannot be read or is not a SoundFont (the message names it).
    public init(catalog: PresetCatalog, soundFont: URL? = nil) throws(EngineError) {
        MemoryPolicy.reuseAudioBuffers()
        guard let font = soundFont ?? SoundFontPool.defaultSoundFont else {
            throw .failed("no General MIDI SoundFont found: install fluid-soundfont-gm or name an .sf2/.sf3 file")
        }
        guard FileManager.default.isReadableFile(atPath: font.path) else {
            throw .failed("cannot read the SoundFont \(font.path)")
        }
        // Load it now, so a file that is not a SoundFont is reported before any work starts.
        let loaded = try LoadedSoundFont(font)
        let real = font.resolvingSymlinksInPath()
        let size = (try? FileManager.default.attributesOfItem(atPath: real.path)[.size] as? Int) ?? 0
        self.model = "soundfont \(real.path) (\(size) bytes)"
        self.catalog = catalog
        self.interpreter = PromptInterpreter(catalog: catalog)
        self.soundFonts = SoundFontPool(soundFont: font, first: loaded)
    }

    public func interpret(_ request: GenerationRequest) -> Interpretation {
        interpreter.interpret(request)
    }

    public func generate(_ request: GenerationRequest, seed: Int64, progress: ProgressHandler,
                         cancellation: Cancellation) throws -> Take {
        try finish(composeAndRender(request, seed: seed, progress: progress, cancellation: cancellation),
                   progress: progress, cancellation: cancellation)
    }

    /// A pipeline of two stages: one take renders (its parts in parallel, on every core) while the
    /// previous one is mastered and delivered. At most two takes are in memory at once, however
    /// large the batch: a 30-second take's stems alone are 50 MB.
    public func generateBatch(_ request: GenerationRequest, seeds: [Int64], progress: @escaping @Sendable (Int, GenerationProgress) -> Void,
                              cancellation: Cancellation, deliver: @escaping @Sendable (Int, Result<Take, any Error>) -> Void) {
        let finishing = DispatchQueue(label: "riffle.composer.finishing")
        let group = DispatchGroup()
        let finishingSlot = DispatchSemaphore(value: 1)
        for (index, seed) in seeds.enumerated() {
            let report: ProgressHandler = { progress(index, $0) }
            let rendered: Rendered
            do {
                rendered = try composeAndRender(request, seed: seed, progress: report, cancellation: cancellation)
            } catch {
                deliver(index, .failure(error))
                continue
            }
            finishingSlot.wait()
            // Handed over in a box the finishing stage empties, so the stems have one owner and
            // mastering works on them in place instead of copying 50 MB.
            let handover = Handover(consume rendered)
            finishing.async(group: group) {
                deliver(index, Result { try self.finish(handover.take(), progress: report, cancellation: cancellation) })
                finishingSlot.signal()
            }
        }
        group.wait()
    }

    /// A take between the stages: composed and rendered, not yet mastered.
    struct Rendered: Sendable {
        var score: Score
        var stems: [AudioBuffer]
        var request: GenerationRequest
        var interpretation: Interpretation
        var seed: Int64
    }

    func composeAndRender(_ request: GenerationRequest, seed: Int64, progress: ProgressHandler,
                          cancellation: Cancellation) throws -> Rendered {
        try cancellation.check()
        progress(GenerationProgress(fraction: 0, stage: "composing"))
        var interpretation = interpret(request)
        let composer = try composer(genre: interpretation.genre.value, request: request)
        let score = composer.compose(interpretation, duration: request.duration, seed: seed)
        if interpretation.key == nil { interpretation.key = .init(score.key, from: .fallback) }
        let stems = try render(score, seed: seed, sampleRate: request.sampleRate, progress: progress, cancellation: cancellation)
        return Rendered(score: score, stems: stems, request: request, interpretation: interpretation, seed: seed)
    }

    /// Passes a rendered take from one thread to another exactly once.
    private final class Handover: @unchecked Sendable {
        // Written once here, taken once by the finishing stage, never touched at the same time.
        private var rendered: Rendered?
        init(_ rendered: Rendered) { self.rendered = rendered }
        func take() -> Rendered {
            defer { rendered = nil }
            return rendered!
        }
    }

    /// Masters a rendered take (consumed, so its stems are mastered in place) into the finished take.
    func finish(_ rendered: consuming Rendered, progress: ProgressHandler, cancellation: Cancellation) throws -> Take {
        try cancellation.check()
        progress(GenerationProgress(fraction: 0.8, stage: "mastering"))
        var stems = rendered.stems
        rendered.stems = []
        let mastered = try master(&stems)
        progress(GenerationProgress(fraction: 1, stage: "done"))
        return take(score: rendered.score, stems: stems, mastered: mastered, request: rendered.request,
                    interpretation: rendered.interpretation, seed: rendered.seed)
    }

    public func edit(_ take: Take, _ edit: TakeEdit, seed: Int64, progress: ProgressHandler,
                     cancellation: Cancellation) throws -> Take {
        let state = try ComposerState.decode(take.engineState)
        try cancellation.check()
        progress(GenerationProgress(fraction: 0, stage: "composing"))
        switch edit {
        case .repaint(let from, let to, let prompt):
            return try repaint(take, state: state, from: from, to: to, prompt: prompt, seed: seed, progress: progress, cancellation: cancellation)
        case .extend(let seconds):
            return try extend(take, state: state, by: seconds, seed: seed, progress: progress, cancellation: cancellation)
        case .restyle(let genre):
            return try restyle(take, state: state, genre: genre, seed: seed, progress: progress, cancellation: cancellation)
        }
    }

    // MARK: Pieces shared by generation and edits

    func composer(genre: String, request: GenerationRequest) throws(EngineError) -> Composer {
        let preset = catalog.preset(named: genre)
        let style = try style(for: preset)
        return Composer(style: style, preset: preset, sampling: SamplingParameters(request))
    }

    func style(for preset: GenrePreset?) throws(EngineError) -> ComposerStyle {
        guard let preset else { return .standard }
        if let known = styles.withLock({ $0[preset.name] }) { return known }
        let style: ComposerStyle
        do {
            style = try ComposerStyle.load(for: preset)
        } catch {
            throw .failed("\(error)")
        }
        styles.withLock { $0[preset.name] = style }
        return style
    }

    /// Every part through its own synthesizer and into its room (``RoomReverb``), in parallel;
    /// then each stem's mix (its clean-up filters, width, and the take's tone matched to the
    /// genre's curve), in parallel again; then a fade over the last chord's ring.
    func render(_ score: Score, seed: Int64, sampleRate: Int, progress: ProgressHandler, cancellation: Cancellation) throws -> [AudioBuffer] {
        let frames = Int((score.duration * Double(sampleRate)).rounded())
        let parts = score.parts
        let results = Mutex<[Int: Result<(AudioBuffer, Spectrum?), EngineError>]>([:])
        // Costliest first (the parts with a room, then the busiest), so no core is left with a
        // long part at the end while the other idles.
        let order = parts.indices.sorted { Self.renderCost(parts[$0]) > Self.renderCost(parts[$1]) }
        DispatchQueue.concurrentPerform(iterations: parts.count) { step in
            let index = order[step]
            let result: Result<(AudioBuffer, Spectrum?), EngineError>
            do {
                var stem = try soundFonts.render(parts[index], frames: frames, sampleRate: sampleRate,
                                                 secondsPerQuarter: score.secondsPerQuarter, cancellation: cancellation)
                // The room at the part's send, which the producer's pass set (0 for the dry parts).
                RoomReverb.apply(to: &stem, send: parts[index].reverbSend)
                result = .success((stem, parts[index].mix.reference == nil || parts[index].notes.isEmpty ? nil : Spectrum(of: stem)))
            } catch let error as EngineError {
                result = .failure(error)
            } catch {
                result = .failure(.failed("\(error)"))
            }
            let done = results.withLock { finished in
                finished[index] = result
                return finished.count
            }
            progress(GenerationProgress(fraction: 0.05 + 0.7 * Double(done) / Double(parts.count), stage: "rendering"))
        }
        var rendered: [Int: AudioBuffer] = [:]
        var spectra: [Int: Spectrum] = [:]
        for index in parts.indices {
            // Taken out, not copied: the processing below then works on the only reference to each stem.
            guard let result = results.withLock({ $0.removeValue(forKey: index) }) else { throw EngineError.failed("a part was not rendered") }
            let (stem, spectrum) = try result.get()
            rendered[index] = stem
            spectra[index] = spectrum
        }
        try cancellation.check()
        let match = parts.lazy.compactMap(\.mix.reference).first.map { target in
            SpectralMatch.solve(stems: parts.indices.compactMap { index in
                spectra[index].map { (parts[index].role, $0, parts[index].mix.filters(sampleRate: sampleRate), parts[index].mix.width) }
            }, target: target, sampleRate: sampleRate)
        }
        // A part with no notes (one the prompt leaves out) is silence: nothing to filter. The rest
        // go two at a time (see StemProcessor), those with as many filters together.
        let chains: [Int: StemProcessor.Chain] = Dictionary(uniqueKeysWithValues: parts.indices.filter { !parts[$0].notes.isEmpty }.map { index in
            let mix = parts[index].mix
            let filters = mix.filters(sampleRate: sampleRate) + (match?.filters(for: parts[index].role, sampleRate: sampleRate) ?? [])
            return (index, StemProcessor.Chain(filters: filters, width: mix.width, widthDelay: mix.widthDelay))
        })
        let busy = chains.keys.sorted { (chains[$0]!.filters.count, $0) > (chains[$1]!.filters.count, $1) }
        let pairs = stride(from: 0, to: busy.count, by: 2).map { Array(busy[$0..<min($0 + 2, busy.count)]) }
        let mixing = Mutex(rendered)
        rendered = [:]
        // Linear and on each stem alone: the mix, which mastering sums from the stems, stays their sum.
        DispatchQueue.concurrentPerform(iterations: pairs.count) { step in
            let pair = pairs[step]
            // Taken out, not copied: the processing works on the only reference to each stem.
            var first = mixing.withLock { $0.removeValue(forKey: pair[0])! }
            if pair.count == 2 {
                var second = mixing.withLock { $0.removeValue(forKey: pair[1])! }
                StemProcessor.apply(chains[pair[0]]!, to: &first, and: chains[pair[1]]!, to: &second)
                mixing.withLock { $0[pair[1]] = second }
            } else {
                StemProcessor.apply(chains[pair[0]]!, to: &first)
            }
            mixing.withLock { $0[pair[0]] = first }
        }
        progress(GenerationProgress(fraction: 0.8, stage: "rendering"))
        var stems: [AudioBuffer] = []
        for index in parts.indices {
            guard let stem = mixing.withLock({ $0.removeValue(forKey: index) }) else { throw EngineError.failed("a part was not mixed") }
            stems.append(stem)
        }
        let finalBar = score.seconds(atQuarter: Double(score.bars - 1) * score.barLength)
        let fade = min(1.5, max(0.05, (score.duration - finalBar) * 0.6))
        Self.fadeOut(&stems, seconds: fade)
        return stems
    }

    /// A rough relative cost of rendering a part: a room (its reverb, and a lead's or a pad's
    /// long notes) first, then the number of notes.
    static func renderCost(_ part: Score.Part) -> Double {
        Double(part.notes.count) + (RoomReverb.hasRoom(part.role) ? 1000 : 0)
    }

    /// A raised-cosine fade to silence over the last `seconds` of every stem (all of one length and
    /// rate): the final chord dies away instead of being cut. The curve is worked out once for all.
    static func fadeOut(_ stems: inout [AudioBuffer], seconds: Double) {
        guard let shape = stems.first else { return }
        let frames = min(shape.frameCount, Int(seconds * Double(shape.sampleRate)))
        guard frames > 0 else { return }
        let gains = (0..<frames).map { Float(0.5 * (1 + cos(Double.pi * Double($0 + 1) / Double(frames)))) }
        for index in stems.indices {
            let first = stems[index].frameCount - frames
            let channels = stems[index].channelCount
            guard first >= 0 else { continue }
            stems[index].samples.withUnsafeMutableBufferPointer { samples in
                for frame in 0..<frames {
                    for channel in 0..<channels { samples[(first + frame) * channels + channel] *= gains[frame] }
                }
            }
        }
    }

    /// Masters `stems` in place.
    func master(_ stems: inout [AudioBuffer], gainDecibels: Double? = nil) throws(EngineError) -> Mastering.Result {
        do {
            return try mastering.master(&stems, gainDecibels: gainDecibels)
        } catch {
            throw .failed("mastering failed: \(error)")
        }
    }

    func take(score: Score, stems: [AudioBuffer], mastered: Mastering.Result, request: GenerationRequest,
              interpretation: Interpretation, seed: Int64) -> Take {
        let stems = zip(score.parts, stems).map { Take.Stem(name: $0.role.rawValue, audio: $1) }
        let sections = Self.sections(of: score)
        return Take(audio: mastered.mix, stems: stems, midi: score.midiFile(), seed: seed, request: request,
                    interpretation: interpretation, engine: identity, sections: sections,
                    loudness: .init(integrated: mastered.loudness.integrated, truePeak: mastered.loudness.truePeak),
                    engineState: ComposerState(score: score, masterGain: mastered.gainDecibels).encoded())
    }
}

extension ComposerEngine {
    /// The score's sections with their start times.
    static func sections(of score: Score) -> [Take.Section] {
        score.sections.map { Take.Section(name: $0.kind.rawValue, start: score.seconds(atQuarter: Double($0.startBar) * score.barLength)) }
    }

    public func sections(fromState state: Data?) -> [Take.Section] {
        (try? ComposerState.decode(state)).map { Self.sections(of: $0.score) } ?? []
    }

    /// A generated take's stems, made again from its request and seed: the same score renders to the
    /// same parts. An edited take's score was spliced from two, so it cannot be made again; that
    /// shows as a score that differs from the one the take keeps.
    public func stems(of take: Take, progress: ProgressHandler, cancellation: Cancellation) throws -> [Take.Stem] {
        let made = try generate(take.request, seed: take.seed, progress: progress, cancellation: cancellation)
        guard let kept = take.engineState, let remade = made.engineState,
              try ComposerState.decode(kept).score == ComposerState.decode(remade).score else {
            throw EngineError.failed("this take's stems cannot be made again: it was made by an edit, or by another Composer version")
        }
        return made.stems
    }
}
