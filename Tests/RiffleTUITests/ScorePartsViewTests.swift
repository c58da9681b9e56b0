import RiffleStudio
import RiffleTUI
import RiffleTestSupport
import Testing

/// The batch with the best take's score parts loaded, as the library stores them.
private func scoredBatch(width: Int, height: Int) -> StudioState {
    studioWithBatch(width: width, height: height) { state in
        state.jobs[0].takes[0].scoreParts = [
            ScorePart(name: "loudness", score: 0.99, detail: "-14.1 LUFS"),
            ScorePart(name: "tempo", score: 0.98, detail: "122.5 BPM measured, 122.0 asked"),
            ScorePart(name: "key", score: 0.93, detail: "heard F minor (0.84), F minor 0.84"),
            ScorePart(name: "form", score: 0.42, detail: "15 bars, recurrence 0.97, bar-to-bar 0.96"),
            ScorePart(name: "melody", score: 0.71, detail: "melody stem: pitch entropy 0.62, moves 31% of frames"),
        ]
    }
}

@Suite("The studio shows the selected take's score parts")
struct ScorePartsViewTests {
    @Test("under the jobs list: the weakest part with what was measured, then every part, the prompt's first",
          arguments: [(120, 40)])
    func parts(width: Int, height: Int) throws {
        let screen = StudioView.render(scoredBatch(width: width, height: height))
        let text = screen.text
        #expect(text.contains("take 2 0.97 · weakest: form 0.42, 15 bars"), "\(text)")
        let row = try #require(text.split(separator: "\n").first { $0.contains("tempo 0.98") })
        let order = ["tempo", "key", "melody", "form", "loudness"].compactMap { row.range(of: "\($0) 0.")?.lowerBound }
        #expect(order.count >= 3 && order == order.sorted(), "\(row)")
        try assertSnapshot(screen, named: "scored-\(width)x\(height)")
    }

    @Test("a job row highlighted, no parts stored, or a pane too short for them (80x24) shows none, and the takes keep their rows")
    func none() throws {
        let small = StudioView.render(scoredBatch(width: 80, height: 24)).text
        #expect(!small.contains("weakest") && small.contains("take 3 0.64"), "\(small)")
        var state = scoredBatch(width: 120, height: 40)
        state.selection = .job("j1")
        #expect(!StudioView.render(state).text.contains("weakest"))
        #expect(!StudioView.render(studioWithBatch(width: 120, height: 40)).text.contains("weakest"))
    }
}
