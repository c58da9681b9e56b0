import Foundation
import RiffleCore
import Testing

/// The fields that have problems when `change` is applied to an otherwise valid request.
private func problemFields(_ change: (inout GenerationRequest) -> Void, genres: GenreNames? = testGenres) -> [String] {
    var request = GenerationRequest(prompt: "warm lo-fi beat with rhodes")
    change(&request)
    return request.validationIssues(knownGenres: genres).map(\.field)
}

let testGenres = GenreNames([("house", ["deep house"]), ("drum-and-bass", ["dnb", "d&b"]), ("rnb", ["r&b"]), ("lo-fi", [])])

@Suite("Request validation: every rule at and just past its bounds")
struct RequestValidationTests {
    @Test("the defaults are valid and match the common APIs")
    func defaults() {
        let request = GenerationRequest(prompt: "x")
        #expect(request.validationIssues(knownGenres: testGenres).isEmpty)
        #expect(request.duration == 30)
        #expect(request.numVariations == 4)
        #expect(request.temperature == 1.0)
        // Unset guidance is the genre preset's: RequestNormaliser fills it in.
        #expect(request.guidanceScale == nil)
        #expect(request.sampleRate == 44100)
        #expect(request.format == .flac)
        #expect(request.seed == nil)
    }

    @Test("prompt: required, not blank, at most 2000 characters")
    func prompt() {
        #expect(problemFields { $0.prompt = "" } == ["prompt"])
        #expect(problemFields { $0.prompt = "  \n\t " } == ["prompt"])
        #expect(problemFields { $0.prompt = "a" }.isEmpty)
        #expect(problemFields { $0.prompt = String(repeating: "é", count: 2000) }.isEmpty, "2000 characters, not bytes")
        #expect(problemFields { $0.prompt = String(repeating: "a", count: 2001) } == ["prompt"])
    }

    @Test("duration: 5 to 300 seconds", arguments: [(5.0, true), (4.99, false), (300, true), (300.01, false), (.nan, false), (.infinity, false)])
    func duration(value: Double, valid: Bool) {
        #expect(problemFields { $0.duration = value }.isEmpty == valid)
    }

    @Test("tempo: 30 to 300 BPM or absent", arguments: [(30.0, true), (29.9, false), (300, true), (300.5, false), (126.5, true)])
    func tempo(value: Double, valid: Bool) {
        #expect(problemFields { $0.tempo = value }.isEmpty == valid)
        #expect(problemFields { $0.tempo = nil }.isEmpty)
    }

    @Test("num_variations: 1 to 8", arguments: [(1, true), (0, false), (8, true), (9, false), (-3, false)])
    func variations(value: Int, valid: Bool) {
        #expect(problemFields { $0.numVariations = value }.isEmpty == valid)
    }

    @Test("seed: 0 to 2^63-1, or absent for random", arguments: [(Int64(0), true), (Int64.max, true), (-2, false), (Int64.min, false), (42, true)])
    func seed(value: Int64, valid: Bool) {
        #expect(problemFields { $0.seed = value }.isEmpty == valid)
    }

    @Test("temperature: 0.05 to 2.0", arguments: [(0.05, true), (0.049, false), (2.0, true), (2.001, false)])
    func temperature(value: Double, valid: Bool) {
        #expect(problemFields { $0.temperature = value }.isEmpty == valid)
    }

    @Test("top_k: 0 (off) to 250", arguments: [(0, true), (-1, false), (250, true), (251, false)])
    func topK(value: Int, valid: Bool) {
        #expect(problemFields { $0.topK = value }.isEmpty == valid)
    }

    @Test("top_p: 0 (off) to 1", arguments: [(0.0, true), (-0.01, false), (1.0, true), (1.01, false)])
    func topP(value: Double, valid: Bool) {
        #expect(problemFields { $0.topP = value }.isEmpty == valid)
    }

