import ArgumentParser
import Dispatch
import Foundation
import RiffleApp
import RiffleComposer
import RiffleCore
import RiffleEngine

/// The Composer with `soundfont` (else RIFFLE_SOUNDFONT, else the GM SoundFont); throws why it
/// cannot start.
func composerEngine(soundfont: String?, catalog: PresetCatalog) throws -> ComposerEngine {
    let path = soundfont ?? ProcessInfo.processInfo.environment["RIFFLE_SOUNDFONT"]
    return try ComposerEngine(catalog: catalog, soundFont: path.map(URL.init(fileURLWithPath:)))
}

/// The engines this build has. The executable is the one place that names a concrete engine; each
/// starts only when a job needs it.
func engineRegistry(soundfont: String?, catalog: PresetCatalog) -> EngineRegistry {
    EngineRegistry([
        (name: "composer", start: { try composerEngine(soundfont: soundfont, catalog: catalog) }),
    ])
}

/// The application core over the library `libraryOptions` names, with this build's engines; for a
/// command that only reads (`reading`), over a library it cannot write too.
func openService(_ libraryOptions: LibraryOptions, soundfont: String?, catalog: PresetCatalog = PresetCatalog.standard(),
                 reading: Bool = false) throws -> GenerationService {
    GenerationService(library: try libraryOptions.open(reading: reading), engines: engineRegistry(soundfont: soundfont, catalog: catalog),
                      catalog: catalog)
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
