import ArgumentParser
import Foundation
import RiffleAudio
import RiffleCore

/// `riffle check-request FILE`: validate a generation request written as JSON.
struct CheckRequestCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check-request",
        abstract: "Check a generation request in JSON and print it as Riffle stores it, every default filled in.",
        discussion: """
        Reads a JSON object with the common music-generation fields (prompt, duration, genre, tempo, key,
        time_signature, num_variations, seed, temperature, top_k, top_p, guidance_scale, sample_rate,
        format) from FILE, or from standard input when FILE is -. Every problem is reported at once;
        the exit status is 2 when there are any.
        """
    )

    @Argument(help: "A JSON file, or - for standard input.")
    var file: String

    /// A request is a few hundred bytes; anything past this is not one, and is not read into memory.
    static let maximumSize = 1 << 20

    func run() throws {
        let data: Data
        do {
            let handle = file == "-" ? FileHandle.standardInput : try FileHandle(forReadingFrom: URL(fileURLWithPath: file))
            data = try handle.read(upToCount: Self.maximumSize + 1) ?? Data()
        } catch {
            printError("riffle: cannot read \(file): \(FileTarget.reason(of: error))")
            throw ExitStatus.fileError
        }
        guard data.count <= Self.maximumSize else {
            printError("riffle: \(file): the request is larger than \(Self.maximumSize / 1024) KiB (allowed: a JSON object of at most that size)")
            throw ExitStatus.badInput
        }
        let catalog = PresetCatalog.standard()
        do {
            // The normal form every front end stores: guidance from the genre, canonical genre name.
            let request = try RequestNormaliser(catalog: catalog).normalise(RequestJSON.decode(data, knownGenres: catalog.genreNames))
            try printJSON(request)
        } catch let error as RequestValidationError {
            printError("riffle: \(file): \(error)")
            throw ExitStatus.badInput
        } catch let error as MalformedJSON {
            printError("riffle: \(file): not a JSON object: \(error)")
            throw ExitStatus.badInput
        }
    }
}
