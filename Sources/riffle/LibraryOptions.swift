import ArgumentParser
import Foundation
import RiffleApp

/// `--library PATH`, shared by every command that reads or writes the library.
struct LibraryOptions: ParsableArguments {
    @Option(help: "The library directory (default: RIFFLE_LIBRARY, else $XDG_DATA_HOME/riffle, else ~/.local/share/riffle).")
    var library: String?

    /// Opens the library, or reports why not and exits with status 4.
    func open() throws -> Library {
        do {
            return try Library(directory: Library.directory(option: library))
        } catch {
            printError("riffle: \(error)")
            throw ExitStatus.fileError
        }
    }
}

extension ExitStatus {
    /// An id that names no job or take.
    static let unknownID = ExitCode(3)
}
