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
