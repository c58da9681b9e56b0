import ArgumentParser
import Foundation
import RiffleApp
import RiffleMusicGen

/// `riffle models`: the MusicGen models installed in the library, and adding or downloading one.
struct ModelsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "models",
        abstract: "List, add and download MusicGen models.",
        discussion: """
        Models live in the library's models/ folder, one Hugging Face snapshot folder per model \
        (config.json, the safetensors weights, spiece.model). `riffle models` lists them; \
        `riffle models add DIR` installs a snapshot folder; `riffle models pull facebook/musicgen-small` \
        downloads one from Hugging Face.
        """,
        subcommands: [ModelsListCommand.self, ModelsAddCommand.self, ModelsPullCommand.self],
        defaultSubcommand: ModelsListCommand.self
    )
}

/// The files Riffle keeps of a MusicGen snapshot, for `add` and `pull`.
let musicGenLayout = SnapshotLayout(required: ModelInfo.snapshotFiles.required, optional: ModelInfo.snapshotFiles.optional)

/// The models folder of the library `--library` names (the library's database is not opened).
func modelStore(_ libraryOptions: LibraryOptions) -> ModelStore {
    ModelStore(library: Library.directory(option: libraryOptions.library))
}

/// Runs `body`, turning a model's problem (a ``CheckpointError``: bad input, exit 2) or the application
/// core's refusal (an ``AppError``) into its message and exit status.
func callingModels<T>(_ body: () throws -> T) throws -> T {
    do {
        return try body()
    } catch let error as CheckpointError {
        printError("riffle: \(error)")
        throw ExitStatus.badInput
    } catch let error as AppError {
        throw fail(error)
    }
}

/// "590.4M" parameters.
func formatParameters(_ count: Int) -> String {
    switch count {
    case ..<1000: "\(count)"
    case ..<999_950: String(format: "%.1fK", Double(count) / 1e3)
    case ..<999_950_000: String(format: "%.1fM", Double(count) / 1e6)
    default: String(format: "%.2fB", Double(count) / 1e9)
    }
}

/// "mono", "stereo", "4 channels".
func describeChannels(_ count: Int) -> String {
    count == 1 ? "mono" : count == 2 ? "stereo" : "\(count) channels"
}
