import ArgumentParser
import Dispatch
import Foundation
import RiffleApp
import RiffleComposer
import RiffleCore
import RiffleEngine
import RiffleMusicGen

/// The Composer with `soundfont` (else RIFFLE_SOUNDFONT, else the GM SoundFont); throws why it
/// cannot start.
func composerEngine(soundfont: String?, catalog: PresetCatalog) throws -> ComposerEngine {
    let path = soundfont ?? ProcessInfo.processInfo.environment["RIFFLE_SOUNDFONT"]
    return try ComposerEngine(catalog: catalog, soundFont: path.map(URL.init(fileURLWithPath:)))
}

/// The engines this build has. The executable is the one place that names a concrete engine; each
/// starts only when a job needs it, MusicGen once per model a request names.
func engineRegistry(soundfont: String?, precision: WeightPrecision, modelsFolder: URL, catalog: PresetCatalog) -> EngineRegistry {
    EngineRegistry(models: [
        (name: "composer", start: { _ in try composerEngine(soundfont: soundfont, catalog: catalog) }),
        (name: "musicgen", start: { model in
            let folder: String
            do { folder = try musicGenFolder(model, store: ModelStore(folder: modelsFolder)) } catch { throw EngineError.failed("\(error)") }
            return try MusicGenEngine(folder: folder, precision: precision, catalog: catalog)
        }),
    ], defaultName: "composer")
}

/// The snapshot folder a request's `model` names; with none, musicgen-small if it is installed, else the
/// only model installed (several: the user must say which).
func musicGenFolder(_ model: String?, store: ModelStore) throws -> String {
    if let model { return try store.resolve(model) }
    let installed = try store.installed()
    if let small = installed.first(where: { $0.name == "musicgen-small" }) { return small.folder }
    if installed.count == 1 { return installed[0].folder }
    if installed.isEmpty { return try store.resolve("musicgen-small") }  // says how to get one
    throw AppError(.badInput, "several MusicGen models are installed (\(installed.map(\.name).joined(separator: ", "))): choose one with --model")
}

/// The application core over the library `libraryOptions` names, with this build's engines; for a
/// command that only reads (`reading`), over a library it cannot write too.
func openService(_ libraryOptions: LibraryOptions, soundfont: String?, precision: WeightPrecision = .fp32,
                 catalog: PresetCatalog = PresetCatalog.standard(), reading: Bool = false) throws -> GenerationService {
    let library = try libraryOptions.open(reading: reading)
    let registry = engineRegistry(soundfont: soundfont, precision: precision, modelsFolder: library.directory.appendingPathComponent("models"),
                                  catalog: catalog)
    return GenerationService(library: library, engines: registry, catalog: catalog)
}

/// Says what the application core refused, and gives the exit status for it.
func fail(_ error: AppError) -> ExitCode {
    printError("riffle: \(error)")
    switch error.kind {
    case .badInput, .conflict: return ExitStatus.badInput
    case .unknownID: return ExitStatus.unknownID
    case .fileError, .engineFailed: return ExitStatus.fileError
    }
}

/// Runs `body`, turning an ``AppError`` into its message and exit status.
func calling<T>(_ body: () throws(AppError) -> T) throws -> T {
    do {
        return try body()
    } catch {
        throw fail(error)
    }
}

/// Runs `handler` on Ctrl-C instead of letting it kill the process, so a command can cancel its work
/// cleanly (finished takes kept, the job recorded). Cancel the returned source when done.
func onInterrupt(_ handler: @escaping @Sendable () -> Void) -> any DispatchSourceSignal {
    signal(SIGINT, SIG_IGN)
    let source = DispatchSource.makeSignalSource(signal: SIGINT, queue: .global())
    source.setEventHandler(handler: handler)
    source.resume()
    return source
}
