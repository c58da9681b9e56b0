import ArgumentParser
import Dispatch
import Foundation
import RiffleAudio
import RiffleComposer
import RiffleCore

/// The Composer engine with `soundfont` (else RIFFLE_SOUNDFONT, else the GM SoundFont); throws why
/// it cannot start.
func composerEngine(soundfont: String?, catalog: PresetCatalog) throws -> ComposerEngine {
    let path = soundfont ?? ProcessInfo.processInfo.environment["RIFFLE_SOUNDFONT"]
    return try ComposerEngine(catalog: catalog, soundFont: path.map(URL.init(fileURLWithPath:)))
}

/// The Composer engine, or a message saying why it cannot start and exit status 4.
func startEngine(soundfont: String?, catalog: PresetCatalog = PresetCatalog.standard()) throws -> ComposerEngine {
    do {
        return try composerEngine(soundfont: soundfont, catalog: catalog)
    } catch {
        printError("riffle: \(error)")
        throw ExitStatus.fileError
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
