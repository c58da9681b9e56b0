import Foundation
import RiffleCore
import RiffleStudio

/// The jobs pane: each job with its status (and a progress bar with the time left while it runs),
/// and under a finished job its takes, best score first, with stars and the pick mark.
enum JobsView {
    static func draw(_ state: StudioState, _ rect: Rect, _ buffer: inout ScreenBuffer) {
        let running = state.runningJobs
        StudioView.frame(.jobs, running > 0 ? "Jobs · \(running) running" : "Jobs", rect, state, &buffer)
        let inner = rect.inner
        guard !state.jobs.isEmpty else {
            buffer.put("No jobs yet: write a prompt and press Enter.", x: inner.x + 1, y: inner.y, style: Style(.muted), maxWidth: inner.width - 1)
            return
        }
        let rows = state.jobRows
        let selected = state.selection.flatMap { rows.firstIndex(of: $0) } ?? 0
        // Keep the highlight in view, a little above the bottom edge when it can be.
        let first = max(0, min(selected - inner.height + 2, rows.count - inner.height))
        for (line, row) in rows.dropFirst(first).prefix(inner.height).enumerated() {
            let isSelected = row == state.selection
            let y = inner.y + line
            switch row {
            case .job(let id):
                guard let job = state.job(id) else { continue }
                drawJob(job, x: inner.x, y: y, width: inner.width, selected: isSelected, focused: state.focus == .jobs, &buffer)
            case .take(let jobID, let takeID):
                guard let take = state.job(jobID)?.takes.first(where: { $0.id == takeID }) else { continue }
                let playing = state.playback.takeID == takeID ? (state.playback.isPlaying ? "▶" : "‖") : " "
                drawTake(take, marker: playing, x: inner.x, y: y, width: inner.width, selected: isSelected, focused: state.focus == .jobs, &buffer)
            }
        }
    }

    static func icon(_ status: JobStatus) -> (String, Style.Role) {
        switch status {
        case .pending: ("○ queued", .muted)
        case .processing: ("◐ running", .accent)
        case .completed: ("● done", .good)
        case .failed: ("✗ failed", .error)
        case .cancelled: ("⊘ cancelled", .warning)
        case .interrupted: ("! interrupted", .warning)
        }
    }

    private static func drawJob(_ job: JobItem, x: Int, y: Int, width: Int, selected: Bool, focused: Bool, _ buffer: inout ScreenBuffer) {
        let base = Style(.text, bold: true, reverse: selected && focused)
        if selected { buffer.fill(Rect(x: x, y: y, width: width, height: 1), with: Cell(" ", style: Style(.selection, reverse: focused))) }
        let fold = job.takes.isEmpty ? " " : job.expanded ? "▾" : "▸"
        // The highlight shows without colour too: a mark in the first column.
        var column = buffer.put("\(selected ? "›" : " ")\(fold) ", x: x, y: y, style: base)
        let (label, role) = icon(job.status)
        column = buffer.put(label.padding(toLength: 14, withPad: " ", startingAt: 0), x: column, y: y,
                            style: Style(role, bold: true, reverse: selected && focused))
        // The prompt keeps at least a third of the row; the detail takes what is left.
        let right = detail(job, room: max(0, width - 14 - width / 3))
        let promptRoom = max(0, x + width - column - right.count - 1)
        let kind = job.kind == "generate" ? "" : "\(job.kind) · "
        let prompt = (kind + job.prompt.replacingOccurrences(of: "\n", with: " "))
        buffer.put(prompt.count > promptRoom ? String(prompt.prefix(max(0, promptRoom - 1))) + "…" : prompt, x: column, y: y,
                   style: Style(.text, reverse: selected && focused), maxWidth: promptRoom)
        buffer.put(right, x: x + width - right.count, y: y, style: Style(job.status == .failed ? .error : .muted, reverse: selected && focused))
    }

    /// The right-hand side of a job row: progress while it runs, the takes once done, the error when failed.
    static func detail(_ job: JobItem, room: Int) -> String {
        switch job.status {
        case .processing:
            let percent = "\(Int(job.fraction * 100))%"
            let eta = job.secondsLeft.map { " ETA \(StudioReducer.clock($0.rounded(.up)))" } ?? ""
            // The longest form that fits: stage, bar, percentage and time left, down to the percentage.
            let forms = [
                "\(job.stage) \(progressBar(job.fraction, width: 20)) \(percent)\(eta)",
                "\(job.stage) \(progressBar(job.fraction, width: 10)) \(percent)\(eta)",
                "\(progressBar(job.fraction, width: 10)) \(percent)\(eta)",
                "\(percent)\(eta)",
            ]
            return forms.first { $0.count <= room } ?? percent
        case .pending:
            return "waiting"
        case .completed, .cancelled, .interrupted:
            return job.takes.isEmpty ? "" : "\(job.takes.count) take\(job.takes.count == 1 ? "" : "s")"
        case .failed:
            let error = job.error ?? ""
            return error.count > room ? String(error.prefix(max(0, room - 1))) + "…" : error
        }
    }

    static func progressBar(_ fraction: Double, width: Int) -> String {
        let filled = Int((min(max(fraction, 0), 1) * Double(width)).rounded())
        return String(repeating: "█", count: filled) + String(repeating: "░", count: width - filled)
    }

    private static func drawTake(_ take: TakeItem, marker: String, x: Int, y: Int, width: Int, selected: Bool, focused: Bool,
                                 _ buffer: inout ScreenBuffer) {
        let reverse = selected && focused
        if selected { buffer.fill(Rect(x: x, y: y, width: width, height: 1), with: Cell(" ", style: Style(.selection, reverse: focused))) }
        var column = buffer.put("\(selected ? "›" : " ")  \(marker) take \(take.variation + 1) ", x: x, y: y, style: Style(.text, reverse: reverse))
        let score = take.score.map { String(format: "%.2f", $0) } ?? " -  "
        column = buffer.put("\(score) ", x: column, y: y, style: Style((take.score ?? 0) >= 0.8 ? .good : .warning, reverse: reverse))
        let stars = String(repeating: "★", count: take.rating ?? 0) + String(repeating: "☆", count: 5 - (take.rating ?? 0))
        column = buffer.put("\(stars) ", x: column, y: y, style: Style(take.rating == nil ? .muted : .accent, reverse: reverse))
        column = buffer.put(take.picked ? "✓ pick " : "       ", x: column, y: y, style: Style(.good, bold: true, reverse: reverse))
        let rest = "\(StudioReducer.clock(take.duration))  \(take.summary)  seed \(take.seed)"
        buffer.put(rest, x: column, y: y, style: Style(.muted, reverse: reverse), maxWidth: x + width - column)
    }
}
