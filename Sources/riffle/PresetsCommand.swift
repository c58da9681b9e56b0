import ArgumentParser
import Foundation
import RiffleCore

/// `riffle presets`: the genre presets, built-in and the user's.
struct PresetsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "presets",
        abstract: "List the genre presets: built-in ones and your own.",
        discussion: "Your own presets go in \(PresetCatalog.userDirectory().path) as TOML files (see Presets/README.md)."
    )

    @Flag(help: "Print JSON instead of text.")
    var json = false

    func run() throws {
        let catalog = PresetCatalog.standard()
        for problem in catalog.problems { printError("riffle: skipped preset \(problem)") }
        if json {
            try printJSON(catalog.presets)
            return
        }
        let nameWidth = catalog.presets.map(\.name.count).max() ?? 0
        for preset in catalog.presets {
            let tempo = "\(Int(preset.tempo.min))-\(Int(preset.tempo.max)) BPM"
            let metres = preset.timeSignatures.map(\.description).joined(separator: " ")
            printLine("\(preset.name.padding(toLength: nameWidth, withPad: " ", startingAt: 0))  \(tempo.padding(toLength: 12, withPad: " ", startingAt: 0))  \(metres.padding(toLength: 14, withPad: " ", startingAt: 0))  \(preset.description)")
        }
    }
}
