import ArgumentParser
import Foundation
import RiffleApp
import RiffleMusicGen

/// `riffle models add DIR [--name N]`: installs a snapshot folder by copying it.
struct ModelsAddCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "add",
        abstract: "Install a MusicGen snapshot folder into the library's models.",
        discussion: """
        DIR is a Hugging Face snapshot of a MusicGen model: config.json (model_type "musicgen"), \
        model.safetensors or its shards with model.safetensors.index.json, and spiece.model. It is \
        checked first, then its files are copied (symbolic links followed, so a folder of the hub's \
        cache works) into <library>/models/NAME, which appears only when the copy is complete.
        """
    )

    @Argument(help: "The snapshot folder.")
    var folder: String

    @Option(help: "The model's name in the library (default: the folder's name).")
    var name: String?

    @OptionGroup var libraryOptions: LibraryOptions

    func run() throws {
        let store = modelStore(libraryOptions)
        let model = try callingModels {
            try store.add(from: folder, name: name, layout: musicGenLayout) { folder in _ = try ModelInfo(folder: folder) }
        }
        printLine("installed \(model.name): \(ByteCountText.format(model.bytes)) in \(model.folder)")
    }
}
