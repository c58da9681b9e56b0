import Foundation
import RiffleCore
import Testing

/// The issues `RequestJSON` reports for `bytes`, as their one-line descriptions.
private func problems(_ bytes: [UInt8]) -> [String] {
    do {
        _ = try RequestJSON.decode(Data(bytes), knownGenres: testGenres)
        Issue.record("expected a validation error")
        return []
    } catch let error as RequestValidationError {
        return error.issues.map(\.description)
    } catch {
        Issue.record("expected a validation error, got \(error)")
        return []
    }
}

private func problems(_ json: String) -> [String] { problems(utf8(json)) }

private func utf8(_ text: String) -> [UInt8] { Array(text.utf8) }

private func malformed(_ bytes: [UInt8]) -> MalformedJSON? {
    do {
        _ = try RequestJSON.decode(Data(bytes), knownGenres: testGenres)
    } catch let error as MalformedJSON {
        return error
    } catch {
        Issue.record("expected MalformedJSON, got \(error)")
    }
    return nil
}

private func malformed(_ json: String) -> MalformedJSON? { malformed(Array(json.utf8)) }

@Suite("Requests read strictly from JSON: every problem named by its field, never a crash")
struct RequestJSONTests {
    @Test("a valid request reads as Foundation's decoder reads it")
    func agreesOnValidRequests() throws {
        let json = """
        {"prompt": "melodic techno \\u00e9 \\ud83c\\udfb9", "duration": 45.5, "genre": "Deep House", "tempo": 126,
         "key": "F# minor", "time_signature": "4/4", "num_variations": 2, "seed": 9223372036854775807,
         "temperature": 8e-1, "top_k": 50, "top_p": 0.9, "guidance_scale": 4.5, "sample_rate": 48000, "format": "wav"}
        """
        let strict = try RequestJSON.decode(Data(json.utf8), knownGenres: testGenres)
        let decoder = JSONDecoder()
        decoder.userInfo[.riffleKnownGenres] = testGenres
        #expect(strict == (try decoder.decode(GenerationRequest.self, from: Data(json.utf8))))
        #expect(strict.prompt == "melodic techno é 🎹")
        #expect(strict.seed == Int64.max)
    }

