import Foundation
import RiffleEngine

/// A take's audio reduced for pitch analysis: mono, at about 11 kHz (every pitch a chord or a tune
/// uses lies below 4 kHz, where the chromagram stops).
struct PitchSignal {
    var samples: [Double]
    var sampleRate: Double

    /// Mono, and every `factor` samples averaged into one (a box filter is enough before
    /// decimating: what aliases is quiet and lands on bins the chromagram ignores or weighs little).
    init(_ audio: AudioBuffer) {
        let factor = max(1, audio.sampleRate / 11025)
        let channels = audio.channelCount
        let count = audio.frameCount / factor
        var samples = [Double](repeating: 0, count: count)
        audio.samples.withUnsafeBufferPointer { input in
            let scale = 1 / Double(factor * channels)
            for index in 0..<count {
                var sum: Float = 0
                let first = index * factor * channels
                for offset in 0..<(factor * channels) { sum += input[first + offset] }
                samples[index] = Double(sum) * scale
            }
        }
        self.samples = samples
        sampleRate = Double(audio.sampleRate) / Double(factor)
    }

    init(samples: [Double], sampleRate: Double) {
        self.samples = samples
        self.sampleRate = sampleRate
    }

    /// This signal less `other` (the mix less its drums stem: what has pitch).
    func subtracting(_ other: PitchSignal) -> PitchSignal {
        let count = min(samples.count, other.samples.count)
        return PitchSignal(samples: (0..<count).map { samples[$0] - other.samples[$0] }, sampleRate: sampleRate)
    }
}

/// The energy of each of the twelve pitch classes, frame by frame (C first).
///
/// 2048-sample Hann frames (0.19 s at 11 kHz) every 1024 samples; each FFT bin from 80 Hz to 4 kHz
/// adds its magnitude to the pitch class nearest its frequency, weighted down as it lies between
/// two semitones.
struct Chromagram {
    /// One 12-value vector a frame; zero for silence.
    var frames: [[Double]]
    /// Seconds between frames.
    var hop: Double
    /// Each frame's total weighted magnitude, for telling music from silence.
    var energy: [Double]
    /// The share of the signal's power that is noise above 2.5 kHz: each frame's power from 2.5 to
    /// 5 kHz times that band's spectral flatness (about 0.5 for noise, near 0 for a few partials),
    /// over all the power. Cymbals, hats and snares are such noise; pitched instruments are not.
    var noisyHighs: Double

    static let frameSize = 2048

    init(_ signal: PitchSignal) {
        let size = Self.frameSize, hopSize = size / 2
        hop = Double(hopSize) / signal.sampleRate
        let window = (0..<size).map { 0.5 - 0.5 * cos(2 * Double.pi * Double($0) / Double(size)) }
        // Each bin's pitch class and weight, once.
        var classes: [(bin: Int, pitchClass: Int, weight: Double)] = []
        for bin in 1...(size / 2) {
            let frequency = Double(bin) * signal.sampleRate / Double(size)
            guard frequency >= 80, frequency <= 4000 else { continue }
            let semitones = 12 * log2(frequency / 440) + 69
            let nearest = semitones.rounded()
            let weight = cos(Double.pi * (semitones - nearest) / 2)
            classes.append((bin, ((Int(nearest) % 12) + 12) % 12, weight * weight))
        }
        let highBins = Array(stride(from: Int((2500 * Double(size) / signal.sampleRate).rounded(.up)),
                                    through: min(size / 2, Int(5000 * Double(size) / signal.sampleRate)), by: 1))
        var noisy = 0.0, totalPower = 0.0
        let starts = signal.samples.count >= size ? Array(stride(from: 0, through: signal.samples.count - size, by: hopSize)) : []
        let fft = FFT(size: size)
        var frames = [[Double]](repeating: [Double](repeating: 0, count: 12), count: starts.count)
        var energy = [Double](repeating: 0, count: starts.count)
        func frame(_ index: Int) -> [Double] {
            guard index < starts.count else { return [Double](repeating: 0, count: size) }
            let start = starts[index]
            return (0..<size).map { signal.samples[start + $0] * window[$0] }
        }
        func chroma(_ power: [Double], into index: Int) {
            guard index < starts.count else { return }
            var vector = [Double](repeating: 0, count: 12)
            for entry in classes { vector[entry.pitchClass] += power[entry.bin].squareRoot() * entry.weight }
            frames[index] = vector
            energy[index] = vector.reduce(0, +)
            let total = power.reduce(0, +)
            guard total > 0, !highBins.isEmpty else { return }
            var band = 0.0, logs = 0.0
            for bin in highBins {
                band += power[bin]
                logs += log(power[bin] + 1e-20)
            }
            let mean = band / Double(highBins.count)
            let flatness = mean > 0 ? exp(logs / Double(highBins.count)) / mean : 0
            noisy += band * flatness
            totalPower += total
        }
        for pair in stride(from: 0, to: starts.count, by: 2) {
            let (first, second) = fft.powerSpectra(frame(pair), frame(pair + 1))
            chroma(first, into: pair)
            chroma(second, into: pair + 1)
        }
        self.frames = frames
        self.energy = energy
        noisyHighs = totalPower > 0 ? noisy / totalPower : 0
    }

    /// The frames that carry music: above 1/1000 of the loudest (about -60 dB).
    var soundingFrames: [Int] {
        let loudest = energy.max() ?? 0
        return energy.indices.filter { loudest > 0 && energy[$0] > loudest * 1e-3 }
    }

    /// The whole take's pitch-class profile, each frame weighted by its energy.
    var profile: [Double] {
        var sum = [Double](repeating: 0, count: 12)
        for index in soundingFrames { for pc in 0..<12 { sum[pc] += frames[index][pc] } }
        return sum
    }

    /// Frames averaged over spans of `seconds` (bars), each span's vector; spans with no sound left out.
    func blocks(of seconds: Double) -> [[Double]] {
        guard seconds > 0, !frames.isEmpty else { return [] }
        let perBlock = seconds / hop
        var blocks: [[Double]] = []
        var start = 0.0
        let loudest = energy.max() ?? 0
        while Int(start + perBlock) <= frames.count {
            var sum = [Double](repeating: 0, count: 12)
            var total = 0.0
            for index in Int(start.rounded())..<min(frames.count, Int((start + perBlock).rounded())) {
                for pc in 0..<12 { sum[pc] += frames[index][pc] }
                total += energy[index]
            }
            if total > loudest * 1e-3 * perBlock { blocks.append(sum) }
            start += perBlock
        }
        return blocks
    }
}

/// Pearson correlation of two equally long vectors; 0 when either is flat.
func correlation(_ a: [Double], _ b: [Double]) -> Double {
    let count = Double(min(a.count, b.count))
    guard count > 1 else { return 0 }
    let meanA = a.reduce(0, +) / count, meanB = b.reduce(0, +) / count
    var product = 0.0, varianceA = 0.0, varianceB = 0.0
    for index in 0..<Int(count) {
        product += (a[index] - meanA) * (b[index] - meanB)
        varianceA += (a[index] - meanA) * (a[index] - meanA)
        varianceB += (b[index] - meanB) * (b[index] - meanB)
    }
    guard varianceA > 0, varianceB > 0 else { return 0 }
    return product / (varianceA * varianceB).squareRoot()
}
