import Foundation
import RiffleApp
import Synchronization

/// Shows a job's progress on standard error, as the application core reports it: a bar with the
/// stage and ETA on a terminal, a line per finished take otherwise, nothing with `--json` when
/// standard error is not a terminal.
final class ProgressReporter: Sendable {
    private struct State {
        var lastDraw = Date.distantPast
        var stored = 0
    }
    private let state = Mutex(State())
    private let takes: Int
    private let isTerminal = isatty(STDERR_FILENO) == 1
    private let quiet: Bool

    init(takes: Int, quiet: Bool) {
        self.takes = takes
        self.quiet = quiet && isatty(STDERR_FILENO) != 1
    }

    /// Draws what `event` says; the command runs one job, so every event is about it.
    func show(_ event: JobEvent) {
        guard !quiet else { return }
        let line: String? = state.withLock { state in
            switch event {
            case .update(let update) where isTerminal && update.status == .processing:
                let now = Date()
                // A few redraws a second are plenty.
                guard now.timeIntervalSince(state.lastDraw) > 0.1 || update.isStatusChange else { return nil }
                state.lastDraw = now
                let eta = update.secondsLeft.map { String(format: "ETA %.1f s", $0) } ?? "ETA …"
                let width = 30
                let filled = Int(update.fraction * Double(width))
                return "\r[" + String(repeating: "#", count: filled) + String(repeating: "-", count: width - filled)
                    + String(format: "] %3d%% %@ · %@   ", Int(update.fraction * 100), update.stage, eta)
            case .takeStored(_, let takeID) where !isTerminal:
                state.stored += 1
                return "take \(takeID) done (\(state.stored)/\(takes))\n"
            default:
                return nil
            }
        }
        if let line { FileHandle.standardError.write(Data(line.utf8)) }
    }

    func finish() {
        if isTerminal && !quiet { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
    }
}
