import Dispatch
import Foundation
import RiffleStudio

/// The studio's main loop: keys and news from other threads become actions, the reducer changes
/// the state, the effect runner carries out what it asks for, and the screen is drawn when the state
/// changed.
///
/// Everything here runs on the main thread, which owns the state and every ncurses call; no file or
/// database is touched here. It sleeps in `poll` on the keyboard and the inbox's pipe, so an idle
/// studio uses no CPU; while a take plays it wakes 20 times a second to move the playhead.
public final class StudioLoop {
    private(set) var state: StudioState
    private let runner: StudioEffectRunner
    private let inbox: StudioInbox
    private let player: PlayerStatusSource
    private var terminal: Terminal?
    private var drawnState: StudioState?
    private let trace: StudioTrace?

    /// Where the playhead is: the player's status, read when a frame is due.
    public typealias PlayerStatusSource = () -> (takeID: String?, position: Double, playing: Bool)

    public init(state: StudioState, runner: StudioEffectRunner, inbox: StudioInbox, playerStatus: @escaping PlayerStatusSource) {
        self.state = state
        self.runner = runner
        self.inbox = inbox
        self.player = playerStatus
        trace = StudioTrace(environment: ProcessInfo.processInfo.environment)
    }

    /// Runs the studio until the user quits; the terminal is restored however it ends.
    /// - Parameter notice: said in the status bar once the studio is up (an engine that did not start).
    public func run(theme choose: @escaping (Int) -> Theme, notice: String?) {
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
        if let notice { dispatch(.notice(notice, isError: true)) }
        while !runner.quitRequested {
            draw()
            waitForInput()
            handle(terminal.read())
            for event in inbox.take() {
                for action in runner.absorb(event, playing: state.playback.takeID) { dispatch(action) }
            }
            if state.playback.isPlaying { followPlayer() }
        }
        runner.shutDown()
        trace?.write()
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
        for input in Self.grouped(inputs) {
            switch input {
            case .resize:
                // ncurses has the new size already.
                if let size = terminal?.size {
                    terminal?.invalidate()
                    dispatch(.resized(width: size.width, height: size.height))
                }
            case .key(.redraw):
                terminal?.invalidate()
                drawnState = nil
            case .key(let key):
                trace?.key()
                dispatch(.key(key))
            case .typed(let text):
                trace?.key()
                dispatch(.typed(text))
            case .paste(let text):
                trace?.paste()
                dispatch(.paste(text))
            case .mouse(let event):
                trace?.key()
                dispatch(.mouse(event))
            }
        }
    }

    /// What one read brought, with each run of two or more characters as one ``Grouped/typed(_:)``:
    /// a terminal that does not bracket pastes sends a paste as a burst of keys, and the prompt takes
    /// the burst as one edit (the reducer does to it what the keys one by one would do).
    enum Grouped: Equatable {
        case key(Key)
        case typed(String)
        case paste(String)
        case mouse(MouseEvent)
        case resize
    }

    static func grouped(_ inputs: [Terminal.Input]) -> [Grouped] {
        var grouped: [Grouped] = []
        var run = ""
        func flush() {
            if run.count == 1, let character = run.first { grouped.append(.key(.character(character))) }
            if run.count > 1 { grouped.append(.typed(run)) }
            run = ""
        }
        for input in inputs {
            if case .key(.character(let character)) = input {
                run.append(character)
                continue
            }
            flush()
            switch input {
            case .key(let key): grouped.append(.key(key))
            case .paste(let text): grouped.append(.paste(text))
            case .mouse(let event): grouped.append(.mouse(event))
            case .resize: grouped.append(.resize)
            }
        }
        flush()
        return grouped
    }

    /// Runs `action` through the reducer and hands the effects it asks for to the runner.
    private func dispatch(_ action: StudioAction) {
        for effect in StudioReducer.reduce(&state, action) { runner.perform(effect, playing: state.playback.takeID) }
    }

    private func followPlayer() {
        let status = player()
        dispatch(.playback(takeID: status.takeID, position: status.position, playing: status.playing))
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
}
