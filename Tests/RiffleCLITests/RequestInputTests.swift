import Foundation
import RiffleTestSupport
import Testing

/// The `riffle` binary beside this test bundle in the build folder.
private let riffle = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("riffle")

private func run(_ arguments: [String], input: String = "") throws -> ProcessResult {
    try runProcess(riffle, arguments, input: input)
}

/// `riffle check-request` on a file holding exactly `bytes` (standard input takes only text here).
private func checkRequest(_ bytes: [UInt8]) throws -> ProcessResult {
    let directory = try TemporaryDirectory()
    let file = directory.path("request.json")
    try Data(bytes).write(to: URL(fileURLWithPath: file))
    return try run(["check-request", file])
}

private func utf8(_ text: String) -> [UInt8] { Array(text.utf8) }

@Suite("Hostile requests for check-request: every problem named, never a crash")
struct RequestInputTests {
    @Test("513 nested brackets are reported as too deep, exit 2, instead of dying of SIGILL")
    func deepNesting() throws {
        let result = try run(["check-request", "-"], input: String(repeating: "[", count: 513))
        #expect(result.status == 2, "\(result.errors.prefix(500))")
        #expect(result.errors == "riffle: -: not a JSON object: line 1, column 65: lists and objects nest deeper than 64 levels\n")
    }

    static let jsonProblemCases: [([UInt8], String)] = [
        (utf8(#"{"prompt":"x","duration":1e999}"#), "duration: 1e999 is out of range"),
        (utf8(#"{"prompt":"x","seed":9223372036854775808}"#), "seed: 9223372036854775808 is out of range"),
        (utf8(#"{"prompt":"x","duration":010}"#), "duration: 010 is not a JSON number: it has a leading zero"),
        (utf8(#"{"prompt":"x","duration":10.}"#), "duration: 10. is not a JSON number: a digit must follow the decimal point"),
        (utf8(#"{"prompt":"a"#) + [0xFF] + utf8(#""}"#), "prompt: \"a\u{FFFD}\" has bytes that are not UTF-8 (0xFF)"),
        (utf8(#"{"prompt":"a\udc00"}"#), #"prompt: "a\udc00" has a lone surrogate (\uDC00), which is not a character"#),
        (utf8("{\"prompt\":\"a\nb\"}"), #"prompt: "a\nb" has a raw line break (U+000A); JSON writes it as \n"#),
        (utf8(#"{"prompt":"x","duration":7,"duration":1000}"#), "duration: is given 2 times (7, then 1000) (allowed: each field once)"),
    ]

    @Test("a JSON problem inside a value names the field and what is wrong", arguments: jsonProblemCases)
    func jsonProblems(bytes: [UInt8], message: String) throws {
        let result = try checkRequest(bytes)
        #expect(result.status == 2)
        #expect(result.errors.contains(message), "\(result.errors)")
        #expect(!result.errors.contains("(a list or an object)"))
    }

    @Test("a request larger than 1 MiB is refused without reading it all")
    func oversized() throws {
        let result = try checkRequest(Array("{\"prompt\": \"".utf8) + [UInt8](repeating: 0x61, count: 1 << 21) + Array("\"}".utf8))
        #expect(result.status == 2)
        #expect(result.errors.contains("the request is larger than 1024 KiB"))
    }
}
