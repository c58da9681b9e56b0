import Dispatch
import Foundation
import RiffleAudio
import RiffleComposer
import RiffleCore
import RiffleLibrary
import RiffleTUI

/// The studio's main loop: keys and news from other threads become actions, the reducer changes
/// the state, effects run here or on Dispatch queues, and the screen is drawn when the state changed.
///
/// Everything in this class runs on the main thread, which owns the state and every ncurses call.
/// It sleeps in `poll` on the keyboard and the inbox's pipe, so an idle studio uses no CPU; while a
/// take plays it wakes 20 times a second to move the playhead.
final class StudioRuntime {
    var state: StudioState
    let library: Library
    let engine: ComposerEngine?
    let player: Player
    let inbox = StudioInbox()
    let queue: JobQueue
    /// Library reads and writes, and decoding takes, off the main thread, in order.
    let work = DispatchQueue(label: "riffle.studio.work", qos: .userInitiated)
    /// Write every generated take's stems (`--stems`).
    let writeStems: Bool
    /// Takes ready to play, by id (a few: each is tens of MB).
    var sources: [String: Player.Source] = [:]
    var waveforms: [String: WaveformItem] = [:]
    var recentTakes: [String] = []
    /// What to do with a take once it has loaded.
    var pendingPlayback: (takeID: String, play: Double?)?
    var running = true
    /// Said in the status bar once the studio is up (an engine that did not start, presets skipped).
    var startupNotice: String?
    private var terminal: Terminal?
    private var drawnState: StudioState?
    private let trace: StudioTrace?

    init(state: StudioState, library: Library, engine: ComposerEngine?, device: String, writeStems: Bool) {
        self.state = state
        self.library = library
        self.engine = engine
        self.writeStems = writeStems
        let inbox = self.inbox
        player = Player(device: device) { problem in inbox.post(.audioUnavailable(problem)) }
        // One job at a time: each already renders its takes on every core.
        queue = JobQueue(limit: 1) { update in inbox.post(.jobUpdated(StudioItems.progress(update))) }
        trace = StudioTrace(environment: ProcessInfo.processInfo.environment)
    }

    /// Runs the studio until the user quits; the terminal is restored however it ends.
    func run(theme choose: @escaping (Int) -> Theme, device: String) {
        let terminal = Terminal(theme: choose)
        self.terminal = terminal
        defer { terminal.end() }
        // A SIGINT sent from outside (the keyboard's Ctrl-C arrives as a key) quits the same way.
        signal(SIGINT, SIG_IGN)
        let interrupt = DispatchSource.makeSignalSource(signal: SIGINT, queue: .global())
        let inbox = self.inbox
        interrupt.setEventHandler { inbox.post(.key(.ctrlC)) }
        interrupt.resume()
        defer { interrupt.cancel() }

        let size = terminal.size
        dispatch(.resized(width: size.width, height: size.height))
        loadLibrary()
        if let startupNotice { dispatch(.notice(startupNotice, isError: true)) }
        probeAudio(device)
        while running {
            draw()
            waitForInput()
            handle(terminal.read())
            for event in inbox.take() { handle(event) }
            if state.playback.isPlaying { followPlayer() }
        }
        shutDown()
    }

    // MARK: The loop's steps

    private func waitForInput() {
        var fds = [pollfd(fd: STDIN_FILENO, events: Int16(POLLIN), revents: 0), pollfd(fd: inbox.readEnd, events: Int16(POLLIN), revents: 0)]
        // Idle: sleep until a key or news. Playing: wake for the playhead.
        let timeout: Int32 = state.playback.isPlaying ? 50 : -1
        _ = poll(&fds, nfds_t(fds.count), timeout)
        trace?.woke()
    }

    private func handle(_ inputs: [Terminal.Input]) {
        for input in inputs {
            guard case .key(let key) = input else {
                // A resize: ncurses has the new size already.
                if let size = terminal?.size {
                    terminal?.invalidate()
                    dispatch(.resized(width: size.width, height: size.height))
                }
                continue
            }
            if key == .redraw {
                terminal?.invalidate()
                drawnState = nil
                continue
            }
            trace?.key()
            dispatch(.key(key))
        }
    }

    private func handle(_ event: StudioInbox.Event) {
        switch event {
        case .action(let action):
            dispatch(action)
            if case .jobUpdated(let progress) = action, progress.status.isFinished { jobFinished(progress) }
        case .loaded(let source, let waveform):
            remember(source, waveform)
            dispatch(.waveformLoaded(waveform))
            if let pending = pendingPlayback, pending.takeID == source.id {
                pendingPlayback = nil
                if let start = pending.play { player.play(source, from: start) } else { player.switchTo(source) }
            }
        case .loadFailed(let takeID, let reason):
            if pendingPlayback?.takeID == takeID { pendingPlayback = nil }
            dispatch(.notice("Cannot load \(takeID): \(reason)", isError: true))
        }
    }

    /// Runs `action` through the reducer and carries out the effects it asks for.
    func dispatch(_ action: StudioAction) {
        for effect in StudioReducer.reduce(&state, action) { perform(effect) }
    }

    private func followPlayer() {
        let status = player.status
        dispatch(.playback(takeID: status.sourceID, position: status.position, playing: status.isPlaying))
    }

    private func draw() {
        guard let terminal, state != drawnState else { return }
        let started = DispatchTime.now().uptimeNanoseconds
        var buffer = ScreenBuffer(width: state.width, height: state.height)
        StudioView.render(state, into: &buffer)
        let rendered = DispatchTime.now().uptimeNanoseconds
        terminal.draw(buffer, cursor: StudioView.cursor(state))
        trace?.frame(render: rendered - started, draw: DispatchTime.now().uptimeNanoseconds - rendered)
        drawnState = state
    }

    // MARK: Start and end

    private func loadLibrary() {
        do {
            let jobs = try library.jobs().prefix(200)
            var items: [JobItem] = []
            for (index, job) in jobs.enumerated() {
                items.append(StudioItems.job(job, takes: try library.takes(ofJob: job.id), expanded: index == 0))
            }
            dispatch(.jobsLoaded(items))
        } catch {
            dispatch(.notice("Cannot read the library: \(error)", isError: true))
        }
    }

    /// Opens the device once at the start, so a missing sound card is said at once, not at the first Space.
    private func probeAudio(_ device: String) {
        let inbox = self.inbox
        work.async {
            do {
                _ = try PCMOutput(device: device, sampleRate: 44100, channelCount: 2)
            } catch {
                inbox.post(.audioUnavailable("\(error)"))
            }
        }
    }

    private func shutDown() {
        // Jobs still running are cancelled and recorded as such; finished takes stay.
        let unfinished = state.jobs.filter { !$0.status.isFinished }.map(\.id)
        for id in unfinished { queue.cancel(id) }
        let idle = DispatchSemaphore(value: 0)
        let queue = self.queue
        DispatchQueue.global().async {
            queue.waitUntilIdle()
            idle.signal()
        }
        _ = idle.wait(timeout: .now() + 5)
        for id in unfinished where (try? library.job(id))??.status.isFinished == false {
            try? library.update(job: id, to: .cancelled)
        }
        // Ratings, picks and deletes still on their way to the library land before the process ends.
        work.sync {}
        player.shutDown()
        trace?.write()
    }
}
