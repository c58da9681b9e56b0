import ArgumentParser
import Foundation
import RiffleApp
import RiffleAudio
import RiffleEngine
import Synchronization

/// `riffle play ID`: a take through ALSA.
struct PlayCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "play", abstract: "Play a take through ALSA.",
        discussion: "Ctrl-C stops. --device takes any ALSA PCM name, for example hw:0 or file:'/tmp/out.raw',raw to capture the samples.")

    @Argument(help: "A take id (j…-N).")
    var id: String

    @Option(help: "The ALSA PCM to play on.")
    var device: String = "default"

    @OptionGroup var libraryOptions: LibraryOptions

    func run() throws {
        let service = try openService(libraryOptions, soundfont: nil, reading: true)
        let audio = try calling { () throws(AppError) in try service.audio(of: id).mix }
        let stop = Mutex(false)
        let interrupt = onInterrupt { stop.withLock { $0 = true } }
        defer { interrupt.cancel() }
        do {
            let output = try PCMOutput(device: device, sampleRate: audio.sampleRate, channelCount: audio.channelCount)
            if isatty(STDERR_FILENO) == 1 { printError("playing \(id) (\(formatDuration(audio.duration))) on \(device); Ctrl-C stops") }
            try output.play(audio) { stop.withLock { $0 } }
        } catch {
            printError("riffle: \(error)")
            throw ExitStatus.fileError
        }
    }
}
