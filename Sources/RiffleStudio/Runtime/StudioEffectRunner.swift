import Dispatch
import Foundation
import RiffleApp
import RiffleAudio
import RiffleCore
import RiffleEngine
import Synchronization

/// Carries out the reducer's effects through the application core, off the UI thread.
///
/// Called on the main thread, it never blocks it: the player's commands only set what its audio
/// thread reads; everything that touches the library, the engine or a file runs on a Dispatch queue,
/// and every result comes back as an event through the inbox (never by calling the reducer from
/// here). The main loop hands inbox events back through ``absorb(_:playing:)``.
public final class StudioEffectRunner {
    let service: GenerationService
    let player: Player
    let inbox: StudioInbox
    /// What every generated take writes beside its audio (`--stems` adds stems).
    let outputs: TakeOutputs
    /// Where Export puts a take.
    let exportFolder: URL
    /// The engines and installed models new jobs can go to; reads folders, so runs on `listing`.
    let listEngines: @Sendable () -> EngineCatalog
    /// Library reads and writes, in the order asked.
    private let work = DispatchQueue(label: "riffle.studio.library", qos: .userInitiated)
    /// Decoding takes for the player: never behind a slow library write.
    private let loading = DispatchQueue(label: "riffle.studio.loading", qos: .userInitiated)
    /// Listing the engines, one listing at a time so they arrive in the order asked.
    private let listing = DispatchQueue(label: "riffle.studio.engines", qos: .userInitiated)
    /// The understood line, as the prompt changes: cheap, but never behind anything else.
    private let interpreting = DispatchQueue(label: "riffle.studio.interpret", qos: .userInteractive)
    /// The newest interpretation asked for: older ones still queued are skipped.
    private let interpretations = Tickets()
    /// Takes ready to play, by id (a few: each is tens of MB). Main thread only.
    private var sources: [String: Player.Source] = [:]
    private var recentTakes: [String] = []
    /// What to do with a take once it has loaded: play from a position, or switch to it (`nil`).
    private var pendingPlayback: (takeID: String, play: Double?)?
    private var observation: Int?
    /// The reducer asked to quit.
    public private(set) var quitRequested = false

    /// - Parameter engines: lists the engines and installed models (the executable knows which there
    ///   are); called off the UI thread when the studio starts and whenever the picker opens.
    public init(service: GenerationService, player: Player, inbox: StudioInbox, outputs: TakeOutputs, exportFolder: URL,
                engines: @escaping @Sendable () -> EngineCatalog) {
        self.listEngines = engines
        self.service = service
        self.player = player
        self.inbox = inbox
        self.outputs = outputs
        self.exportFolder = exportFolder
    }

    /// Starts listening to the service, reads the library's recent jobs and lists the engines; probes
    /// `device` once so a missing sound card is said at once, not at the first Space.
    public func start(device: String, jobLimit: Int = 200) {
        let inbox = self.inbox
        observation = service.observe { [work, service] event in
            switch event {
            case .created(let job):
                inbox.post(.jobAdded(StudioItems.job(job, takes: [])))
            case .update(let update):
                inbox.post(.jobUpdated(StudioItems.progress(update)))
            case .takeStored(let jobID, _):
                work.async { Self.postTakes(of: jobID, service: service, inbox: inbox) }
            case .removed(let jobID, let reason):
                inbox.post(.jobRemoved(jobID: jobID, reason: reason))
            }
        }
        inBackground("Cannot read the library") { service in
            let jobs = try service.library.jobs(limit: jobLimit)
            let takes = try service.library.takes(ofJobs: jobs.map(\.id))
            let items = jobs.enumerated().map { index, job in StudioItems.job(job, takes: takes[job.id] ?? [], expanded: index == 0) }
            inbox.post(.jobsLoaded(items))
        }
        perform(.listEngines, playing: nil)
        // Not on the library queue: opening a device can block (a FIFO with no reader does until one
        // comes), and the library's jobs must load meanwhile.
        DispatchQueue.global(qos: .utility).async {
            do {
                _ = try PCMOutput(device: device, sampleRate: 44100, channelCount: 2)
            } catch {
                inbox.post(.audioUnavailable("\(error)"))
            }
        }
    }

