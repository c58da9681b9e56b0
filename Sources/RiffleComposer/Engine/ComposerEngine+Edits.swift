import Foundation
import RiffleAudio
import RiffleCore
import RiffleEngine

extension ComposerEngine {
    /// Recomposes the bars overlapping `from`..<`to` with a new seed (and the new prompt's moods and
    /// instruments, if one is given), keeping tempo, key and metre; outside those bars and the
    /// crossfade margin the audio is the parent's, sample for sample.
    func repaint(_ parent: Take, state: ComposerState, from: Double, to: Double, prompt: String?, seed: Int64,
                 progress: ProgressHandler, cancellation: Cancellation) throws -> Take {
        let old = state.score
        guard from >= 0, to <= old.duration + 1e-6, from < to else {
            throw EngineError.invalidEdit("repaint range \(seconds(from))-\(seconds(to)) s must lie within the take (0-\(seconds(old.duration)) s) and not be empty")
        }
        guard parent.stems.count == old.parts.count else {
            throw EngineError.invalidEdit("repaint needs the take's stems")
        }
        let barSeconds = old.seconds(atQuarter: old.barLength)
        let bars = Int((from / barSeconds).rounded(.down))..<min(old.bars, Int((to / barSeconds - 1e-9).rounded(.up)))

        var request = parent.request
        if let prompt { request.prompt = prompt }
        // The new take is as long as the parent's score, whatever the request it was loaded with says:
        // a parent made by extend is longer than its job asked for, and the quality score measures
        // a take's length against its request's.
        request.duration = old.duration
        var interpretation = interpret(request)
        // The audio around the range stays, so must the grid and the key under it.
        interpretation.bpm = .init(old.bpm, from: .request)
        interpretation.key = .init(old.key, from: .request)
        interpretation.timeSignature = .init(old.timeSignature, from: .request)
        let composer = try composer(genre: interpretation.genre.value, request: request)
        let fresh = composer.compose(interpretation, duration: old.duration, seed: seed)
        var score = old.splicing(fresh, bars: bars)
        score.genre = old.genre

        var repainted = try render(score, seed: seed, sampleRate: parent.audio.sampleRate, progress: progress, cancellation: cancellation)
        progress(GenerationProgress(fraction: 0.8, stage: "mastering"))
        // Master the new audio at the parent's level, then splice it in with short crossfades.
        _ = try master(&repainted, gainDecibels: state.masterGain)
        let start = max(0, Double(bars.lowerBound) * barSeconds - Self.repaintCrossfade)
        let end = min(old.duration, Double(bars.upperBound) * barSeconds + Self.repaintCrossfade)
        var stems = Self.splice(parent.stems.map(\.audio), repainted, from: start, to: end, crossfade: Self.repaintCrossfade)
        var mix = Mastering.sum(stems)
        var loudness = try measure(mix)
        if let trimDB = mastering.trimForTruePeak(loudness) {
            // The new bars peak higher than the old ones did: bring them down, not the rest.
            let trim = Float(pow(10, trimDB / 20))
            for index in repainted.indices { Mastering.scale(&repainted[index], by: trim) }
            stems = Self.splice(parent.stems.map(\.audio), repainted, from: start, to: end, crossfade: Self.repaintCrossfade)
            mix = Mastering.sum(stems)
            loudness = try measure(mix)
        }
        let mastered = Mastering.Result(mix: mix, loudness: loudness, gainDecibels: state.masterGain)
        progress(GenerationProgress(fraction: 1, stage: "done"))
        var take = take(score: score, stems: stems, mastered: mastered, request: request, interpretation: interpretation, seed: seed)
        take.interpretation.genre = parent.interpretation.genre
        return take
    }

    /// Continues the form for `seconds` more and ends it again: the parent's bars up to its final
    /// one stay, new sections follow, then a new cadence.
    func extend(_ parent: Take, state: ComposerState, by seconds: Double, seed: Int64,
                progress: ProgressHandler, cancellation: Cancellation) throws -> Take {
        let old = state.score
        let duration = old.duration + seconds
        guard seconds > 0, GenerationRequest.Limits.duration.contains(duration) else {
            let longest = GenerationRequest.Limits.duration.upperBound
            let allowed = old.duration < longest
                ? "more than 0 and at most \(self.seconds(longest - old.duration)) s: the take is \(self.seconds(old.duration)) s and may grow to \(self.seconds(longest)) s"
                : "none: the take is already \(self.seconds(old.duration)) s, the longest a take may be"
            throw EngineError.invalidEdit("seconds: \(self.seconds(seconds)) is out of range (allowed: \(allowed))")
        }
        var request = parent.request
        request.duration = duration
        var interpretation = parent.interpretation
        interpretation.key = .init(old.key, from: interpretation.key?.source ?? .fallback)
        let composer = try composer(genre: old.genre, request: request)
        // A fresh score of the new length that keeps the parent's harmony and motifs, then the
        // parent's own bars spliced over its beginning.
        let longer = composer.compose(interpretation, duration: duration, seed: seed, progressions: old.progressions, motifs: old.motifs)
        let kept = max(0, old.bars - 1)
        var score = longer.splicing(old, bars: 0..<kept)
        score.sections = Self.extendedForm(old.sections, keptBars: kept, longer: longer.sections, style: composer.style)
        return try finish(score, request: request, interpretation: interpretation, seed: seed, progress: progress, cancellation: cancellation)
    }