    @Test("guidance_scale: 1 to 15", arguments: [(1.0, true), (0.99, false), (15, true), (15.01, false)])
    func guidance(value: Double, valid: Bool) {
        #expect(problemFields { $0.guidanceScale = value }.isEmpty == valid)
    }

    @Test("sample_rate: 22050, 32000, 44100 or 48000", arguments: [(22050, true), (32000, true), (44100, true), (48000, true), (44000, false), (96000, false), (0, false)])
    func sampleRate(value: Int, valid: Bool) {
        #expect(problemFields { $0.sampleRate = value }.isEmpty == valid)
    }

    @Test("genre: a known preset under any spelling or alias", arguments: [
        ("house", true), ("House", true), ("Deep House", true), ("DnB", true), ("drum and bass", true),
        ("Drum & Bass", true), ("R&B", true), ("lofi", true), ("polka", false),
    ])
    func genre(value: String, valid: Bool) {
        #expect(problemFields { $0.genre = value }.isEmpty == valid)
    }

    @Test("an unknown genre lists the known ones")
    func unknownGenreListsKnown() throws {
        var request = GenerationRequest(prompt: "x")
        request.genre = "polka"
        let issue = try #require(request.validationIssues(knownGenres: testGenres).first)
        #expect(issue.description == "genre: \"polka\" is not a known preset (allowed: one of: drum-and-bass, house, lo-fi, rnb)")
    }

    @Test("every problem is reported at once, each naming field, value and what is allowed")
    func everyProblemAtOnce() {
        var request = GenerationRequest(prompt: " ")
        request.duration = 400
        request.tempo = 10
        request.numVariations = 12
        request.temperature = 3
        request.topK = 500
        request.topP = 2
        request.guidanceScale = 0
        request.sampleRate = 8000
        request.genre = "polka"
        request.seed = -7
        do {
            try request.validate(knownGenres: testGenres)
            Issue.record("an invalid request passed validation")
        } catch {
            #expect(error.fields == ["prompt", "duration", "genre", "tempo", "num_variations", "seed", "temperature",
                                     "top_k", "top_p", "guidance_scale", "sample_rate"])
            let text = error.description
            #expect(text.contains("duration: 400 is out of range (allowed: 5 to 300 seconds)"))
            #expect(text.contains("tempo: 10 is out of range (allowed: 30 to 300 BPM)"))
            #expect(text.contains("sample_rate: 8000 is not supported (allowed: one of: 22050, 32000, 44100, 48000 Hz)"))
            #expect(text.contains("seed: -7 is out of range (allowed: 0 to 9223372036854775807, or -1 for a random seed)"))
            #expect(text.hasPrefix("invalid request, 11 problems:"))
        }
    }

    @Test("without a preset list, any genre passes (checked later, when presets load)")
    func genreUncheckedWithoutPresets() {
        #expect(problemFields({ $0.genre = "polka" }, genres: nil).isEmpty)
    }
}

@Suite("Seeds: always recorded, one per variation")
struct SeedTests {
    @Test("a request without a seed gets a random one, and keeps a given one")
    func resolving() {
        var generator = SeededGenerator(seed: 7)
        let random = GenerationRequest(prompt: "x").resolvingSeed(using: &generator)
        let fixed = GenerationRequest(prompt: "x", seed: 1234).resolvingSeed(using: &generator)
        #expect(random.seed != nil)
        #expect(GenerationRequest.Limits.seed.contains(random.seed!))
        #expect(fixed.seed == 1234)
        #expect(GenerationRequest(prompt: "x").resolvingSeed().seed != GenerationRequest(prompt: "x").resolvingSeed().seed)
    }

    @Test("variation i uses seed + i, wrapping within the valid range")
    func variationSeeds() {
        #expect((0..<4).map { GenerationRequest.seed(100, variation: $0) } == [100, 101, 102, 103])
        #expect(GenerationRequest.seed(Int64.max, variation: 1) == 0)
        #expect(GenerationRequest.seed(Int64.max - 1, variation: 3) == 1)
    }
}