    /// Carries out `effect`; `playing` is the take in the player, as the state says.
    public func perform(_ effect: StudioEffect, playing: String?) {
        switch effect {
        case .generate(let request):
            let (outputs, inbox) = (self.outputs, self.inbox)
            inBackground("Cannot generate") { service in
                let submission = try service.generate(request, outputs: outputs)
                if submission.cached { try Self.showCached(submission.jobID, service: service, inbox: inbox) }
            }
        case .interpret(let request):
            let (service, inbox, tickets) = (self.service, self.inbox, interpretations)
            let ticket = tickets.next()
            interpreting.async {
                // Only the newest prompt's reading is shown, so keys typed (or pasted without brackets) in a
                // burst cost one interpretation, not one per key: each costs time in the prompt's length.
                guard tickets.isNewest(ticket) else { return }
                let empty = request.prompt.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty && request.genre == nil && request.tempo == nil
                let reading = empty ? nil : service.interpret(request)
                inbox.post(.understood(reading?.summary ?? "", unused: reading?.unusedWords ?? [], notes: reading?.notes ?? []))
            }
        case .listEngines:
            let (list, inbox) = (listEngines, self.inbox)
            listing.async { inbox.post(.enginesListed(list())) }
        case .loadWaveform(let id):
            let inbox = self.inbox
            inBackground("Cannot draw \(id)") { service in inbox.post(.waveformLoaded(StudioItems.waveform(try service.waveform(of: id)))) }
        case .play(let id, let start):
            if let source = sources[id] { player.play(source, from: start) } else { load(id, then: (id, start)) }
        case .pause:
            pendingPlayback = nil
            player.pause()
        case .resume: player.resume()
        case .seek(let seconds): player.seek(to: seconds)
        case .switchTake(let id):
            if let source = sources[id] { player.switchTo(source) } else { load(id, then: (id, nil)) }
        case .setLoop(let region): player.setLoop(region)
        case .setMuted(let stems): player.setMuted(stems)
        case .rate(let id, let stars): inBackground("Rating \(id)") { try $0.rate(id, stars: stars) }
        case .pick(let id): inBackground("Picking \(id)") { try $0.pick(id) }
        case .cancel(let jobID): inBackground("Cancel \(jobID)") { try $0.cancel(jobID) }
        case .resumeJob(let jobID): inBackground("Resume \(jobID)") { _ = try $0.resume(jobID) }
        case .repaint(let id, let from, let to, let prompt): edit(id, .repaint(from: from, to: to, prompt: prompt))
        case .extend(let id, let seconds): edit(id, .extend(seconds: seconds))
        case .restyle(let id, let genre): edit(id, .restyle(genre: genre))
        case .stems(let id): makeStems(id)
        case .export(let id, let path): export(id, to: path)
        case .delete(let id):
            if playing == nil || playing == id { player.pause() }
            forget(id)
            let inbox = self.inbox
            inBackground("Delete \(id)") { service in
                let jobID = try service.library.take(id)?.jobID
                try service.delete(id)
                inbox.post(.takeDeleted(id))
                // The service deletes a finished job with its last take.
                if let jobID, try service.library.job(jobID) == nil {
                    inbox.post(.jobDeleted(jobID))
                    inbox.post(.notice("Deleted \(id), and its job \(jobID), which has no takes left", isError: false))
                } else {
                    inbox.post(.notice("Deleted \(id)", isError: false))
                }
            }
        case .quit: quitRequested = true
        }
    }

    /// Takes what came back through the inbox; returns the actions for the reducer.
    public func absorb(_ event: StudioInbox.Event, playing: String?) -> [StudioAction] {
        switch event {
        case .action(let action):
            return [action]
        case .audioLoaded(let source):
            remember(source, playing: playing)
            if let pending = pendingPlayback, pending.takeID == source.id {
                pendingPlayback = nil
                if let start = pending.play { player.play(source, from: start) } else { player.switchTo(source) }
            }
            return []
        case .audioLoadFailed(let takeID, let reason):
            if pendingPlayback?.takeID == takeID { pendingPlayback = nil }
            return [.notice("Cannot play \(takeID): \(reason)", isError: true)]
        case .stemsWritten(let takeID, let folder):
            forget(takeID)
            return [.stemsMade(takeID: takeID, folder: folder)]
        }
    }

    /// Cancels the jobs still running (recorded as cancelled; finished takes stay), lets pending
    /// library writes land, and stops the player.
    public func shutDown() {
        if let observation { service.stopObserving(observation) }
        service.cancelAll(timeout: 5)
        work.sync {}
        player.shutDown()
    }

    // MARK: Work

