import RiffleStudio
import RiffleTUI
import RiffleTestSupport
import Testing

@Suite("The title and status bars say only keys that work where the focus is")
struct BarsViewTests {
    @Test("the title bar's help and quit keys are the focused pane's: F1 and Ctrl-C in the prompt, where ? and q type",
          arguments: Pane.allCases)
    func titleBar(pane: Pane) {
        let title = StudioView.render(studio(width: 80, height: 24) { $0.focus = pane }).line(0)
        #expect(title.hasSuffix(pane == .prompt ? "F1 help  Ctrl-C quit " : "? help  q quit "), "\(title)")
    }

    @Test("at 80 columns the status bar's hints are whole (the least useful dropped), ending with help, and say Ctrl-P in the prompt",
          arguments: Pane.allCases)
    func hints(pane: Pane) {
        let buffer = StudioView.render(studioWithBatch(width: 80, height: 24) { $0.focus = pane })
        let hints = buffer.line(23).trimmingCharacters(in: .whitespaces)
        #expect(hints.hasSuffix(pane == .prompt ? "F1 help" : "? help"), "\(hints)")
        #expect(!hints.contains("…"))
        if pane == .prompt { #expect(hints.contains("Ctrl-P play") && !hints.contains("Space")) }
    }

    @Test("a message longer than the status bar ends in an ellipsis")
    func longMessage() {
        let text = "Stems of j1-2 in /home/someone/.local/share/riffle/takes/j1/take-2-stems: ↑↓ in the waveform choose one, s solos, M mutes"
        let buffer = StudioView.render(studio(width: 80, height: 24) { $0.message = .init(text: text, isError: false) })
        #expect(buffer.line(23).hasSuffix("…"))
        #expect(buffer.line(23).hasPrefix(" Stems of j1-2 in /home/someone"))
    }

    @Test("a seed being typed shows in the sliders' seed line, and the status bar says the keys for it")
    func seedEntry() {
        let buffer = StudioView.render(studio(width: 80, height: 24) { $0.focus = .parameters; $0.seedEntry = "42" })
        #expect(buffer.text.contains("│  seed 42▏Enter sets"))
        #expect(buffer.line(23).contains("0-9 seed · Backspace · Enter set and lock · Esc cancel"))
    }
}
