import RiffleStudio
import RiffleTUI
import RiffleTestSupport
import Testing

@Suite("The screen buffer: clipped drawing and minimal diffs")
struct ScreenBufferTests {
    @Test("text and boxes clip at the edges instead of failing")
    func clipping() {
        var buffer = ScreenBuffer(width: 10, height: 3)
        buffer.put("hello, wide world", x: 3, y: 1)
        buffer.put("off", x: -2, y: 0)
        buffer.put("below", x: 0, y: 5)
        #expect(buffer.text == "f         \n   hello, \n          ")
        var boxed = ScreenBuffer(width: 12, height: 4)
        boxed.box(Rect(x: 0, y: 0, width: 12, height: 4), title: "Prompt")
        #expect(boxed.text == "╭─ Prompt ─╮\n│          │\n│          │\n╰──────────╯")
    }

    @Test("a diff lists only the runs of cells that changed, and everything after a resize")
    func diff() {
        var before = ScreenBuffer(width: 20, height: 2)
        before.put("tempo 120", x: 0, y: 0)
        var after = before
        after.put("124", x: 6, y: 0)
        after.put("!", x: 19, y: 1)
        let changes = after.changes(since: before)
        #expect(changes.map(\.x) == [8, 19])
        #expect(changes.map(\.y) == [0, 1])
        #expect(changes[0].cells.map(\.character) == ["4"])
        #expect(after.changes(since: after).isEmpty)
        let resized = ScreenBuffer(width: 21, height: 2)
        #expect(resized.changes(since: before).map(\.cells.count) == [21, 21])
        #expect(before.changes(since: nil).count == 2)
    }
}

@Suite("The screen buffer knows display width")
struct WideCharacterTests {
    @Test("a wide character fills two cells, a combining accent stays with its letter, zero-width ones take none")
    func put() {
        var buffer = ScreenBuffer(width: 12, height: 1)
        #expect(buffer.put("漢a😀e\u{301}\u{200B}!", x: 0, y: 0) == 7)
        #expect(buffer[0, 0].character == "漢" && buffer[1, 0].isContinuation)
        #expect(buffer[2, 0].character == "a")
        #expect(buffer[3, 0].character == "😀" && buffer[4, 0].isContinuation)
        #expect(buffer[5, 0].character == "e\u{301}")
        #expect(buffer[6, 0].character == "!")
        #expect(buffer.text == "漢a😀e\u{301}!     ", "the text layer has one character per character, not per cell")
    }

    @Test("overwriting either half of a wide character blanks the other half; one that does not fit its room is not half drawn")
    func overwrite() {
        var buffer = ScreenBuffer(width: 6, height: 1)
        buffer.put("漢字漢", x: 0, y: 0)
        buffer.put("x", x: 1, y: 0)  // the right half of 漢
        buffer.put("y", x: 2, y: 0)  // the left half of 字
        #expect(buffer.text == " xy 漢")
        #expect(!buffer.cells.prefix(4).contains { $0.isContinuation })
        var narrow = ScreenBuffer(width: 5, height: 1)
        narrow.put("ab漢字", x: 0, y: 0, maxWidth: 5)  // 字 would need columns 4 and 5: the ellipsis takes column 4
        #expect(narrow.text == "ab漢…")
        var edge = ScreenBuffer(width: 3, height: 1)
        edge.put("ab漢", x: 0, y: 0)
        #expect(edge.text == "ab " && !edge[2, 0].isContinuation)
    }

    @Test("a diff never starts on a wide character's right half: the backend draws it with its left")
    func diff() {
        var before = ScreenBuffer(width: 4, height: 1)
        before.put("漢字", x: 0, y: 0)
        var after = before
        var cell = after[1, 0]
        cell.style = Style(.region)
        after[1, 0] = cell  // only the right half's style changed
        let changes = after.changes(since: before)
        #expect(changes.count == 1 && changes[0].x == 0 && changes[0].cells.count == 2)
    }
}