    /// The same music for another genre: its chord progressions and motifs, re-arranged and
    /// re-orchestrated in the new preset's patterns, instruments and grooves; the tempo moves into
    /// the new genre's range if it lies outside.
    func restyle(_ parent: Take, state: ComposerState, genre: String, seed: Int64,
                 progress: ProgressHandler, cancellation: Cancellation) throws -> Take {
        guard let preset = catalog.preset(named: genre) else {
            let known = catalog.presets.map(\.name).joined(separator: ", ")
            throw EngineError.invalidEdit("restyle: unknown genre \"\(genre)\" (known: \(known))")
        }
        let old = state.score
        var request = parent.request
        request.genre = preset.name
        // As long as the parent's score (see repaint).
        request.duration = old.duration
        var interpretation = parent.interpretation
        interpretation.genre = .init(preset.name, from: .request)
        interpretation.key = .init(old.key, from: interpretation.key?.source ?? .fallback)
        let bpm = min(max(old.bpm, preset.tempo.min), preset.tempo.max)
        interpretation.bpm = .init(bpm, from: bpm == old.bpm ? interpretation.bpm.source : .preset)
        if !preset.timeSignatures.contains(old.timeSignature), let metre = preset.timeSignatures.first {
            interpretation.timeSignature = .init(metre, from: .preset)
        }
        let composer = try composer(genre: preset.name, request: request)
        // Kinds of section the old form lacked borrow the nearest progression it has.
        var progressions = old.progressions
        let fallback = old.progressions[.chorus] ?? old.progressions[.verse] ?? SectionKind.allCases.lazy.compactMap { old.progressions[$0] }.first
        for kind in SectionKind.allCases where progressions[kind] == nil { progressions[kind] = fallback }
        let score = composer.compose(interpretation, duration: old.duration, seed: seed,
                                     progressions: progressions.compactMapValues { $0 }, motifs: old.motifs)
        return try finish(score, request: request, interpretation: interpretation, seed: seed, progress: progress, cancellation: cancellation)
    }

    private func finish(_ score: Score, request: GenerationRequest, interpretation: Interpretation, seed: Int64,
                        progress: ProgressHandler, cancellation: Cancellation) throws -> Take {
        var stems = try render(score, seed: seed, sampleRate: request.sampleRate, progress: progress, cancellation: cancellation)
        progress(GenerationProgress(fraction: 0.8, stage: "mastering"))
        let mastered = try master(&stems)
        progress(GenerationProgress(fraction: 1, stage: "done"))
        return take(score: score, stems: stems, mastered: mastered, request: request, interpretation: interpretation, seed: seed)
    }

    /// The parent's sections up to the kept bars, then the longer plan's sections from there on.
    static func extendedForm(_ old: [Score.Section], keptBars: Int, longer: [Score.Section], style: ComposerStyle) -> [Score.Section] {
        var sections = old.compactMap { section -> Score.Section? in
            guard section.startBar < keptBars else { return nil }
            var section = section
            section.bars = min(section.bars, keptBars - section.startBar)
            return section
        }
        for section in longer where section.endBar > keptBars {
            var section = section
            if section.startBar < keptBars {
                section.bars -= keptBars - section.startBar
                section.startBar = keptBars
            }
            sections.append(section)
        }
        return sections
    }

    /// Parent audio outside `from`..<`to`, new audio inside, with linear crossfades of `crossfade`
    /// seconds just inside each edge.
    static func splice(_ old: [AudioBuffer], _ new: [AudioBuffer], from: Double, to: Double, crossfade: Double) -> [AudioBuffer] {
        zip(old, new).map { old, new in
            var result = old
            let rate = Double(old.sampleRate)
            let channels = old.channelCount
            let first = Int(from * rate)
            let last = min(old.frameCount, Int(to * rate))
            let fade = max(1, Int(crossfade * rate))
            guard first < last else { return result }
            for frame in first..<last {
                let rising = frame - first < fade && from > 0 ? Float(frame - first) / Float(fade) : 1
                let falling = last - frame <= fade && last < old.frameCount ? Float(last - frame) / Float(fade) : 1
                let weight = min(rising, falling)
                for channel in 0..<channels {
                    let index = frame * channels + channel
                    result.samples[index] = old.samples[index] * (1 - weight) + new.samples[index] * weight
                }
            }
            return result
        }
    }

    func measure(_ mix: AudioBuffer) throws(EngineError) -> Loudness {
        do {
            return try Loudness.measure(mix)
        } catch {
            throw .failed("loudness measurement failed: \(error)")
        }
    }

    func seconds(_ value: Double) -> String {
        String(format: "%.2f", value).replacingOccurrences(of: #"\.?0+$"#, with: "", options: .regularExpression)
    }
}
