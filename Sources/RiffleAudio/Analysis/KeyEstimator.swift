import Foundation
import RiffleCore

/// The key a piece of audio sounds in, from its pitch-class profile.
///
/// Krumhansl and Kessler's probe-tone profiles (1982: how well each pitch class fits a major or a
/// minor key, as listeners rated it), correlated with the take's chroma profile at each of the
/// twelve tonics; the best of the 24 is the key heard.
enum KeyEstimator {
    static let major: [Double] = [6.35, 2.23, 3.48, 2.33, 4.38, 4.09, 2.52, 5.19, 2.39, 3.66, 2.29, 2.88]
    static let minor: [Double] = [6.33, 2.68, 3.52, 5.38, 2.60, 3.53, 2.54, 4.75, 3.98, 2.69, 3.34, 3.17]

    /// A key as the profiles know it: a tonic and major or minor.
    struct Candidate: Hashable {
        var tonic: Int
        var minor: Bool

        var name: String {
            let names = ["C", "C#", "D", "Eb", "E", "F", "F#", "G", "Ab", "A", "Bb", "B"]
            return "\(names[tonic]) \(minor ? "minor" : "major")"
        }

        /// The relative key: the same notes, the other mode (A minor for C major).
        var relative: Candidate { Candidate(tonic: (tonic + (minor ? 3 : 9)) % 12, minor: !minor) }

        /// The major key with the notes of `key`'s mode (G major for A dorian); `nil` for major and minor.
        static func parent(of key: MusicalKey) -> Candidate? {
            let offsets: [MusicalKey.Mode: Int] = [.dorian: 2, .phrygian: 4, .lydian: 5, .mixolydian: 7, .locrian: 11]
            return offsets[key.mode].map { Candidate(tonic: (key.tonicPitchClass - $0 + 12) % 12, minor: false) }
        }

        /// The profile nearest a key in any mode: the modes with a minor third (dorian, phrygian,
        /// locrian) read as minor, the others as major.
        init(_ key: MusicalKey) {
            tonic = key.tonicPitchClass
            minor = [.minor, .dorian, .phrygian, .locrian].contains(key.mode)
        }

        init(tonic: Int, minor: Bool) {
            self.tonic = tonic
            self.minor = minor
        }
    }

    /// How well `profile` fits `key`: the Pearson correlation with the key's rotated profile, -1 to 1.
    static func fit(_ profile: [Double], _ key: Candidate) -> Double {
        let template = key.minor ? minor : major
        return correlation(profile, (0..<12).map { template[($0 - key.tonic + 12) % 12] })
    }

    /// The best-fitting key of the 24 and its correlation.
    static func best(_ profile: [Double]) -> (key: Candidate, fit: Double) {
        var best = (key: Candidate(tonic: 0, minor: false), fit: -Double.infinity)
        for tonic in 0..<12 {
            for minor in [false, true] {
                let key = Candidate(tonic: tonic, minor: minor)
                let value = fit(profile, key)
                if value > best.fit { best = (key, value) }
            }
        }
        return best
    }
}
