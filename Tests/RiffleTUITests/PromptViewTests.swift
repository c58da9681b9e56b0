import RiffleStudio
import RiffleTUI
import Testing

/// The prompt pane's frame: its rows and columns on a rendered screen.
private func promptFrame(_ buffer: ScreenBuffer) throws -> (left: Int, right: Int, top: Int, bottom: Int) {
    let top = try #require((0..<buffer.height).first { buffer.line($0).contains("╭─ Prompt") })
    let left = try #require(buffer.column(of: "╭─ Prompt", row: top))
    let right = try #require(buffer.column(of: "╮", row: top, from: left))
    let bottom = try #require((top + 1..<buffer.height).first { buffer[left, $0].character == "╰" })
    return (left, right, top, bottom)
}

@Suite("The prompt pane")
struct PromptViewTests {
    @Test("the prompt's length against its 2000-character limit is in its bottom edge, in the warning style once full",
          arguments: [(80, 24), (120, 40)])
    func characterCount(width: Int, height: Int) throws {
        let empty = StudioView.render(studio(width: width, height: height))
        let frame = try promptFrame(empty)
        #expect(!empty.line(frame.bottom).contains("/2000"), "an empty prompt shows no count")

        let short = StudioView.render(studio(width: width, height: height) { $0.prompt = "dark techno"; $0.cursor = 11 })
        let bottom = short.line(frame.bottom)
        #expect(bottom.hasSuffix("─ 11/2000 ─╯"))
        let x = try #require(short.column(of: "11/2000", row: frame.bottom))
        #expect(short.cells(row: frame.bottom, from: x, to: x + 7).allSatisfy { $0.style == Style(.muted) })

        let fullState = studio(width: width, height: height) { state in
            state.prompt = String(repeating: "a", count: 2000)
            state.cursor = 2000
        }
        let full = StudioView.render(fullState)
        let fullX = try #require(full.column(of: "2000/2000", row: frame.bottom))
        #expect(full.cells(row: frame.bottom, from: fullX, to: fullX + 9).allSatisfy { $0.style == Style(.warning, bold: true) })
    }
}

@Suite("The prompt pane with wide and combining characters, and long lines")
struct PromptWidthTests {
    @Test("CJK, emoji and accents keep the frame whole and the cursor on the character it is before", arguments: [(80, 24), (120, 40)])
    func wideText(width: Int, height: Int) throws {
        let prompt = "夢のような lo-fi 🎹 with café\u{301} rhodes"
        let cursor = Array(prompt).firstIndex(of: "🎹")!
        let state = studio(width: width, height: height) { state in
            state.prompt = prompt
            state.cursor = cursor
        }
        let buffer = StudioView.render(state)
        let frame = try promptFrame(buffer)
        for y in frame.top...frame.bottom {
            #expect(buffer[frame.right, y].character == (y == frame.top ? "╮" : y == frame.bottom ? "╯" : "│"), "row \(y)")
        }
        let position = try #require(StudioView.cursor(state))
        #expect(buffer[position.x, position.y].character == "🎹" && buffer[position.x, position.y].style.reverse)
        #expect(buffer[position.x + 1, position.y].isContinuation && buffer[position.x + 1, position.y].style.reverse)
        // "夢のような " is 11 columns, "lo-fi " 6.
        #expect(position.x == frame.left + 1 + 17)
        #expect(buffer.text.contains("夢のような lo-fi 🎹 with café\u{301} rhodes"))
    }

    @Test("a long line wraps at the pane's width instead of scrolling sideways; the rows above the cursor scroll with a mark")
    func wrapping() throws {
        let words = (1...40).map { "word\($0)" }.joined(separator: " ")
        let state = studio(width: 80, height: 24) { $0.prompt = words; $0.cursor = 0 }
        let buffer = StudioView.render(state)
        let frame = try promptFrame(buffer)
        let rows = (frame.top + 1..<frame.bottom - 1).map { String(buffer.line($0).dropFirst(frame.left + 1).prefix(frame.right - frame.left - 1)) }
        #expect(rows[0].hasPrefix("word1 word2 "))
        #expect(rows.allSatisfy { !$0.hasPrefix("ord") && !$0.hasPrefix("rd") }, "rows break between words: \(rows)")
        #expect(buffer[frame.right, frame.top + 4].character == "↓", "more below, on the last text row")
        var end = state
        end.cursor = words.count
        let scrolled = StudioView.render(end)
        #expect(scrolled[frame.right, frame.top + 1].character == "↑", "more above")
        #expect(scrolled.text.contains("word40"))
    }

    @Test("the words the engine did not use follow what it understood, in the warning style", arguments: [(80, 24), (120, 40)])
    func unusedWords(width: Int, height: Int) throws {
        let state = studio(width: width, height: height) { state in
            state.prompt = "wobbly house"
            state.cursor = 12
            state.understood = "house · 124 BPM"
            state.unusedWords = ["wobbly"]
        }
        let buffer = StudioView.render(state)
        let frame = try promptFrame(buffer)
        let row = frame.bottom - 1
        let x = try #require(buffer.column(of: "not used: wobbly", row: row))
        #expect(buffer.line(row).contains("understood: house · 124 BPM · not used: wobbly"))
        #expect(buffer.cells(row: row, from: x, to: x + 16).allSatisfy { $0.style == Style(.warning) })
    }

    @Test("the engine's notes follow, muted: MusicGen says its tempo is a hint there")
    func notes() throws {
        let state = studio(width: 120, height: 40) { state in
            state.prompt = "lo-fi 84 bpm"
            state.cursor = 12
            state.understood = "lo-fi · 84 BPM"
            state.understoodNotes = ["tempo 84 BPM is a hint to MusicGen"]
        }
        let buffer = StudioView.render(state)
        let row = try promptFrame(buffer).bottom - 1
        #expect(buffer.line(row).contains("understood: lo-fi · 84 BPM · tempo 84 BPM is a hint to MusicGen"))
        let x = try #require(buffer.column(of: "tempo 84", row: row))
        #expect(buffer.cells(row: row, from: x, to: x + 8).allSatisfy { $0.style == Style(.muted) })
    }
}
