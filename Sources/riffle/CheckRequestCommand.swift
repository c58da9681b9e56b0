import ArgumentParser
import Foundation
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

    func run() throws {
        let data: Data
        do {
            data = file == "-" ? FileHandle.standardInput.readDataToEndOfFile() : try Data(contentsOf: URL(fileURLWithPath: file))
        } catch {
            printError("riffle: \(file): cannot read: \(error.localizedDescription)")
            throw ExitStatus.fileError
        }
        let catalog = PresetCatalog.standard()
        let decoder = JSONDecoder()
        decoder.userInfo[.riffleKnownGenres] = catalog.genreNames
        do {
            // The normal form every front end stores: guidance from the genre, canonical genre name.
            let request = try RequestNormaliser(catalog: catalog).normalise(decoder.decode(GenerationRequest.self, from: data))
            try printJSON(request)
        } catch let error as RequestValidationError {
            printError("riffle: \(file): \(error)")
            throw ExitStatus.badInput
        } catch let error as DecodingError {
            printError("riffle: \(file): not a JSON object: \(jsonProblem(error))")
            throw ExitStatus.badInput
        }
    }

    private func jsonProblem(_ error: DecodingError) -> String {
        switch error {
        case .dataCorrupted(let context), .typeMismatch(_, let context), .valueNotFound(_, let context), .keyNotFound(_, let context):
            let underlying = (context.underlyingError as NSError?)?.userInfo[NSDebugDescriptionErrorKey] as? String
            return underlying ?? context.debugDescription
        @unknown default:
            return String(describing: error)
        }
    }
}
