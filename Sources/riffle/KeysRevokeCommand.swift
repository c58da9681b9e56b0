import ArgumentParser
import Foundation
import RiffleApp

/// `riffle keys revoke ID|NAME`: stop accepting a key. Its row stays, so its name stays taken and
/// its jobs keep their owner.
struct KeysRevokeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "revoke",
        abstract: "Revoke an API key: requests with it are refused from now on.",
        discussion: "Revoking cannot be undone; its name stays taken. Revoking a revoked key changes nothing."
    )

    @Argument(help: "The key's id (key_…) or name.")
    var key: String

    @OptionGroup var libraryOptions: LibraryOptions

    func run() throws {
        let library = try libraryOptions.open()
        let known = try callingKeys(ExitStatus.fileError) { () throws(Library.Failure) in try library.apiKeys(includingRevoked: true) }
        guard known.contains(where: { $0.id == key || $0.name == key }) else {
            printError("riffle: no API key named or with id \(key) (see `riffle keys list --all`)")
            throw ExitStatus.unknownID
        }
        let wasActive = known.contains { ($0.id == key || $0.name == key) && $0.isActive }
        let revoked = try callingKeys(ExitStatus.fileError) { () throws(Library.Failure) in try library.revokeAPIKey(key) }
        printLine(wasActive ? "revoked API key \(revoked.id) (\(revoked.name))" : "API key \(revoked.id) (\(revoked.name)) was already revoked")
    }
}
