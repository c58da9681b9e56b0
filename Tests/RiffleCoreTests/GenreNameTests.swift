import RiffleCore
import Testing

@Suite("Genre names given outright")
struct GenreNameTests {
    @Test("a genre given outright must be a name: punctuation around it is a mistake, not a preset")
    func genreNames() {
        #expect(testGenres.resolveName("Jazz!") == nil)
        #expect(testGenres.resolveName("house.") == nil)
        #expect(testGenres.resolveName("Deep-House") == "house")
        #expect(testGenres.resolveName("R&B") == "rnb")
        #expect(testGenres.resolveName("D&B") == "drum-and-bass")
        let request = GenerationRequest(prompt: "x", genre: "House!")
        #expect(request.validationIssues(knownGenres: testGenres).map(\.field) == ["genre"])
    }
}
