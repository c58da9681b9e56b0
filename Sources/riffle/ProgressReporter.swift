import Foundation
import RiffleAudio
import Synchronization

/// Shows a batch's progress on standard error: a bar with an ETA on a terminal, a line per finished
/// take otherwise, nothing with `--json` when standard error is not a terminal.
final class ProgressReporter: Sendable {
    private struct State {
        var fractions: [Double]
        var lastDraw = Date.distantPast
        var finished = 0
    }
    private let state: Mutex<State>
    private let started = Date()
    private let isTerminal = isatty(STDERR_FILENO) == 1
    private let quiet: Bool

    init(takes: Int, quiet: Bool) {
        state = Mutex(State(fractions: Array(repeating: 0, count: takes)))
        self.quiet = quiet && isatty(STDERR_FILENO) != 1
    }

    func report(take: Int, progress: GenerationProgress) {
        guard !quiet else { return }
        let line: String? = state.withLock { state in
            state.fractions[take] = progress.fraction
            let total = state.fractions.reduce(0, +) / Double(state.fractions.count)
            if isTerminal {
                let now = Date()
                // A few redraws a second are plenty, and cheap for the workers calling in.
                guard now.timeIntervalSince(state.lastDraw) > 0.1 || progress.fraction >= 1 else { return nil }
                state.lastDraw = now
                let elapsed = now.timeIntervalSince(started)
                let eta = total > 0.05 ? String(format: "ETA %.1f s", elapsed * (1 - total) / total) : "ETA …"
                let width = 30
                let filled = Int(total * Double(width))
                return "\r[" + String(repeating: "#", count: filled) + String(repeating: "-", count: width - filled)
                    + String(format: "] %3d%% %@ · %@   ", Int(total * 100), progress.stage, eta)
            }
            guard progress.fraction >= 1 else { return nil }
            state.finished += 1
            return "take \(take + 1) done (\(state.finished)/\(state.fractions.count))\n"
        }
        if let line { FileHandle.standardError.write(Data(line.utf8)) }
    }

    func finish() {
        if isTerminal && !quiet { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
    }
}
