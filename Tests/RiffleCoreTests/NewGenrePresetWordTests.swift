import Foundation
import RiffleCore
import Testing

/// The genres added with reggaeton, disco, funk, synthwave, bossa-nova, salsa, cumbia, afrobeat,
/// dubstep, trance, soul and punk presets, read from the words people use for them.
@Suite("Genre words of the newer presets")
struct NewGenrePresetWordTests {
    @Test("each new genre is reached by its name and its common spellings", arguments: [
        ("reggaeton with dembow drums", "reggaeton"), ("dembow", "reggaeton"), ("disco strings", "disco"),
        ("funk with slap bass", "funk"), ("80s synthwave", "synthwave"), ("outrun", "synthwave"), ("retrowave", "synthwave"),
        ("bossa nova guitar", "bossa-nova"), ("bossa", "bossa-nova"), ("salsa", "salsa"), ("cumbia", "cumbia"),
        ("afrobeats", "afrobeat"), ("afro", "afrobeat"), ("dubstep wobble", "dubstep"), ("uplifting trance", "trance"),
        ("motown soul", "soul"), ("neo soul keys", "rnb"), ("pop punk", "punk"), ("punk rock", "punk"),
    ])
    func genres(prompt: String, genre: String) {
        #expect(reading(prompt).genre == .init(genre, from: .prompt))
    }

    @Test("genre and style words together: 80s synthwave is synthwave with an 80s mix")
    func genreAndStyle() {
        let result = reading("80s synthwave with gated reverb")
        #expect(result.genre.value == "synthwave")
        #expect(result.styles == ["80s", "gated reverb"])
        #expect(result.sound.gatedReverb)
    }

    @Test("a half-time dubstep take and a one-drop reggaeton keep their own genre")
    func feelsKeepTheGenre() {
        #expect(reading("half-time dubstep").genre.value == "dubstep")
        #expect(reading("half-time dubstep").arrangement.feels == ["half-time"])
        #expect(reading("disco, four on the floor").arrangement.feels == ["four-on-the-floor"])
    }
}
