import RiffleStudio
import Testing

@Suite("Display width and the prompt's rows")
struct PromptLayoutTests {
    @Test("columns as a terminal shows them: CJK and emoji two, combining marks and zero-width none, the rest one")
    func widths() {
        let cases: [(String, Int)] = [("a", 1), ("é", 1), ("e\u{301}", 1), ("漢", 2), ("한", 2), ("ｶ", 1), ("Ａ", 2), ("😀", 2), ("🇫🇷", 2),
                                      ("❤️", 2), ("👍🏽", 2), ("👩‍👩‍👧", 2), ("⠿", 1), ("─", 1), ("\u{200B}", 0), ("\u{301}", 0), ("→", 1)]
        for (text, width) in cases { #expect(Character(text).displayWidth == width, "\(text.unicodeScalars.map { String($0.value, radix: 16) })") }
        #expect("dark 漢字 ♪ 😀".displayWidth == 14)
    }

    @Test("lines wrap after the last space that fits, a word longer than a row where the row ends, and a newline always")
    func wrapping() {
        let text = Array("dark techno with\nrhodes supercalifragilistic")
        let layout = PromptLayout(text, cursor: 0, width: 10)
        #expect(layout.rows.map { String(text[$0]) } == ["dark ", "techno ", "with", "rhodes ", "supercalif", "ragilistic"])
        #expect(layout.cursorRow == 0 && layout.cursorColumn == 0)
    }

    @Test("wide characters wrap by their columns, and the cursor's column counts them")
    func wideCharacters() {
        let text = Array("漢字漢字漢 ab")  // 10 columns of CJK, then a space
        let layout = PromptLayout(text, cursor: 2, width: 9)
        #expect(layout.rows.map { String(text[$0]) } == ["漢字漢字", "漢 ab"])
        #expect(layout.cursorRow == 0 && layout.cursorColumn == 4)
        let end = PromptLayout(text, cursor: text.count, width: 9)
        #expect(end.cursorRow == 1 && end.cursorColumn == 5)
        // Up from column 5 lands at the character covering column 4 or before it.
        #expect(end.index(row: 0, column: 5, in: text) == 2)
    }

    @Test("the cursor after a soft break starts the next row; at the end of a full last row it gets a row of its own")
    func cursorAtBreaks() {
        let text = Array("abcd efgh")
        let afterBreak = PromptLayout(text, cursor: 5, width: 5)
        #expect(afterBreak.rows.map { String(text[$0]) } == ["abcd ", "efgh"])
        #expect(afterBreak.cursorRow == 1 && afterBreak.cursorColumn == 0)
        let full = Array("abcde")
        let atEnd = PromptLayout(full, cursor: 5, width: 5)
        #expect(atEnd.rows == [0..<5, 5..<5] && atEnd.cursorRow == 1 && atEnd.cursorColumn == 0)
        let lines = Array("ab\ncd")
        let endOfLine = PromptLayout(lines, cursor: 2, width: 5)
        #expect(endOfLine.cursorRow == 0 && endOfLine.cursorColumn == 2, "before the newline, on its line")
    }
}
