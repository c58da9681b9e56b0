import ArgumentParser
import Foundation
import RiffleApp
import RiffleMusicGen

/// `riffle models pull facebook/musicgen-small`: downloads a model from Hugging Face.
struct ModelsPullCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pull",
        abstract: "Download a MusicGen model from Hugging Face into the library's models.",
        discussion: """
        Fetches the snapshot's config.json, safetensors weights (one file or shards) and tokenizer files \
        from one commit of the repository, each checked against the SHA-256 the hub lists. Files go to \
        <library>/models/.partial/NAME first; the model appears as <library>/models/NAME only when every \
        file is complete and checked. An interrupted pull resumes where it stopped (HTTP Range) when run again.

        HF_ENDPOINT sets the hub (default https://huggingface.co); HF_TOKEN is sent as a bearer token, \
        for private or gated models.
        """
    )

    @Argument(help: "The model's Hugging Face id, e.g. facebook/musicgen-small or facebook/musicgen-stereo-small.")
    var repo: String

    @Option(help: "The model's name in the library (default: the part after the owner, e.g. musicgen-small).")
    var name: String?

    @Option(help: "The branch, tag or commit to download.")
    var revision = "main"

    @OptionGroup var libraryOptions: LibraryOptions

    func run() throws {
        let store = modelStore(libraryOptions)
        let reporter = DownloadProgressReporter()
        let started = Date()
        let outcome = try callingModels { () throws -> ModelPull.Outcome in
            let repoID = try HubRepoID(repo)
            let pull = ModelPull(store: store, hub: HubClient(settings: try HubSettings.fromEnvironment()), layout: musicGenLayout)
            let interrupt = onInterrupt {
                reporter.finish()
                printError("riffle: interrupted; `riffle models pull \(repoID)` again resumes where this stopped")
                _exit(130)
            }
            defer { interrupt.cancel() }
            defer { reporter.finish() }
            return try pull.run(repoID, revision: revision, name: name,
                                checkConfig: { path in _ = try MusicGenConfig.load(path: path) },
                                check: { folder in _ = try ModelInfo(folder: folder) },
                                progress: reporter.show)
        }
        let model = outcome.model
        if outcome.alreadyInstalled {
            printLine("\(repo) is already installed as \(model.name) (\(model.folder))")
            return
        }
        let seconds = Date().timeIntervalSince(started)
        let resumed = outcome.bytesResumed > 0 ? " (\(ByteCountText.format(outcome.bytesResumed)) resumed from an earlier run)" : ""
        printLine("pulled \(repo) (commit \(outcome.commit.map { String($0.prefix(12)) } ?? "?")) as \(model.name): \(outcome.files) files, "
                  + "\(ByteCountText.format(model.bytes))\(resumed) in \(formatDuration(seconds)) → \(model.folder)")
    }
}
