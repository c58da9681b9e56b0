import ArgumentParser
import Foundation
import RiffleCore

/// The `riffle` command: the studio, and the headless tools.
@main
struct Riffle: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "riffle",
        abstract: "A terminal music studio for local AI music generation.",
        discussion: """
        Riffle turns a prompt into a batch of takes, lets you audition them and keeps the best. \
        `riffle` alone opens the studio in the terminal; the commands below do the same work headless: \
        `riffle generate` composes, renders and masters takes with the embedded Composer and keeps them \
        in the library, where the other commands list, play, rate, pick, edit and export them.
        """,
        subcommands: [
            // The studio, the default.
            StudioCommand.self,
            // Making takes.
            GenerateCommand.self, BatchCommand.self, GridCommand.self,
            // The library.
            ListCommand.self, ShowCommand.self, PlayCommand.self, RateCommand.self, PickCommand.self, ExportCommand.self,
            DeleteCommand.self, ResumeCommand.self,
            // Edits.
            RepaintCommand.self, ExtendCommand.self, RestyleCommand.self, StemsCommand.self,
            // Tools.
            InterpretCommand.self, InfoCommand.self, ConvertCommand.self, WaveformCommand.self, CheckRequestCommand.self,
            PresetsCommand.self,
            // Models for the MusicGen engine.
            ModelsCommand.self,
            // The HTTP API and its keys.
            ServeCommand.self, KeysCommand.self,
        ],
        defaultSubcommand: StudioCommand.self
    )

    /// Runs the command line, reporting bad options with exit status 2 (ArgumentParser's own is 64) so
    /// every kind of bad input, options or request fields, exits the same way. Every message goes
    /// through ``printError(_:)``: ArgumentParser quotes the options it rejects, and those are the user's.
    static func main() {
        // A reader that goes away (a FIFO the audio device writes to, `riffle list | head`) must not
        // kill riffle with SIGPIPE, least of all the studio, which then cannot give the terminal back:
        // ignored, the write fails with EPIPE and is reported where it happens, like any other error.
        signal(SIGPIPE, SIG_IGN)
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch {
            let status = exitCode(for: error)
            if status == .success { exit(withError: error) }
            let message = fullMessage(for: error)
            if !message.isEmpty { printError(message) }
            exit(withError: status == .validationFailure ? ExitStatus.badInput : status)
        }
    }
}

/// Exit statuses shared by every command, for scripts.
enum ExitStatus {
    /// Bad input: a request or option that fails validation.
    static let badInput = ExitCode(2)
    /// A file that cannot be read or written.
    static let fileError = ExitCode(4)
}
