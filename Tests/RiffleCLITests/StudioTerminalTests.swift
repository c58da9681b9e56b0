import Foundation
import RiffleTestSupport
import Testing

/// The `riffle` binary beside this test bundle in the build folder.
private let riffle = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("riffle")

/// The studio in a shell that, once riffle ends, says how it exited and whether the terminal echoes and
/// reads lines again (stty prints -echo / -icanon when they are off).
private func studio(library: String, device: String = "null") -> String {
    "\(riffle.path) --library \(library) --device \"\(device)\"; echo RIFFLE_EXIT=$?; " +
        "stty -a | tr ' ' '\\n' | grep -E '^-?(echo|icanon)$' | tr '\\n' ' '; echo STTY_DONE; sleep 120"
}

/// Whether the pane's stty report says the terminal is back in its normal modes.
private func terminalRestored(_ screen: String) -> Bool {
    let words = screen.split(whereSeparator: \.isWhitespace)
    return words.contains("echo") && words.contains("icanon") && !words.contains("-echo") && !words.contains("-icanon")
}

@Suite("The studio's terminal handling, driven in tmux", .serialized)
struct StudioTerminalTests {
    @Test("a 2500-character paste shows whole (bracketed) or as typed, cut at 2000 with the count; a pasted newline does not generate; the next key is read")
    func paste() throws {
        try #require(toolIsInstalled("tmux"), "tmux is needed for this test: `make test-deps` installs it")
        let folder = try TemporaryDirectory()
        let session = try TmuxSession(command: studio(library: folder.path("library")))
        defer { session.kill() }
        try session.wait(for: "the studio to open") { $0.contains("No jobs yet") }

        // Bracketed, as a terminal's paste key sends it: a newline in it is a new line, not Enter.
        try session.paste("dreamy lo-fi\nwith rhodes", bracketed: true)
        let twoLines = try session.wait(for: "the paste on two lines") { $0.contains("│dreamy lo-fi ") && $0.contains("│with rhodes ") }
        #expect(twoLines.contains("24/2000") && twoLines.contains("No jobs yet"), "nothing was generated:\n\(twoLines)")
        try session.keys("C-u", "BSpace", "C-u")
        try session.wait(for: "the prompt to empty") { !$0.contains("/2000") }

        let words = ["dark", "techno", "rhodes", "piano", "strings", "dreamy", "minor", "breakdown", "rolling", "bassline"]
        let long = (0..<400).map { words[$0 % words.count] }.joined(separator: " ").prefix(2500)
        for bracketed in [true, false] {
            try session.paste(String(long), bracketed: bracketed)
            let screen = try session.wait(for: "the paste (bracketed: \(bracketed))") { $0.contains("2000/2000") }
            #expect(screen.contains(bracketed ? "Pasted 2000 of 2500 characters: the prompt holds at most 2000"
                                              : "The prompt is full: it holds at most 2000 characters"), "\(screen)")
            try session.keys("BSpace")
            try session.wait(for: "the next key to be read") { $0.contains("1999/2000") }
            try session.keys("C-u")
            try session.wait(for: "the prompt to empty") { !$0.contains("/2000") }
        }
        try session.keys("C-c")
        let after = try session.wait(for: "riffle to exit") { $0.contains("STTY_DONE") }
        #expect(after.contains("RIFFLE_EXIT=0") && terminalRestored(after), "\(after)")
    }

    @Test("on a terminal too small for the studio q quits, as the screen says, and nothing was typed")
    func tooSmall() throws {
        try #require(toolIsInstalled("tmux"), "tmux is needed for this test: `make test-deps` installs it")
        let folder = try TemporaryDirectory()
        let session = try TmuxSession(command: studio(library: folder.path("library")))
        defer { session.kill() }
        try session.wait(for: "the studio to open") { $0.contains("No jobs yet") }
        try session.resize(width: 60, height: 20)
        try session.wait(for: "the too-small screen") { $0.contains("Enlarge it, or q to quit.") }
        try session.type("x")
        try session.keys("q")
        let after = try session.wait(for: "riffle to exit") { $0.contains("STTY_DONE") }
        #expect(after.contains("RIFFLE_EXIT=0") && terminalRestored(after), "\(after)")
    }
}
