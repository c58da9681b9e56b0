import Foundation
import RiffleAudio
import RiffleEngine

/// What the Composer keeps in a take's ``Take/engineState``: the score, and the master level, so
/// an edit can be composed and mastered to match.
struct ComposerState: Codable {
    static let currentVersion = 1

    var version = currentVersion
    var score: Score
    /// The level the mastering applied before limiting, in dB.
    var masterGain: Double

    func encoded() -> Data {
        // The state is a value we built: encoding it cannot fail.
        (try? JSONEncoder().encode(self)) ?? Data()
    }

    static func decode(_ data: Data?) throws(EngineError) -> ComposerState {
        guard let data, let state = try? JSONDecoder().decode(ComposerState.self, from: data), state.version == currentVersion else {
            throw .invalidEdit("this take has no Composer score to edit (made by another engine or version)")
        }
        return state
    }
}
