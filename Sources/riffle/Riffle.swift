import ArgumentParser
import RiffleCore

/// The `riffle` command: the studio (once it exists) and the headless tools.
@main
struct Riffle: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "riffle",
        abstract: "A terminal music studio for local AI music generation.",
        discussion: """
        Riffle turns a prompt into a batch of takes, lets you audition them and keeps the best. \
        Today it does that from the command line: `riffle generate` composes, renders and masters takes \
        with the embedded Composer and keeps them in the library, where the other commands list, play, \
        rate, pick, edit and export them. The studio (riffle with no command) is on its way.
        """,
        subcommands: [
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
        ]
    )

    /// Runs the command line, reporting bad options with exit status 2 (ArgumentParser's own is 64) so
    /// every kind of bad input, options or request fields, exits the same way.
    static func main() {
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch {
            if exitCode(for: error) == .validationFailure {
                printError(fullMessage(for: error))
                exit(withError: ExitStatus.badInput)
            }
            exit(withError: error)
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
