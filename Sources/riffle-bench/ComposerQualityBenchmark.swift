import Foundation
import RiffleAudio
import RiffleComposer
import RiffleCore
import RiffleEngine

/// The Composer's music measured from outside, from each take's MIDI file and audio the way the
/// issue measured it: melody rhythm, how much variations differ, parts present against the prompt,
/// stereo width, spectral balance, and that tempo, loudness, length and stem sums stay exact.
///
/// Not a speed figure: it prints the numbers a release's closing note quotes.
func composerQualityBenchmark(_ arguments: [String]) throws {
    let engine = try ComposerEngine(catalog: PresetCatalog.standard())
    let seconds = Double(arguments.first ?? "") ?? 20
    let seeds: [Int64] = [11, 12, 13, 14]
    let genrePrompts = PresetCatalog.standard().presets.map { "\($0.title) track" }
    let special = ["ambient pad, no drums", "classical piece without drums", "a string quartet", "a piano nocturne",
                   "sad piano ballad", "orchestral waltz", "salsa at 180 bpm", "jazz in 5/4 with alto sax",
                   "reggae one drop", "cello solo", "bebop trumpet", "irish jig with fiddle"]
    print("Composer music, measured from each take's MIDI and audio (\(Int(seconds)) s takes, seeds \(seeds.map(String.init).joined(separator: ", ")))\n")
    print(padded("prompt", 34) + " off-beat  silent-off  repeats  entry s  same drums/bass/comp  L/R corr  <60Hz  >8kHz  drums rms")
    var totals = Totals()
    var mixes: [[Float]] = []
    for prompt in genrePrompts + special {
        var takes: [(take: Take, midi: MIDIReader)] = []
        for seed in seeds {
            var request = GenerationRequest(prompt: prompt, duration: seconds, seed: seed)
            request.sampleRate = 44100
            let take = try engine.generate(request, seed: seed, progress: { _ in }, cancellation: Cancellation())
            guard let data = take.midi, let midi = MIDIReader(data) else { throw EngineError.failed("no MIDI for \(prompt)") }
            takes.append((take, midi))
        }
        let row = measure(takes)
        totals.add(row)
        mixes.append(onsetEnvelope(takes[0].take.audio))
        print(padded(prompt, 34) + String(format: " %7.0f%%  %6d/4  %6.0f%%  %7.1f  %6d/%d/%d of 6  %8.2f  %4.1f%%  %4.1f%%  %9.4f",
                                       100 * row.offBeat, row.silentOffBeat, 100 * row.repeats, row.entry,
                                       row.sameDrums, row.sameBass, row.sameComp, row.stereo, 100 * row.sub, 100 * row.air, row.drumsRMS))
        totals.envelopeWithin.append(row.envelopeCorrelation)
    }
    var between: [Double] = []
    for i in mixes.indices { for j in mixes.indices where j > i { between.append(correlation(mixes[i], mixes[j])) } }
    print("")
    print(String(format: "melody notes off the beat: %.0f%% (takes with none: %d of %d); repeated notes %.0f%%; melody entry median %.1f s",
                 100 * totals.offBeat / Double(totals.rows), totals.silentOffBeat, 4 * totals.rows,
                 100 * totals.repeats / Double(totals.rows), median(totals.entries)))
    print(String(format: "variation pairs with identical drums %d, bass rhythm %d, comping rhythm %d, of %d",
                 totals.sameDrums, totals.sameBass, totals.sameComp, 6 * totals.rows))
    print(String(format: "onset-envelope correlation: between variations %.2f, between prompts %.2f",
                 mean(totals.envelopeWithin), mean(between)))
    print(String(format: "largest error: tempo %.1f%% (beat tracking), loudness %.2f LU, length %.4f s, stem sum %.2e",
                 100 * totals.tempoError, totals.loudnessError, totals.lengthError, totals.stemSumError))
}

private struct Row {
    var offBeat = 0.0, silentOffBeat = 0, repeats = 0.0, entry = 0.0
    var sameDrums = 0, sameBass = 0, sameComp = 0
    var stereo = 0.0, sub = 0.0, air = 0.0, drumsRMS = 0.0
    var envelopeCorrelation = 0.0
    var tempoError = 0.0, loudnessError = 0.0, lengthError = 0.0, stemSumError = 0.0
}

