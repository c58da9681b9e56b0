import ArgumentParser
import Foundation
import RiffleApp

/// `--library PATH`, shared by every command that reads or writes the library.
struct LibraryOptions: ParsableArguments {
    @Option(help: "The library directory (default: RIFFLE_LIBRARY, else $XDG_DATA_HOME/riffle, else ~/.local/share/riffle).")
    var library: String?

    /// Opens the library, or reports why not and exits with status 4. A command that only reads
    /// (`reading`) also works on a library it cannot write: a read-only one, or one on a full disk.
    func open(reading: Bool = false) throws -> Library {
        do {
            let directory = Library.directory(option: library)
            return reading ? try Library.openForReading(directory: directory) : try Library(directory: directory)
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
