import Foundation
import RiffleCore
import Testing

private func decode(_ json: String, genres: GenreNames? = testGenres) throws -> GenerationRequest {
    let decoder = JSONDecoder()
    if let genres { decoder.userInfo[.riffleKnownGenres] = genres }
    return try decoder.decode(GenerationRequest.self, from: Data(json.utf8))
}

private func decodingIssues(_ json: String) -> [ValidationIssue] {
    do {
        _ = try decode(json)
        return []
    } catch let error as RequestValidationError {
        return error.issues
    } catch {
        Issue.record("expected a validation error, got \(error)")
        return []
    }
}

@Suite("Requests in JSON, with the common APIs' snake_case names")
struct RequestCodingTests {
    @Test("a full request decodes into typed values")
    func fullRequest() throws {
        let request = try decode("""
        {"prompt": "melodic techno", "duration": 45, "genre": "Deep House", "tempo": 126, "key": "F# minor",
         "time_signature": "4/4", "num_variations": 2, "seed": 99, "temperature": 0.8, "top_k": 50,
         "top_p": 0.9, "guidance_scale": 4.5, "sample_rate": 48000, "format": "wav"}
        """)
        #expect(request == GenerationRequest(
            prompt: "melodic techno", duration: 45, genre: "Deep House", tempo: 126, key: MusicalKey("F# minor"),
            timeSignature: TimeSignature("4/4"), numVariations: 2, seed: 99, temperature: 0.8, topK: 50, topP: 0.9,
            guidanceScale: 4.5, sampleRate: 48000, format: .wav))
    }

    @Test("a prompt alone gets every default; seed -1 means random")
    func defaults() throws {
        #expect(try decode(#"{"prompt": "ambient pads"}"#) == GenerationRequest(prompt: "ambient pads"))
        #expect(try decode(#"{"prompt": "ambient pads", "seed": -1}"#).seed == nil)
        #expect(try decode(#"{"prompt": "ambient pads", "key": null}"#).key == nil)
    }

    @Test("encoding and decoding give back the same request")
    func roundTrip() throws {
        let original = GenerationRequest(prompt: "jazz trio, brushes", duration: 12.5, genre: "jazz", tempo: 132,
                                          key: MusicalKey("Bb"), timeSignature: TimeSignature("3/4"), numVariations: 8,
                                          seed: Int64.max, temperature: 0.05, topK: 0, topP: 1, guidanceScale: 15,
                                          sampleRate: 22050, format: .mp3)
        let data = try JSONEncoder().encode(original)
        let text = String(decoding: data, as: UTF8.self)
        #expect(text.contains("\"time_signature\":\"3\\/4\"") || text.contains("\"time_signature\":\"3/4\""))
        #expect(text.contains("\"num_variations\":8"))
        #expect(text.contains("\"guidance_scale\":15"))
        #expect(try JSONDecoder().decode(GenerationRequest.self, from: data) == original)
    }

    @Test("wrong types, unparseable values, unknown fields and ranges are all reported together")
    func everythingAtOnce() {
        let issues = decodingIssues("""
        {"duration": "long", "key": "H major", "time_signature": "9/8", "format": "aiff", "top_k": 2.5,
         "temperature": 9, "genre": "polka", "durations": 30, "seed": "lucky"}
        """)
        #expect(Set(issues.map(\.field)) == ["prompt", "duration", "key", "time_signature", "format", "top_k",
                                              "temperature", "genre", "durations", "seed"])
        let text = issues.map(\.description)
        #expect(text.contains("prompt: is required (allowed: text describing the music)"))
        #expect(text.contains("duration: \"long\" has the wrong type (allowed: a number of seconds)"))
        #expect(text.contains("key: \"H major\" is not recognised (allowed: a key, for example \"C major\", \"F# minor\", \"Bb\", \"Am\", \"C#m\", \"D dorian\")"))
        #expect(text.contains("time_signature: \"9/8\" is not recognised (allowed: one of: 2/4, 3/4, 4/4, 5/4, 6/8, 7/8, 12/8)"))
        #expect(text.contains("format: \"aiff\" is not recognised (allowed: one of: wav, flac, ogg, mp3)"))
        #expect(text.contains("top_k: 2.5 is not a whole number (allowed: a whole number, 0 to 250; 0 turns it off)"))
        #expect(text.contains("temperature: 9 is out of range (allowed: 0.05 to 2)"))
        #expect(text.contains { $0.hasPrefix("durations: is not a request field (allowed: prompt, duration,") })
    }

    @Test("a field that failed to decode is reported once, not again as out of range")
    func noDuplicateIssues() {
        let issues = decodingIssues(#"{"prompt": "", "duration": "x"}"#)
        #expect(issues.map(\.field) == ["duration", "prompt"])
    }
}
