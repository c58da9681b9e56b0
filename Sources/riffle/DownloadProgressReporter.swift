import Foundation
import RiffleApp
import RiffleCore
import Synchronization

/// Shows a model download on standard error: on a terminal, a bar with bytes done of the total, the rate
/// and the ETA, redrawn a few times a second; elsewhere nothing (the command prints one line at the end).
final class DownloadProgressReporter: Sendable {
    private struct State {
        var meter = TransferMeter()
        var lastDraw = Date.distantPast
        var lastFile = ""
        var drawn = false
    }
    private let state = Mutex(State())
    private let isTerminal = isatty(STDERR_FILENO) == 1

    func show(_ progress: ModelPull.Progress) {
        guard isTerminal else { return }
        let line: String? = state.withLock { state in
            let now = Date()
            state.meter.record(progress.bytesFetched, at: now)
            let fileChanged = progress.file != state.lastFile || progress.stage == .verifying
            guard fileChanged || now.timeIntervalSince(state.lastDraw) > 0.1 else { return nil }
            state.lastDraw = now
            state.lastFile = progress.stage == .verifying ? "" : progress.file
            state.drawn = true
            let fraction = progress.bytesTotal > 0 ? min(1, Double(progress.bytesDone) / Double(progress.bytesTotal)) : 0
            let width = 30
            let filled = Int(fraction * Double(width))
            var parts = [String(format: "%3d%%", Int(fraction * 100)),
                         "\(ByteCountText.format(progress.bytesDone)) / \(ByteCountText.format(progress.bytesTotal))"]
            if let rate = state.meter.bytesPerSecond { parts.append("\(ByteCountText.format(Int64(rate)))/s") }
            parts.append(state.meter.secondsLeft(remaining: progress.bytesTotal - progress.bytesDone).map(Self.eta) ?? "ETA …")
            let doing = progress.stage == .verifying ? "checking" : "fetching"
            parts.append("\(doing) \(progress.file) (\(progress.fileNumber)/\(progress.fileCount))")
            let bar = "[" + String(repeating: "#", count: filled) + String(repeating: "-", count: width - filled) + "] "
            return "\r" + bar + parts.joined(separator: " · ").escapingControlCharacters() + "\u{1B}[K"
        }
        if let line { FileHandle.standardError.write(Data(line.utf8)) }
    }

    /// Clears the bar, leaving the line for the command's own.
    func finish() {
        let drawn = state.withLock { $0.drawn }
        if isTerminal && drawn { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
    }

    /// "ETA 45 s", "ETA 3:05", "ETA 1:02:05".
    static func eta(_ seconds: Double) -> String {
        let total = Int(seconds.rounded(.up))
        if total < 60 { return "ETA \(total) s" }
        if total < 3600 { return String(format: "ETA %d:%02d", total / 60, total % 60) }
        return String(format: "ETA %d:%02d:%02d", total / 3600, total / 60 % 60, total % 60)
    }
}
