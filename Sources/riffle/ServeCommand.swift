import ArgumentParser
import Dispatch
import Foundation
import RiffleApp
import RiffleComposer
import RiffleCore
import RiffleEngine
import RiffleMusicGen
import RiffleServer

/// `riffle serve`: the HTTP API over the same library and engines as the studio and the commands.
struct ServeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve the music-generation HTTP API (and the AudioCraft tutorial's routes) over the library.",
        discussion: """
        POST /v1/music/generate answers 202 with a job id; poll GET /v1/jobs/{id}, follow its \
        Server-Sent Events at /v1/jobs/{id}/events, or ask for a signed webhook. The whole API is \
        described at /openapi.json. The server listens on 127.0.0.1 unless --host says otherwise; \
        any other address needs API keys (`riffle keys create NAME`), and once a key exists every \
        request needs one. SIGTERM or Ctrl-C stops it gracefully: running jobs finish (up to \
        --grace seconds, then they are cancelled and stay resumable) and due webhooks are sent.
        """
    )

    @OptionGroup var libraryOptions: LibraryOptions

    @Option(help: "The address to listen on.")
    var host = "127.0.0.1"

    @Option(help: "The port to listen on (0: any free port, printed when listening).")
    var port = 8080

    @Option(help: "The Composer's SoundFont (default: RIFFLE_SOUNDFONT, else the General MIDI SoundFont).")
    var soundfont: String?

    @OptionGroup var precision: PrecisionOption

    @Flag(help: "Deliver webhooks to loopback and private-network addresses too (a receiver on this machine).")
    var allowPrivateWebhooks = false

    @Option(help: "The largest JSON body accepted, in bytes (413 beyond).")
    var maxBodyBytes = 1 << 20

    @Option(help: "The largest audio upload accepted, in bytes (413 beyond).")
    var maxUploadBytes = 50 << 20

    @Option(help: "Seconds a stop waits for running jobs before cancelling them.")
    var grace: Double = 10

    @Option(help: .hidden)
    var webhookRetryDelays: String?

    func validate() throws {
        guard (0...65535).contains(port) else { throw ValidationError("--port: \(port) is out of range (allowed: 0 to 65535)") }
        guard maxBodyBytes > 0 else { throw ValidationError("--max-body-bytes: \(maxBodyBytes) must be more than 0") }
        guard maxUploadBytes > 0 else { throw ValidationError("--max-upload-bytes: \(maxUploadBytes) must be more than 0") }
        guard grace >= 0 else { throw ValidationError("--grace: \(grace) must be 0 or more seconds") }
        if let delays = webhookRetryDelays, parsedDelays(delays) == nil {
            throw ValidationError("--webhook-retry-delays: \(delays) is not a list of seconds (allowed: e.g. 5,300,1800)")
        }
    }

    private func parsedDelays(_ text: String) -> [Double]? {
        let values = text.split(separator: ",").map { Double($0.trimmingCharacters(in: .whitespaces)) }
        guard values.allSatisfy({ $0 != nil && $0! >= 0 }) else { return nil }
        return values.map { $0! }
    }

    func run() throws {
        // A server must hear SIGTERM: a parent that blocks it (a test runner's threads do) passes the mask on.
        var stopSignals = sigset_t()
        sigemptyset(&stopSignals)
        sigaddset(&stopSignals, SIGTERM)
        sigaddset(&stopSignals, SIGINT)
        pthread_sigmask(SIG_UNBLOCK, &stopSignals, nil)
        let catalog = PresetCatalog.standard()
        let service = try openService(libraryOptions, soundfont: soundfont, precision: precision.value, catalog: catalog)
        var options = ServerOptions(host: host, port: port, allowPrivateWebhooks: allowPrivateWebhooks, maxBodyBytes: maxBodyBytes,
                                    maxUploadBytes: maxUploadBytes, shutdownGrace: grace)
        if let delays = webhookRetryDelays.flatMap(parsedDelays) { options.webhookRetryDelays = delays }
        let library = service.library
        let soundfont = self.soundfont
        let server: APIServer
        do {
            server = try APIServer(service: service, options: options, catalog: catalog,
                                   engines: { describeEngines(service: service, library: library, soundfont: soundfont, catalog: catalog) },
                                   log: { printError($0) })
            try server.checkStartable()
        } catch {
            printError("riffle serve: \(error)")
            throw ExitStatus.badInput
        }
        let host = self.host
        let outcome = ServeOutcome()
        let done = DispatchSemaphore(value: 0)
        Task {
            do {
                try await server.run { port in
                    printLine("riffle serve: listening on http://\(host.contains(":") ? "[\(host)]" : host):\(port) (library \(library.directory.path))")
                    printLine("riffle serve: webhooks of jobs sent without a key are signed with \(server.localWebhookSecret)")
                    // Scripts and tests wait for the first line to find the port.
                    fflush(nil)
                }
            } catch {
                outcome.error = "\(error)"
            }
            done.signal()
        }
        done.wait()
        if let error = outcome.error {
            printError("riffle serve: \(error)")
            throw ExitStatus.fileError
        }
    }
}

/// How the server's task ended, read after it signalled.
private final class ServeOutcome: @unchecked Sendable {
    var error: String?
}

/// The engines this build has, for `GET /v1/engines`: the Composer, and MusicGen with each installed model.
func describeEngines(service: GenerationService, library: Library, soundfont: String?, catalog: PresetCatalog) -> [EngineDescription] {
    var composer = EngineDescription(name: "composer", isDefault: service.engines.defaultName == "composer", capabilities: [], models: [])
    do {
        let engine = try service.engine(named: "composer")
        composer.capabilities = engine.capabilities.names
        composer.models = [.init(name: engine.model)]
    } catch {
        composer.unavailable = error.description
    }
    let store = ModelStore(library: library.directory)
    let models = ((try? store.installed()) ?? []).map { model -> EngineDescription.Model in
        let info = try? ModelInfo(folder: model.folder)
        return .init(name: model.name, parameters: info.map { formatParameters($0.parameters) }, size: ByteCountText.format(model.bytes),
                     sampleRate: info?.sampleRate, channels: info?.channels)
    }
    let musicgen = EngineDescription(name: "musicgen", isDefault: service.engines.defaultName == "musicgen",
                                     capabilities: MusicGenEngine.offered.names, models: models,
                                     unavailable: models.isEmpty ? "no MusicGen model is installed (`riffle models pull facebook/musicgen-small`)" : nil)
    return [composer, musicgen]
}
