import ArgumentParser
import Foundation
import RiffleApp
import RiffleAudio
import RiffleCore
import RiffleEngine
import RiffleStudio
import RiffleTUI

/// `riffle` (or `riffle studio`): the terminal studio.
struct StudioCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "studio", abstract: "Open the studio (what `riffle` alone does): prompt, generate, listen, pick.",
        discussion: """
        Write a prompt and press Enter: a batch of takes generates in the background and appears in the jobs pane, \
        best first. Space plays the selected take, [ and ] switch takes at the same position, 1-5 rate, p picks, \
        m opens the edits (repaint a region, extend, restyle, stems, export, delete), r resumes an interrupted batch, \
        e (F2 in the prompt) chooses the engine: the built-in Composer or an installed MusicGen model. \
        ? shows every key.
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
        let catalog = PresetCatalog.standard()
        let service = try openService(libraryOptions, soundfont: soundfont, catalog: catalog)
        var notices: [String] = []
        // The studio opens without an engine too: the library can still be heard, rated and picked.
        // Started here so a broken SoundFont is said at once; the picker lists it as unusable too.
        do {
            _ = try service.engine()
        } catch {
            notices.append("The engine cannot start, so nothing can be generated: \(error)")
        }
        if !catalog.problems.isEmpty { notices.append("Presets skipped: " + catalog.problems.joined(separator: "; ")) }

        var state = StudioState(width: 80, height: 24)
        state.presets = StudioItems.presets(catalog)
        state.seed = Int64.random(in: GenerationRequest.Limits.seed)
        state.asciiOnly = ascii
        let inbox = StudioInbox()
        let player = Player(device: device) { problem in inbox.post(.audioUnavailable(problem)) }
        let runner = StudioEffectRunner(service: service, player: player, inbox: inbox, outputs: TakeOutputs(stems: stems, midi: true),
                                        exportFolder: URL(fileURLWithPath: FileManager.default.currentDirectoryPath),
                                        engines: { StudioEngines.catalog(service: service) })
        runner.start(device: device)
        let loop = StudioLoop(state: state, runner: runner, inbox: inbox) {
            let status = player.status
            return (status.sourceID, status.position, status.isPlaying)
        }
        let requested = theme
        loop.run(theme: { colors in themes.choose(requested, terminalColors: colors) },
                 notice: notices.isEmpty ? nil : notices.joined(separator: " · "))
    }
}
