import RiffleStudio
@testable import RiffleTUI
import Testing

@Suite("Terminal input: a bracketed paste comes out whole, and a burst of characters as one")
struct InputTests {
    private func feed(_ tokens: [InputAssembler.Token], into assembler: inout InputAssembler) -> [Terminal.Input] {
        tokens.compactMap { assembler.feed($0) }
    }

    private func characters(_ text: String) -> [InputAssembler.Token] { text.unicodeScalars.map { .character($0) } }

    @Test("everything between the paste's start and end is one paste, its Returns and escapes included, over several reads")
    func bracketedPaste() {
        var assembler = InputAssembler()
        #expect(feed(characters("a"), into: &assembler) == [.key(.character("a"))])
        var first = feed([.pasteStart] + characters("dark\rtechno") + [.key(.enter)], into: &assembler)
        #expect(first.isEmpty && assembler.isPasting, "a paste not yet ended is held for the next read")
        // A resize in the middle is still reported; a pasted escape sequence that looked like a key is not text.
        first = feed([.resize, .key(.up)] + characters("\u{3}126 ♪") + [.pasteEnd], into: &assembler)
        #expect(first == [.resize, .paste("dark\rtechno\r\u{3}126 ♪")])
        #expect(!assembler.isPasting)
        // After it, keys are keys again: Ctrl-C is not text.
        #expect(feed(characters("\u{3}\t") + [.key(.up), .pasteEnd], into: &assembler) == [.key(.ctrlC), .key(.tab), .key(.up)])
    }

    @Test("a burst of characters read together is one typed run; keys between runs keep their place")
    func grouping() {
        let inputs: [Terminal.Input] = [.key(.character("a")), .key(.character("b")), .key(.enter), .key(.character("c")),
                                        .paste("x"), .key(.character("d")), .key(.character("é")), .resize]
        #expect(StudioLoop.grouped(inputs) == [.typed("ab"), .key(.enter), .key(.character("c")), .paste("x"), .typed("dé"), .resize])
        #expect(StudioLoop.grouped([]) == [])
    }
}
