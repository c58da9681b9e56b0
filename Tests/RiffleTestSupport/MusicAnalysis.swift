import Foundation

/// What a listener would measure in a take's notes: its key from their pitch classes, independently
/// of how Riffle composes. (Tempo from the audio: `RiffleAudio.TempoEstimator`.)
public enum MusicAnalysis {
    /// The major or minor key whose Krumhansl-Kessler profile correlates best with the notes'
    /// pitch classes, weighted by duration: (tonic pitch class, is minor).
    public static func key(of notes: [(pitch: Int, length: Double)]) -> (tonic: Int, minor: Bool) {
        let major: [Double] = [6.35, 2.23, 3.48, 2.33, 4.38, 4.09, 2.52, 5.19, 2.39, 3.66, 2.29, 2.88]
        let minor: [Double] = [6.33, 2.68, 3.52, 5.38, 2.60, 3.53, 2.54, 4.75, 3.98, 2.69, 3.34, 3.17]
        var histogram = [Double](repeating: 0, count: 12)
        for note in notes { histogram[((note.pitch % 12) + 12) % 12] += note.length }
        func pearson(_ a: [Double], _ b: [Double]) -> Double {
            let meanA = a.reduce(0, +) / 12, meanB = b.reduce(0, +) / 12
            var numerator = 0.0, varianceA = 0.0, varianceB = 0.0
            for index in 0..<12 {
                numerator += (a[index] - meanA) * (b[index] - meanB)
                varianceA += (a[index] - meanA) * (a[index] - meanA)
                varianceB += (b[index] - meanB) * (b[index] - meanB)
            }
            return numerator / max(1e-12, (varianceA * varianceB).squareRoot())
        }
        var best = (tonic: 0, minor: false, score: -Double.infinity)
        for tonic in 0..<12 {
            for (profile, isMinor) in [(major, false), (minor, true)] {
                let rotated = (0..<12).map { profile[((($0 - tonic) % 12) + 12) % 12] }
                let score = pearson(histogram, rotated)
                if score > best.score { best = (tonic, isMinor, score) }
            }
        }
        return (best.tonic, best.minor)
    }
}