    @Test("nesting is bounded and reported with its place; 513 levels do not crash", arguments: [
        (String(repeating: "[", count: 513), 1, 65),
        // The object is the first level, so the 64th bracket inside it is one too many.
        (#"{"prompt": "x", "tempo": "# + String(repeating: "[", count: 80) + String(repeating: "]", count: 80) + "}", 1, 26 + 63),
        ("{\n\"genre\":\n" + String(repeating: "{\"a\":", count: 70) + "1" + String(repeating: "}", count: 70) + "}", 3, 63 * 5 + 1),
    ])
    func nesting(json: String, line: Int, column: Int) throws {
        let error = try #require(malformed(json))
        #expect(error.problem == "lists and objects nest deeper than 64 levels")
        #expect(error.line == line && error.column == column, "\(error)")
    }

    @Test("nesting up to the bound is read, and reported as the wrong type for the field")
    func nestingWithinBound() {
        let json = #"{"prompt": "x", "tempo": "# + String(repeating: "[", count: 63) + String(repeating: "]", count: 63) + "}"
        let found = problems(json)
        #expect(found.count == 1)
        #expect(found.first?.hasPrefix("tempo: ") == true)
        #expect(found.first?.hasSuffix("has the wrong type (allowed: a number of BPM)") == true, "\(found)")
    }

    @Test("numbers out of range or in no JSON form are named with their field and what is wrong", arguments: [
        (#"{"prompt": "x", "duration": 1e999}"#, "duration: 1e999 is out of range: it is too large for any number (allowed: a number of seconds, 5 to 300)"),
        (#"{"prompt": "x", "seed": 9223372036854775808}"#,
         "seed: 9223372036854775808 is out of range (allowed: a whole number, 0 to 9223372036854775807, or -1 for a random seed)"),
        (#"{"prompt": "x", "num_variations": 1e30}"#, "num_variations: 1e30 is out of range (allowed: a whole number, 1 to 8)"),
        (#"{"prompt": "x", "top_k": 2.5}"#, "top_k: 2.5 is not a whole number (allowed: a whole number, 0 to 250; 0 turns it off)"),
        (#"{"prompt": "x", "duration": 010}"#, "duration: 010 is not a JSON number: it has a leading zero (allowed: a number of seconds, 5 to 300)"),
        (#"{"prompt": "x", "duration": 10.}"#,
         "duration: 10. is not a JSON number: a digit must follow the decimal point (allowed: a number of seconds, 5 to 300)"),
        (#"{"prompt": "x", "tempo": .5}"#, "tempo: .5 is not a JSON number: a digit must come before the decimal point (allowed: a number of BPM, 30 to 300)"),
        (#"{"prompt": "x", "tempo": +120}"#, "tempo: +120 is not a JSON number: JSON numbers take no + sign (allowed: a number of BPM, 30 to 300)"),
        (#"{"prompt": "x", "tempo": 1e}"#, "tempo: 1e is not a JSON number: a digit must follow the exponent (allowed: a number of BPM, 30 to 300)"),
        (#"{"prompt": "x", "tempo": 0x10}"#, "tempo: 0x10 is not a JSON number: it is not in JSON's number form (allowed: a number of BPM, 30 to 300)"),
        (#"{"prompt": "x", "temperature": NaN}"#,
         "temperature: NaN is not a JSON value: JSON has numbers, \"text\", true, false and null (allowed: a number, 0.05 to 2)"),
        (#"{"prompt": "x", "temperature": -Infinity}"#,
         "temperature: -Infinity is not a JSON value: JSON has numbers, \"text\", true, false and null (allowed: a number, 0.05 to 2)"),
    ])
    func numbers(json: String, expected: String) {
        #expect(problems(json) == [expected])
    }

    static let badText: [([UInt8], String)] = [
        (utf8(#"{"prompt": "a"#) + [0xFF, 0x62] + utf8(#""}"#),
         "prompt: \"a\u{FFFD}b\" has bytes that are not UTF-8 (0xFF) (allowed: text describing the music, 1 to 2000 characters)"),
        (utf8(#"{"prompt": "a"#) + [0xC0, 0xAF] + utf8(#""}"#),
         "prompt: \"a\u{FFFD}\u{FFFD}\" has bytes that are not UTF-8 (0xC0) (allowed: text describing the music, 1 to 2000 characters)"),
        (utf8(#"{"prompt": "a\ud800"}"#),
         #"prompt: "a\ud800" has a lone surrogate (\uD800), which is not a character (allowed: text describing the music, 1 to 2000 characters)"#),
        (utf8(#"{"prompt": "\udc00b"}"#),
         #"prompt: "\udc00b" has a lone surrogate (\uDC00), which is not a character (allowed: text describing the music, 1 to 2000 characters)"#),
        (utf8("{\"prompt\": \"a\nb\"}"),
         #"prompt: "a\nb" has a raw line break (U+000A); JSON writes it as \n (allowed: text describing the music, 1 to 2000 characters)"#),
        (utf8("{\"genre\": \"\u{1B}]0;pwned\u{7}\", \"prompt\": \"x\"}"),
         #"genre: "\u{1B}]0;pwned\u{7}" has a raw control character (U+001B); JSON writes it as \u001B (allowed: a preset name)"#),
        (utf8(#"{"prompt": "a\qb"}"#),
         #"prompt: "a\qb" has an unknown escape (\q) (allowed: text describing the music, 1 to 2000 characters)"#),
    ]

    @Test("text that is not UTF-8, lone surrogates, raw control characters and unknown escapes are named", arguments: badText)
    func text(bytes: [UInt8], expected: String) {
        #expect(problems(bytes) == [expected])
    }

    @Test("a field given twice is reported with both values, not resolved to the first")
    func duplicateKeys() {
        #expect(problems(#"{"prompt": "x", "duration": 7, "duration": 1000}"#)
                == ["duration: is given 2 times (7, then 1000) (allowed: each field once)"])
        #expect(problems(#"{"prompt": "x", "genre": {"a": 1, "a": 2}}"#)
                == [#"genre: {"a": 1, "a": 2} contains "a", which appears more than once in one object (allowed: a preset name)"#])
        // An unknown field given twice is one unknown field.
        let unknown = problems(#"{"prompt": "x", "mood": 1, "mood": 2}"#)
        #expect(unknown.count == 1 && unknown[0].hasPrefix("mood: is not a request field"))
    }

    @Test("every problem comes back at once, each field once, with the range checks of the clean fields")
    func everythingAtOnce() {
        let found = problems(#"{"prompt": "a\ud800", "duration": 1e999, "tempo": 900, "tempo": 100, "top_p": 3, "num_variations": 2.5, "bpm": 1}"#)
        #expect(found.map { String($0.prefix { $0 != ":" }) }.sorted() == ["bpm", "duration", "num_variations", "prompt", "tempo", "top_p"])
        #expect(found.contains("top_p: 3 is out of range (allowed: 0 to 1 (0 turns it off))"))
        #expect(!found.contains { $0.contains("is required") }, "a prompt with bad text is not also missing")
    }

    @Test("what is not a JSON object says where and what", arguments: [
        ("", 1, 1, "the input is empty; a request is a JSON object such as {\"prompt\": \"...\"}"),
        ("[1, 2]", 1, 1, "the request is a list, not a JSON object such as {\"prompt\": \"...\"}"),
        ("\"prompt\"", 1, 1, "the request is text, not a JSON object such as {\"prompt\": \"...\"}"),
        ("{\"prompt\": \"x\"} x", 1, 17, "unexpected 'x' after the end of the JSON value"),
        ("{\"prompt\": \"x\",}", 1, 16, "expected a field name in double quotes, found '}'"),
        ("{\"prompt\": 'x'}", 1, 12, "expected a value, found '''"),
        ("{\n  \"prompt\": \"x\n", 2, 13, "the text starting here has no closing quote"),
        ("{\"prompt\" \"x\"}", 1, 11, "expected ':' after a field name, found '\"'"),
        ("prompt = techno", 1, 8, "unexpected '=' after the end of the JSON value"),
        ("true", 1, 1, "the request is true or false, not a JSON object such as {\"prompt\": \"...\"}"),
    ])
    func notAnObject(json: String, line: Int, column: Int, problem: String) throws {
        let error = try #require(malformed(json))
        #expect(error == MalformedJSON(line: line, column: column, problem: problem))
    }

    @Test("a megabyte of bad bytes is one problem, and its value is shown shortened")
    func boundedReports() {
        let found = problems(Array(#"{"prompt": ""#.utf8) + [UInt8](repeating: 0xFF, count: 1 << 20) + Array(#""}"#.utf8))
        #expect(found.count == 1)
        #expect((found.first?.count ?? .max) < 200, "\(found.first?.prefix(300) ?? "")")
    }
}
