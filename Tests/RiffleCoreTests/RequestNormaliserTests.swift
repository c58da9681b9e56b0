import RiffleCore
import Testing

/// The one rule every front end's requests go through: what the studio, the command line and the
/// server store for the same prompt and options.
struct RequestNormaliserTests {
    let normaliser: RequestNormaliser

    init() throws {
        normaliser = RequestNormaliser(catalog: PresetCatalog(directories: [try #require(PresetCatalog.builtInDirectory(environment: [:]))]))
    }

    @Test("unset guidance becomes the preset's of the genre named, else of the genre the prompt reads as, else the default")
    func guidance() throws {
        let catalog = normaliser.catalog
        let ambient = try #require(catalog.preset(named: "ambient")?.guidanceScale)
        let house = try #require(catalog.preset(named: "house")?.guidanceScale)
        #expect(ambient != house, "the test needs two presets with different guidance")
        #expect(try normaliser.normalise(GenerationRequest(prompt: "ambient drone")).guidanceScale == ambient)
        #expect(try normaliser.normalise(GenerationRequest(prompt: "ambient drone", genre: "house")).guidanceScale == house)
        #expect(try normaliser.normalise(GenerationRequest(prompt: "ambient drone", guidanceScale: 7)).guidanceScale == 7,
                "a guidance asked for is kept")
        let fallback = try #require(catalog.preset(named: "modern-pop")?.guidanceScale)
        #expect(try normaliser.normalise(GenerationRequest(prompt: "something")).guidanceScale == fallback)
    }

    @Test("the genre is checked and stored under its preset's name; the prompt loses surrounding white space")
    func genreAndPrompt() throws {
        let normal = try normaliser.normalise(GenerationRequest(prompt: "  rolling bassline \n", genre: "DnB"))
        #expect(normal.prompt == "rolling bassline")
        #expect(normal.genre == normaliser.catalog.preset(named: "dnb")?.name)
        #expect(throws: RequestValidationError.self) { try normaliser.normalise(GenerationRequest(prompt: "x", genre: "polka-step")) }
    }

    @Test("every problem is reported, and the seed is left as given")
    func problemsAndSeed() throws {
        do {
            _ = try normaliser.normalise(GenerationRequest(prompt: " ", duration: 2, genre: "nope"))
            Issue.record("a blank prompt, a 2 s duration and an unknown genre were accepted")
        } catch {
            #expect(Set(error.issues.map(\.field)) == ["prompt", "duration", "genre"])
        }
        #expect(try normaliser.normalise(GenerationRequest(prompt: "x")).seed == nil)
        #expect(try normaliser.normalise(GenerationRequest(prompt: "x", seed: 42)).seed == 42)
    }

    @Test("normalising twice changes nothing: a stored request is already normal")
    func idempotent() throws {
        let once = try normaliser.normalise(GenerationRequest(prompt: " lo-fi beats, 80 bpm ", genre: "lofi", seed: 1))
        #expect(try normaliser.normalise(once) == once)
        #expect(once.canonicalJSON == (try normaliser.normalise(once)).canonicalJSON)
    }
}
