import ArgumentParser
import Foundation
import RiffleComposer
import RiffleCore
import RiffleTUI

/// `riffle` (or `riffle studio`): the terminal studio.
struct StudioCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "studio", abstract: "Open the studio (what `riffle` alone does): prompt, generate, listen, pick.",
        discussion: """
        Write a prompt and press Enter: a batch of takes generates in the background and appears in the jobs pane, \
        best first. Space plays the selected take, [ and ] switch takes at the same position, 1-5 rate, p picks, \
        m opens the edits (repaint a region, extend, restyle, stems, export, delete). ? shows every key.
        """)

    @OptionGroup var libraryOptions: LibraryOptions

    @Option(help: "The ALSA PCM to play on, for example hw:0, or file:'/tmp/out.raw',raw to capture the samples.")
    var device: String = "default"

    @Option(help: "Colour theme: dark, light, high-contrast, or a theme of yours in the config directory's themes/ folder. NO_COLOR turns colour off.")
    var theme: String?

    @Flag(help: "Draw waveforms in plain ASCII instead of braille.")
    var ascii = false

    @Flag(help: "Write every take's stems too (slower), so solo and mute work at once.")
    var stems = false

    @Option(help: "A SoundFont (.sf2 or .sf3) to render with (or set RIFFLE_SOUNDFONT).")
    var soundfont: String?

    func run() throws {
        guard isatty(STDIN_FILENO) == 1, isatty(STDOUT_FILENO) == 1 else {
            printError("riffle: the studio needs a terminal; in scripts use the commands (riffle --help)")
            throw ExitStatus.badInput
        }
        if let problem = Terminal.problem() {
            printError("riffle: \(problem)")
            throw ExitStatus.fileError
        }
        let themes = ThemeCatalog.standard()
        if let theme, themes.theme(named: theme) == nil {
            printError("riffle: theme: \"\(theme)\" is not a theme (available: \(themes.themes.map(\.name).joined(separator: ", ")))")
            throw ExitStatus.badInput
        }
        let library = try libraryOptions.open()
        let catalog = PresetCatalog.standard()
        var engineProblem: String?
        let engine: ComposerEngine?
        do {
            // The studio opens without an engine too: the library can still be heard, rated and picked.
            engine = try composerEngine(soundfont: soundfont, catalog: catalog)
        } catch {
            engine = nil
            engineProblem = "\(error)"
        }

        var state = StudioState(width: 80, height: 24)
        state.presets = StudioItems.presets(catalog)
        state.seed = Int64.random(in: 0...99_999_999)
        state.asciiOnly = ascii
        state.capabilities = engine?.capabilities ?? []
        let runtime = StudioRuntime(state: state, library: library, engine: engine, device: device, writeStems: stems)
        var notices: [String] = []
        if let engineProblem { notices.append("The engine cannot start, so nothing can be generated: \(engineProblem)") }
        if !catalog.problems.isEmpty { notices.append("Presets skipped: " + catalog.problems.joined(separator: "; ")) }
        runtime.startupNotice = notices.isEmpty ? nil : notices.joined(separator: " · ")
        let requested = theme
        runtime.run(theme: { colors in themes.choose(requested, terminalColors: colors) }, device: device)
    }
}