private struct Totals {
    var rows = 0, silentOffBeat = 0, sameDrums = 0, sameBass = 0, sameComp = 0
    var offBeat = 0.0, repeats = 0.0, entries: [Double] = [], envelopeWithin: [Double] = []
    var tempoError = 0.0, loudnessError = 0.0, lengthError = 0.0, stemSumError = 0.0

    mutating func add(_ row: Row) {
        rows += 1
        offBeat += row.offBeat
        silentOffBeat += row.silentOffBeat
        repeats += row.repeats
        entries.append(row.entry)
        sameDrums += row.sameDrums
        sameBass += row.sameBass
        sameComp += row.sameComp
        tempoError = max(tempoError, row.tempoError)
        loudnessError = max(loudnessError, row.loudnessError)
        lengthError = max(lengthError, row.lengthError)
        stemSumError = max(stemSumError, row.stemSumError)
    }
}

private func measure(_ takes: [(take: Take, midi: MIDIReader)]) -> Row {
    var row = Row()
    var offBeat: [Double] = [], repeats: [Double] = [], entries: [Double] = []
    var drums: [Set<[Int]>] = [], bass: [Set<Int>] = [], comp: [Set<Int>] = []
    for (take, midi) in takes {
        let metre = take.interpretation.timeSignature.value
        let beat = 60 / take.interpretation.bpm.value
        let sixteenth = 60 / midi.quarterNotesPerMinute / 4
        let bar = Double(metre.stepsPerBar) * sixteenth
        func step(_ time: Double) -> Int { Int((time.truncatingRemainder(dividingBy: bar) / sixteenth).rounded()) }
        let melody = midi.track("melody")?.notes ?? []
        let off = melody.filter { note in
            let phase = (note.start / beat).truncatingRemainder(dividingBy: 1)
            return min(phase, 1 - phase) > 0.1
        }
        offBeat.append(melody.isEmpty ? 0 : Double(off.count) / Double(melody.count))
        if !melody.isEmpty && off.isEmpty { row.silentOffBeat += 1 }
        let same = zip(melody, melody.dropFirst()).filter { $0.pitch == $1.pitch }.count
        repeats.append(melody.count > 1 ? Double(same) / Double(melody.count - 1) : 0)
        entries.append(melody.first?.start ?? take.audio.duration)
        drums.append(Set((midi.track("drums")?.notes ?? []).map { [$0.pitch, step($0.start)] }))
        bass.append(Set((midi.track("bass")?.notes ?? []).map { step($0.start) }))
        comp.append(Set((midi.track("harmony")?.notes ?? []).map { step($0.start) }))

        let measuredTempo = TempoEstimator.estimate(take.audio)
        let asked = take.interpretation.bpm.value
        let ratio = [0.5, 1, 2, 2.0 / 3, 1.5].map { abs(measuredTempo * $0 - asked) / asked }.min() ?? 1
        row.tempoError = max(row.tempoError, ratio)
        row.loudnessError = max(row.loudnessError, abs(take.loudness.integrated + 14))
        row.lengthError = max(row.lengthError, abs(take.audio.duration - take.request.duration))
        let sum = Mastering.sum(take.stems.map(\.audio))
        row.stemSumError = max(row.stemSumError, zip(sum.samples, take.audio.samples).reduce(0) { max($0, Double(abs($1.0 - $1.1))) })
    }
    row.offBeat = mean(offBeat)
    row.repeats = mean(repeats)
    row.entry = median(entries)
    for i in takes.indices { for j in takes.indices where j > i {
        if drums[i] == drums[j] { row.sameDrums += 1 }
        if bass[i] == bass[j] { row.sameBass += 1 }
        if comp[i] == comp[j] { row.sameComp += 1 }
    } }
    let audio = takes.map(\.take.audio)
    row.stereo = mean(audio.map(stereoCorrelation))
    let shares = audio.map(bandShares)
    row.sub = mean(shares.map(\.sub))
    row.air = mean(shares.map(\.air))
    row.drumsRMS = mean(takes.map { rms($0.take.stems.first { $0.name == "drums" }?.audio.samples ?? []) })
    let envelopes = audio.map(onsetEnvelope)
    var within: [Double] = []
    for i in envelopes.indices { for j in envelopes.indices where j > i { within.append(correlation(envelopes[i], envelopes[j])) } }
    row.envelopeCorrelation = mean(within)
    return row
}

// MARK: Audio measures

