import ArgumentParser
import Foundation
import RiffleApp

/// `riffle keys list` (and plain `riffle keys`): the keys, without their secrets.
struct KeysListCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "List the API keys, oldest first: id, name, prefix, limits, when made, last used and revoked."
    )

    @OptionGroup var libraryOptions: LibraryOptions

    @Flag(help: "Also list revoked keys.")
    var all = false

    @Flag(help: "Print JSON instead of a table.")
    var json = false

    func run() throws {
        let library = try libraryOptions.open(reading: true)
        let keys = try callingKeys(ExitStatus.fileError) { () throws(Library.Failure) in try library.apiKeys(includingRevoked: all) }
        if json { return try printJSON(keys.map { KeyReport($0) }) }
        guard !keys.isEmpty else {
            printError("no API keys in \(library.directory.path)\(all ? "" : " (--all lists revoked ones)"); `riffle keys create NAME` makes one")
            return
        }
        let dates = DateFormatter()
        dates.dateFormat = "yyyy-MM-dd HH:mm"
        let rows = [["ID", "NAME", "PREFIX", "LIMITS", "CREATED", "LAST USED", "REVOKED"]] + keys.map { key in
            [key.id, key.name.escapingControlCharacters(), key.prefix + "…", describeLimits(key.limits), dates.string(from: key.createdAt),
             key.lastUsedAt.map(dates.string) ?? "-", key.revokedAt.map(dates.string) ?? "-"]
        }
        let widths = (0..<rows[0].count).map { column in rows.map { $0[column].count }.max() ?? 0 }
        for row in rows {
            let cells = row.enumerated().map { column, cell in
                column == row.count - 1 ? cell : cell.padding(toLength: widths[column], withPad: " ", startingAt: 0)
            }
            printLine(cells.joined(separator: "  "))
        }
    }
}
