import ArgumentParser
import Foundation
import RiffleCore

/// `riffle interpret PROMPT`: show what the engine understands from a prompt.
struct InterpretCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "interpret",
        abstract: "Show what Riffle understands from a prompt: genre, tempo, key, metre, instruments, moods, arrangement, style.",
        discussion: "Explicit options beat the prompt, and the prompt beats the genre preset's defaults; each value says where it came from."
    )

    @Argument(help: "The prompt, e.g. \"dreamy deep house 122 bpm in F# minor with rhodes\".")
    var prompt: String

    @OptionGroup var music: MusicOptions

    @Flag(help: "Print JSON instead of text.")
    var json = false

    func run() throws {
        let catalog = PresetCatalog.standard()
        var request = GenerationRequest(prompt: prompt)
        var reader = OptionReader()
        music.apply(to: &request, reader: &reader)
        let unread = Set(reader.issues.map(\.field))
        let issues = reader.issues + request.validationIssues(knownGenres: catalog.genreNames).filter { !unread.contains($0.field) }
        if !issues.isEmpty {
            printError("riffle: \(RequestValidationError(issues: issues))")
            throw ExitStatus.badInput
        }

        let interpretation = PromptInterpreter(catalog: catalog).interpret(request)
        if json {
            try printJSON(interpretation)
            return
        }
        func line(_ label: String, _ value: String, _ source: Interpretation.Source?) {
            printLine(label.padding(toLength: 16, withPad: " ", startingAt: 0) + value + (source.map { "  (\($0.rawValue))" } ?? ""))
        }
        line("genre", interpretation.genre.value, interpretation.genre.source)
        line("tempo", "\(interpretation.bpm.value.formatted()) BPM", interpretation.bpm.source)
        line("key", interpretation.key?.value.description ?? "chosen per take", interpretation.key?.source)
        line("time signature", interpretation.timeSignature.value.description, interpretation.timeSignature.source)
        line("instruments", interpretation.instruments.map { "\($0.name) (GM \($0.program), \($0.role.rawValue))" }.joined(separator: ", "), nil)
        line("moods", interpretation.moods.joined(separator: ", "), nil)
        line("sections", interpretation.sections.map(\.rawValue).joined(separator: ", "), nil)
        let arrangement = interpretation.arrangement
        if let ensemble = arrangement.ensemble { line("ensemble", ensemble, nil) }
        if !arrangement.programs.isEmpty {
            let fixed = Instrument.Role.allCases.compactMap { role in arrangement.programs[role].map { "\(role.rawValue) GM \($0)" } }
            line("parts", fixed.joined(separator: ", "), nil)
        }
        if !arrangement.excluded.isEmpty { line("left out", arrangement.excluded.map(\.rawValue).joined(separator: ", "), nil) }
        if let kit = arrangement.drumKit { line("drum kit", "GM kit \(kit)", nil) }
        if !arrangement.drumVoices.isEmpty { line("drum voices", arrangement.drumVoices.map(\.rawValue).joined(separator: ", "), nil) }
        if !arrangement.feels.isEmpty { line("feels", arrangement.feels.joined(separator: ", "), nil) }
        if !interpretation.styles.isEmpty { line("styles", interpretation.styles.joined(separator: ", "), nil) }
        if !interpretation.sound.isNeutral {
            let sound = interpretation.sound
            var hints: [String] = []
            if sound.brightness != 0 { hints.append("brightness \(sound.brightness.formatted())") }
            if sound.reverb != 0 { hints.append("reverb \(sound.reverb.formatted())") }
            if sound.width != 0 { hints.append("width \(sound.width.formatted())") }
            if sound.vintage != 0 { hints.append("vintage \(sound.vintage.formatted())") }
            if sound.gatedReverb { hints.append("gated reverb") }
            line("sound", hints.joined(separator: ", "), nil)
        }
        line("not used", interpretation.unusedWords.joined(separator: " "), nil)
        for note in interpretation.notes { line("note", note, nil) }
    }
}