/// Pearson correlation of the left and right channels.
private func stereoCorrelation(_ audio: AudioBuffer) -> Double {
    var left = 0.0, right = 0.0, product = 0.0
    for frame in 0..<audio.frameCount {
        let l = Double(audio.samples[2 * frame]), r = Double(audio.samples[2 * frame + 1])
        left += l * l; right += r * r; product += l * r
    }
    return left > 0 && right > 0 ? product / (left * right).squareRoot() : 1
}

/// A second-order Butterworth section (the audio EQ cookbook's low- and high-pass).
private struct Biquad {
    var b0, b1, b2, a1, a2: Double
    var x1 = 0.0, x2 = 0.0, y1 = 0.0, y2 = 0.0
    init(lowPass: Bool, cutoff: Double, sampleRate: Double) {
        let w = 2 * Double.pi * cutoff / sampleRate, alpha = sin(w) / (2 * 0.7071), c = cos(w)
        let a0 = 1 + alpha
        if lowPass { b0 = (1 - c) / 2 / a0; b1 = (1 - c) / a0 } else { b0 = (1 + c) / 2 / a0; b1 = -(1 + c) / a0 }
        b2 = b0; a1 = -2 * c / a0; a2 = (1 - alpha) / a0
    }
    mutating func run(_ x: Double) -> Double {
        let y = b0 * x + b1 * x1 + b2 * x2 - a1 * y1 - a2 * y2
        x2 = x1; x1 = x; y2 = y1; y1 = y
        return y
    }
}

/// The share of the mono mix's energy below 60 Hz and above 8 kHz (fourth-order filters).
private func bandShares(_ audio: AudioBuffer) -> (sub: Double, air: Double) {
    let rate = Double(audio.sampleRate)
    var low = [Biquad(lowPass: true, cutoff: 60, sampleRate: rate), Biquad(lowPass: true, cutoff: 60, sampleRate: rate)]
    var high = [Biquad(lowPass: false, cutoff: 8000, sampleRate: rate), Biquad(lowPass: false, cutoff: 8000, sampleRate: rate)]
    var total = 0.0, sub = 0.0, air = 0.0
    for frame in 0..<audio.frameCount {
        let mono = Double(audio.samples[2 * frame] + audio.samples[2 * frame + 1]) / 2
        let l = low[1].run(low[0].run(mono)), h = high[1].run(high[0].run(mono))
        total += mono * mono; sub += l * l; air += h * h
    }
    return total > 0 ? (sub / total, air / total) : (0, 0)
}

/// The rise in log energy every 10 ms: where notes and hits start.
private func onsetEnvelope(_ audio: AudioBuffer) -> [Float] {
    let hop = audio.sampleRate / 100
    var previous: Float = -100
    return stride(from: 0, to: audio.frameCount - hop, by: hop).map { start in
        var energy: Float = 1e-10
        for index in (start * 2)..<((start + hop) * 2) { energy += audio.samples[index] * audio.samples[index] }
        let level = 10 * log10(energy)
        defer { previous = level }
        return max(0, level - previous)
    }
}

private func correlation(_ a: [Float], _ b: [Float]) -> Double {
    let count = min(a.count, b.count)
    guard count > 1 else { return 0 }
    let ma = a.prefix(count).reduce(0.0) { $0 + Double($1) } / Double(count)
    let mb = b.prefix(count).reduce(0.0) { $0 + Double($1) } / Double(count)
    var ab = 0.0, aa = 0.0, bb = 0.0
    for index in 0..<count {
        let x = Double(a[index]) - ma, y = Double(b[index]) - mb
        ab += x * y; aa += x * x; bb += y * y
    }
    return aa > 0 && bb > 0 ? ab / (aa * bb).squareRoot() : 0
}

private func rms(_ samples: [Float]) -> Double {
    samples.isEmpty ? 0 : (samples.reduce(0.0) { $0 + Double($1 * $1) } / Double(samples.count)).squareRoot()
}

private func mean(_ values: [Double]) -> Double { values.isEmpty ? 0 : values.reduce(0, +) / Double(values.count) }

private func median(_ values: [Double]) -> Double {
    let sorted = values.sorted()
    return sorted.isEmpty ? 0 : sorted[sorted.count / 2]
}

private func padded(_ text: String, _ width: Int) -> String {
    text.count >= width ? String(text.prefix(width)) : text + String(repeating: " ", count: width - text.count)
}
