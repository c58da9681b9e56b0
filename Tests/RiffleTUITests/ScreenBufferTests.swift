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
