import Foundation
import RiffleTestSupport
import Testing

/// The `riffle` binary beside this test bundle in the build folder.
private let riffle = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("riffle")

private func run(_ arguments: [String], input: String = "") throws -> ProcessResult {
    try runProcess(riffle, arguments, input: input)
}

/// Whether `text` holds a byte that steers a terminal: C0 controls other than the line break, DEL, or a C1 control.
private func hasControlCharacters(_ text: String) -> Bool {
    text.unicodeScalars.contains { ($0.value < 0x20 && $0 != "\n") || (0x7F...0x9F).contains($0.value) }
}

@Suite("Control characters from requests, options, ids and stored prompts never reach the terminal raw")
struct TerminalEscapingTests {
    @Test("an OSC sequence in a request's genre is shown escaped, not sent to the terminal")
    func escapedRequestValues() throws {
        let result = try run(["check-request", "-"], input: "{\"prompt\": \"x\", \"genre\": \"\\u001b]0;pwned\\u0007\"}")
        #expect(result.status == 2)
        #expect(result.errors.contains(#"genre: "\u{1B}]0;pwned\u{7}" is not a known preset"#), "\(result.errors)")
        #expect(!hasControlCharacters(result.errors))
    }

    @Test("ids and options with control characters are escaped in messages, ArgumentParser's own included", arguments: [
        ["show", "\u{1B}]0;pwned\u{7}"], ["generate", "x", "--bogus\u{1B}[2J"], ["generate", "x", "--key", "\u{9B}31m"],
    ])
    func escapedArguments(arguments: [String]) throws {
        let temporary = try TemporaryDirectory()
        let result = try run(arguments + ["--library", temporary.path("library")])
        #expect(result.status == 2 || result.status == 3)
        #expect(!hasControlCharacters(result.errors), "\(result.errors.debugDescription)")
        #expect(result.errors.contains(#"\u{1B}"#) || result.errors.contains(#"\u{9B}"#), "\(result.errors)")
    }
}

@Suite("Stored prompts in listings", .enabled(if: FileManager.default.fileExists(atPath: "/usr/share/sounds/sf2/FluidR3_GM.sf2"), "needs fluid-soundfont-gm"))
struct StoredTextEscapingTests {
    /// A five-second take of `prompt` in a fresh library: its id and the library's arguments.
    private func take(_ temporary: TemporaryDirectory, prompt: String) throws -> (String, [String]) {
        let library = ["--library", temporary.path("library")]
        let result = try run(["generate", prompt, "--duration", "5", "--variations", "1", "--seed", "1", "--json"] + library)
        #expect(result.status == 0, "\(result.errors)")
        let report = try #require(try JSONSerialization.jsonObject(with: Data(result.output.utf8)) as? [String: Any])
        return (try #require((report["results"] as? [[String: Any]])?.first?["id"] as? String), library)
    }

    @Test("a stored prompt with control characters is listed escaped; its JSON stays exact")
    func storedPromptEscaped() throws {
        let temporary = try TemporaryDirectory()
        let prompt = "lo-fi \u{1B}]0;pwned\u{7}\nsecond line \u{202E}"
        let (id, library) = try take(temporary, prompt: prompt)
        let job = String(id.split(separator: "-")[0])
        for arguments in [["list"], ["show", job], ["show", id]] {
            let result = try run(arguments + library)
            #expect(result.status == 0)
            #expect(!result.output.unicodeScalars.contains { $0.value == 0x1B || $0.value == 0x07 || $0.value == 0x202E }, "\(arguments)")
        }
        #expect(try run(["list"] + library).output.contains(#"lo-fi \u{1B}]0;pwned\u{7}\nsecond line \u{202E}"#))
        let json = try run(["show", job, "--json"] + library)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.output.utf8)) as? [String: Any])
        #expect((object["job"] as? [String: Any])?["prompt"] as? String == prompt)
    }
}