    /// Runs `body` on the library queue; a failure comes back as an error message after `what`.
    private func inBackground(_ what: String, _ body: @escaping @Sendable (GenerationService) throws -> Void) {
        let (service, inbox) = (self.service, self.inbox)
        work.async {
            do { try body(service) } catch { inbox.post(.notice("\(what): \(error)", isError: true)) }
        }
    }

    private static func postTakes(of jobID: String, service: GenerationService, inbox: StudioInbox) {
        do {
            inbox.post(.takesLoaded(jobID: jobID, try service.library.takes(ofJob: jobID).map(StudioItems.take)))
        } catch {
            inbox.post(.notice("Cannot read the takes of \(jobID): \(error)", isError: true))
        }
    }

    /// The same request and seed were made before: that job comes back to the top with its takes.
    private static func showCached(_ jobID: String, service: GenerationService, inbox: StudioInbox) throws {
        guard let job = try service.library.job(jobID) else { return }
        inbox.post(.jobAdded(StudioItems.job(job, takes: try service.library.takes(ofJob: jobID), expanded: true)))
        inbox.post(.notice("Already made with this seed: \(jobID)'s takes (unlock the seed, or change something, for new ones)", isError: false))
    }

    private func edit(_ takeID: String, _ edit: TakeEdit) {
        inBackground("Cannot \(edit.verb) \(takeID)") { _ = try $0.edit(takeID, edit) }
    }

    private func makeStems(_ id: String) {
        let (service, inbox) = (self.service, self.inbox)
        inbox.post(.notice("Making the stems of \(id)…", isError: false))
        // Off the library queue: a neural engine's separation may take a while.
        DispatchQueue.global(qos: .userInitiated).async {
            do {
                let paths = try service.stems(of: id)
                let folder = paths.values.first.map { URL(fileURLWithPath: $0).deletingLastPathComponent().path } ?? ""
                inbox.post(StudioInbox.Event.stemsWritten(takeID: id, folder: folder))
            } catch {
                inbox.post(.notice("Stems of \(id): \(error)", isError: true))
            }
        }
    }

    private func export(_ id: String, to path: String) {
        let (inbox, folder) = (self.inbox, exportFolder)
        inBackground("Export of \(id)") { service in
            // As a shell would read it: ~ is the home folder, a relative path is in the studio's folder.
            let expanded = (path as NSString).expandingTildeInPath
            let file = expanded.hasPrefix("/") ? expanded : folder.appendingPathComponent(expanded).path
            let exported = try service.export(id, to: file)
            let extras = [exported.midi.map { _ in "MIDI" }, exported.stems.map { _ in "stems" }].compactMap { $0 }
            inbox.post(.notice("Exported \(id) to \(exported.audio)" + (extras.isEmpty ? "" : " with its \(extras.joined(separator: " and "))"),
                               isError: false))
        }
    }

    // MARK: The player's takes

    /// Decodes take `id` for the player, then does `then` with it.
    private func load(_ id: String, then: (String, Double?)) {
        pendingPlayback = then
        let (service, inbox) = (self.service, self.inbox)
        loading.async {
            do {
                let audio = try service.audio(of: id)
                inbox.post(.audioLoaded(Player.Source(id: id, mix: audio.mix, stems: audio.stems.map(\.audio))))
            } catch {
                inbox.post(.audioLoadFailed(takeID: id, "\(error)"))
            }
        }
    }

    /// Keeps a decoded take, dropping the least recently loaded beyond three (the playing one stays).
    private func remember(_ source: Player.Source, playing: String?) {
        sources[source.id] = source
        recentTakes.removeAll { $0 == source.id }
        recentTakes.append(source.id)
        var kept = 0
        while recentTakes.count > 3, kept < recentTakes.count {
            let oldest = recentTakes.removeFirst()
            guard oldest != playing else {
                // The take in the player stays; it goes to the back of the line.
                recentTakes.append(oldest)
                kept += 1
                continue
            }
            sources[oldest] = nil
        }
    }

    /// Numbers handed out in order, to tell the newest request from those it replaced.
    final class Tickets: Sendable {
        private let issued = Atomic<Int>(0)

        func next() -> Int { issued.add(1, ordering: .relaxed).newValue }

        func isNewest(_ ticket: Int) -> Bool { issued.load(ordering: .relaxed) == ticket }
    }

    private func forget(_ id: String) {
        sources[id] = nil
        recentTakes.removeAll { $0 == id }
    }
}
