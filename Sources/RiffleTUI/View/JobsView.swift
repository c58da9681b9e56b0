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
        // The highlight kept in view, a little above the bottom edge when it can be.
        let first = StudioLayout(state).firstJobRow(state)
        PanesView.scrollMarks(rect, above: first > 0, below: first + inner.height < rows.count, rows: inner.height, &buffer)
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
        // The highlighted take's score parts on the pane's last two rows, while the list leaves them
        // (and a blank row above) free.
        if let jobID = state.selection?.jobID, let takeID = state.selection?.takeID,
           let take = state.job(jobID)?.takes.first(where: { $0.id == takeID }), !take.scoreParts.isEmpty,
           rows.count - first + 3 <= inner.height {
            drawScoreParts(take, x: inner.x, y: inner.y + inner.height - 2, width: inner.width, &buffer)
        }
    }

    /// The order parts are listed in: what the prompt asked, then musical interest, then craft.
    static let scorePartOrder = ["tempo", "key", "metre", "drums", "parts", "melody", "form", "dynamics",
                                 "loudness", "peaks", "silence", "duration", "stereo", "spectrum"]

    /// Two rows: the weakest part with what was measured (why the take ranks where it does), then
    /// every part's score, coloured as the take's score is.
    static func drawScoreParts(_ take: TakeItem, x: Int, y: Int, width: Int, _ buffer: inout ScreenBuffer) {
        let parts = take.scoreParts.sorted {
            (scorePartOrder.firstIndex(of: $0.name) ?? scorePartOrder.count) < (scorePartOrder.firstIndex(of: $1.name) ?? scorePartOrder.count)
        }
        guard let weakest = parts.min(by: { $0.score < $1.score }) else { return }
        let total = take.score.map { String(format: " %.2f", $0) } ?? ""
        let headline = " take \(take.variation + 1)\(total) · weakest: \(weakest.name) \(String(format: "%.2f", weakest.score)), \(weakest.detail)"
        buffer.put(headline, x: x, y: y, style: Style(.muted), maxWidth: width)
        var column = x + 1
        for part in parts {
            let text = "\(part.name) \(String(format: "%.2f", part.score))"
            guard column + text.count <= x + width else { break }
            buffer.put(part.name + " ", x: column, y: y + 1, style: Style(.muted))
            column = buffer.put(String(format: "%.2f", part.score), x: column + part.name.count + 1, y: y + 1,
                                style: Style(part.score >= 0.8 ? .good : .warning)) + 2
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

    /// The selected row stands out without colour too: reversed while the pane has the focus, else
    /// underlined (and marked › in its first column either way).
    static func rowStyle(_ role: Style.Role, bold: Bool = false, selected: Bool, focused: Bool) -> Style {
        Style(role, bold: bold, reverse: selected && focused, underline: selected && !focused)
    }

    private static func drawJob(_ job: JobItem, x: Int, y: Int, width: Int, selected: Bool, focused: Bool, _ buffer: inout ScreenBuffer) {
        func style(_ role: Style.Role, bold: Bool = false) -> Style { rowStyle(role, bold: bold, selected: selected, focused: focused) }
        let base = style(.text, bold: true)
        if selected { buffer.fill(Rect(x: x, y: y, width: width, height: 1), with: Cell(" ", style: style(.selection))) }
        let fold = job.takes.isEmpty ? " " : job.expanded ? "▾" : "▸"
        // The highlight shows without colour too: a mark in the first column.
        var column = buffer.put("\(selected ? "›" : " ")\(fold) ", x: x, y: y, style: base)
        let (label, role) = icon(job.status)
        column = buffer.put(label.padding(toLength: 14, withPad: " ", startingAt: 0), x: column, y: y, style: style(role, bold: true))
        // The prompt keeps at least a third of the row; the detail takes what is left.
        let right = detail(job, room: max(0, width - 14 - width / 3))
        let promptRoom = max(0, x + width - column - right.count - 1)
        // An edit says what it was made from: "repaint of j1-2 · …".
        let kind = job.kind == "generate" ? "" : "\(job.kind)\(job.parentTakeID.map { " of \($0)" } ?? "") · "
        let prompt = (kind + job.prompt.replacingOccurrences(of: "\n", with: " "))
        buffer.put(prompt, x: column, y: y, style: style(.text), maxWidth: promptRoom)
        buffer.put(right, x: x + width - right.count, y: y, style: style(job.status == .failed ? .error : .muted))
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

    /// A take's row, its parts in order of use: what to compare by (number, score, stars, pick, length,
    /// key) comes first and always shows; the rest of the summary, the seed and the id go, in that
    /// order from the end, when the row is narrow (the waveform's title has the selected take's id and
    /// seed), so nothing is cut without an ellipsis.
    private static func drawTake(_ take: TakeItem, marker: String, x: Int, y: Int, width: Int, selected: Bool, focused: Bool,
                                 _ buffer: inout ScreenBuffer) {
        func style(_ role: Style.Role, bold: Bool = false) -> Style { rowStyle(role, bold: bold, selected: selected, focused: focused) }
        if selected { buffer.fill(Rect(x: x, y: y, width: width, height: 1), with: Cell(" ", style: style(.selection))) }
        let right = x + width
        var column = buffer.put("\(selected ? "›" : " ")  \(marker) take \(take.variation + 1) ", x: x, y: y, style: style(.text))
        let score = take.score.map { String(format: "%.2f", $0) } ?? " -  "
        column = buffer.put("\(score) ", x: column, y: y, style: style((take.score ?? 0) >= 0.8 ? .good : .warning))
        let stars = String(repeating: "★", count: take.rating ?? 0) + String(repeating: "☆", count: 5 - (take.rating ?? 0))
        column = buffer.put("\(stars) ", x: column, y: y, style: style(take.rating == nil ? .muted : .accent))
        let wide = width >= 70
        column = buffer.put(take.picked ? (wide ? "✓ pick " : "✓ ") : (wide ? "       " : "  "), x: column, y: y, style: style(.good, bold: true))
        column = buffer.put(StudioReducer.clock(take.duration) + "  ", x: column, y: y, style: style(.muted))
        // The summary (key first), then the seed and the id while they fit whole.
        var tail = ["seed \(take.seed)", take.id]
        while !tail.isEmpty, column + take.summary.count + tail.reduce(0, { $0 + $1.count + 2 }) > right { tail.removeLast() }
        let text = ([take.summary] + tail).filter { !$0.isEmpty }.joined(separator: "  ")
        buffer.put(text, x: column, y: y, style: style(.muted), maxWidth: right - column)
    }
}
