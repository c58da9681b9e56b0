import ArgumentParser
import Foundation
import RiffleApp

/// `riffle keys`: the API keys `riffle serve` accepts, and their limits.
struct KeysCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "keys",
        abstract: "Create, list and revoke API keys for the HTTP API.",
        discussion: """
        Keys live in the library. A key's secret is shown once, when it is made: Riffle keeps only its \
        SHA-256 hash. Each key may have limits: requests per minute, jobs at once, the longest take and \
        minutes of audio per month. `riffle keys` lists them; `riffle keys create NAME` makes one; \
        `riffle keys revoke ID|NAME` stops accepting one.
        """,
        subcommands: [KeysListCommand.self, KeysCreateCommand.self, KeysRevokeCommand.self],
        defaultSubcommand: KeysListCommand.self
    )
}

/// Runs `body`, reporting the library's refusal and exiting: `status` for one about the input (a
/// taken name, an unknown key), 4 when the file system is the cause.
func callingKeys<T>(_ status: ExitCode, _ body: () throws(Library.Failure) -> T) throws -> T {
    do {
        return try body()
    } catch {
        printError("riffle: \(error)")
        throw error.problem == nil ? status : ExitStatus.fileError
    }
}
