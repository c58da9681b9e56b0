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

@Suite("Terminal input: xterm's SGR mouse reports")
struct MouseInputTests {
    private func decode(_ report: String) -> [Terminal.Input] {
        var assembler = InputAssembler()
        let tokens: [InputAssembler.Token] = [.mouseStart] + report.unicodeScalars.map { .character($0) }
        return tokens.compactMap { assembler.feed($0) }
    }

    @Test("presses, drags and releases of each button, the wheel and Shift, from ESC [ < b ; x ; y M/m, counted from 0")
    func reports() {
        #expect(decode("0;10;5M") == [.mouse(MouseEvent(.press, x: 9, y: 4))])
        #expect(decode("0;10;5m") == [.mouse(MouseEvent(.release, x: 9, y: 4))])
        #expect(decode("32;11;5M") == [.mouse(MouseEvent(.drag, x: 10, y: 4))])
        #expect(decode("2;1;1M") == [.mouse(MouseEvent(.press, x: 0, y: 0, button: 2))])
        #expect(decode("4;3;3M") == [.mouse(MouseEvent(.press, x: 2, y: 2, shift: true))])
        #expect(decode("64;20;7M") == [.mouse(MouseEvent(.scrollUp, x: 19, y: 6))])
        #expect(decode("65;20;7M") == [.mouse(MouseEvent(.scrollDown, x: 19, y: 6))])
        #expect(decode("0;250;60M") == [.mouse(MouseEvent(.press, x: 249, y: 59))], "no column limit, unlike the old encoding")
    }

    @Test("what is not a whole report is dropped, and the keys after it read as keys")
    func garbage() {
        #expect(decode("0;10M").isEmpty)
        #expect(decode("66;1;1M").isEmpty, "sideways scrolling")
        #expect(decode("35;4;4M").isEmpty, "motion with no button held")
        var assembler = InputAssembler()
        let tokens: [InputAssembler.Token] = [.mouseStart, .character("1"), .key(.up)] + "q".unicodeScalars.map { .character($0) }
        #expect(tokens.compactMap { assembler.feed($0) } == [.key(.up), .key(.character("q"))])
        #expect(!assembler.isReadingMouse)
    }
}
