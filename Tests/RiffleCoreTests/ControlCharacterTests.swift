import RiffleCore
import Testing

@Suite("Text for the terminal: control characters escaped, everything else as it is")
struct ControlCharacterTests {
    @Test("controls, DEL, C1 and bidirectional overrides become visible escapes", arguments: [
        ("\u{1B}]0;pwned\u{7}", #"\u{1B}]0;pwned\u{7}"#),
        ("a\nb\tc\rd", #"a\nb\tc\rd"#),
        ("\u{9B}31m red", #"\u{9B}31m red"#),
        ("x\u{7F}y\u{0}", #"x\u{7F}y\u{0}"#),
        ("abc\u{202E}fed\u{2066}", #"abc\u{202E}fed\u{2066}"#),
    ])
    func escapes(raw: String, shown: String) {
        #expect(raw.escapingControlCharacters() == shown)
    }

    @Test("ordinary text, accents, emoji and backslashes are unchanged")
    func leavesTextAlone() {
        for text in ["dusty lo-fi, 80 bpm", "Café 🎹 ビート", #"C:\music\take"#, "👩‍👩‍👧 zero-width joiners", ""] {
            #expect(text.escapingControlCharacters() == text)
        }
    }

    @Test("a message keeps its own line breaks on request, and escapes everything else")
    func keepingLineBreaks() {
        #expect("2 problems:\n  - \u{1B}[2J".escapingControlCharacters(keepingLineBreaks: true) == "2 problems:\n  - \\u{1B}[2J")
    }

    @Test("a validation issue is one line whatever its field and value hold")
    func issueDescription() {
        let issue = ValidationIssue(field: "ge\u{1B}nre", value: "\"\u{1B}]0;x\u{7}\nline\"", problem: "is not a known preset", allowed: "a preset")
        #expect(issue.description == #"ge\u{1B}nre: "\u{1B}]0;x\u{7}\nline" is not a known preset (allowed: a preset)"#)
    }
}
