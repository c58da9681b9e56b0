import Foundation

extension StudioReducer {
    // MARK: News from jobs, the library and the player

    static func jobEvent(_ action: StudioAction, _ state: inout StudioState) -> [StudioEffect] {
        switch action {
        case .jobsLoaded(let jobs):
            state.jobs = jobs
            if state.history.isEmpty {
                // The prompt history outlives the session: the library's batches, oldest first, each
                // prompt once (where it was last used), so ↑ in a new session brings back the last one.
                var seen = Set<String>()
                state.history = jobs.filter { $0.kind == "generate" }.map(\.prompt).filter { seen.insert($0).inserted }.reversed()
            }
            guard state.selection == nil, let first = jobs.first else { return [] }
            state.selection = first.takes.first.map { .take(jobID: first.id, takeID: $0.id) } ?? .job(first.id)
            return selectionChanged(&state)
        case .jobAdded(let job):
            // A cached answer brings back a job the list may have already: it moves to the top.
            state.jobs.removeAll { $0.id == job.id }
            state.jobs.insert(job, at: 0)
            state.selection = job.takes.first.map { .take(jobID: job.id, takeID: $0.id) } ?? .job(job.id)
            return selectionChanged(&state)
        case .jobRemoved(let jobID, let reason):
            state.jobs.removeAll { $0.id == jobID }
            if state.selection?.jobID == jobID { state.selection = state.jobRows.first }
            state.message = .init(text: "Not done: \(reason)", isError: true)
            return selectionChanged(&state)
        case .stemsMade(let takeID, let folder):
            state.message = .init(text: "Stems of \(takeID) in \(folder): ↑↓ in the waveform choose one, s solos, M mutes", isError: false)
            guard state.waveform?.takeID == takeID else { return [] }
            // Drawn again with a lane per stem.
            state.waveform = nil
            return [.loadWaveform(takeID: takeID)]
        case .jobUpdated(let progress):
            guard let index = state.jobs.firstIndex(where: { $0.id == progress.jobID }) else { return [] }
            state.jobs[index].status = progress.status
            state.jobs[index].fraction = progress.fraction
            state.jobs[index].stage = progress.stage
            state.jobs[index].secondsLeft = progress.secondsLeft
            state.jobs[index].error = progress.error
            if progress.status == .failed {
                state.message = .init(text: "Job failed: \(progress.error ?? "no reason given")", isError: true)
            } else if progress.status == .cancelled, state.message?.job == progress.jobID {
                // "Cancelling j2…" is answered: the job has stopped.
                let resumable = state.jobs[index].kind == "generate"
                state.message = .init(text: "Cancelled \(progress.jobID)" + (resumable ? ": its finished takes are kept, r in Jobs makes the rest" : ""),
                                      isError: false, job: progress.jobID)
            }
            return announceDone(index, &state)
        case .takesLoaded(let jobID, let takes):
            guard let index = state.jobs.firstIndex(where: { $0.id == jobID }) else { return [] }
            let hadTakes = !state.jobs[index].takes.isEmpty
            state.jobs[index].takes = takes
            // A batch unfolds into its takes when the first arrives.
            if !hadTakes, !takes.isEmpty { state.jobs[index].expanded = true }
            if let selection = state.selection, selection.jobID == jobID {
                if let takeID = selection.takeID, !takes.contains(where: { $0.id == takeID }) {
                    state.selection = .job(jobID)
                }
                // The best take is highlighted, unless the user folded the job: its takes are not shown.
                if state.selection == .job(jobID), state.jobs[index].expanded, let best = takes.first {
                    state.selection = .take(jobID: jobID, takeID: best.id)
                }
            }
            return selectionChanged(&state) + announceDone(index, &state)
        case .waveformLoaded(let item):
            if item.takeID == state.selectedTake?.id { state.waveform = item }
            return []
        case .jobDeleted(let id):
            guard let index = state.jobs.firstIndex(where: { $0.id == id }) else { return [] }
            let rows = state.jobRows
            state.jobs.remove(at: index)
            if state.selection?.jobID == id {
                // The highlight goes to the row that took the job's place, else the last row.
                let at = rows.firstIndex(of: .job(id)) ?? 0
                let remaining = state.jobRows
                state.selection = remaining.isEmpty ? nil : remaining[min(at, remaining.count - 1)]
            }
            if state.selectedTake == nil { state.waveform = nil }
            return selectionChanged(&state)
        case .takeDeleted(let id):
            for index in state.jobs.indices { state.jobs[index].takes.removeAll { $0.id == id } }
            if state.selection?.takeID == id, let jobID = state.selection?.jobID { state.selection = .job(jobID) }
            var effects: [StudioEffect] = []
            if state.playback.takeID == id {
                state.playback.takeID = nil
                state.playback.isPlaying = false
                effects.append(.pause)
            }
            if state.waveform?.takeID == id { state.waveform = nil }
            return effects + selectionChanged(&state)
        default:
            return []
        }
    }

    /// A job just finished with its takes (its status and its last takes come in either order, so
    /// both call this; the second word replaces the first): say how to hear it, one key from any pane,
    /// Ctrl-P (Space too outside the prompt). The highlight goes to the best take, unless the user has
    /// gone to another job or is already listening to a take of this one. An error or a question in
    /// the status bar stays.
    static func announceDone(_ index: Int, _ state: inout StudioState) -> [StudioEffect] {
        let job = state.jobs[index]
        guard job.status == .completed, let best = job.takes.first, state.message == nil || state.message?.job == job.id else { return [] }
        var effects: [StudioEffect] = []
        let listening = job.takes.contains { $0.id == state.playback.takeID }
        if state.selection?.jobID == job.id, job.expanded, !listening, state.selection != .take(jobID: job.id, takeID: best.id) {
            state.selection = .take(jobID: job.id, takeID: best.id)
            effects = selectionChanged(&state)
        }
        let what = job.takes.count == 1 ? (job.kind == "generate" ? "Take ready" : "The \(job.kind) is ready")
            : "\(job.takes.count) takes ready, best first"
        let it = job.takes.count == 1 ? "it" : "the best"
        let text: String
        if state.selectedTake?.id != best.id {
            text = "\(job.id): \(what), in Jobs"
        } else if state.focus == .prompt {
            text = "\(what): Ctrl-P plays \(it)" + (job.takes.count > 1 ? " · in Jobs, [ ] compare" : "")
        } else {
            text = "\(what): Space plays \(it)" + (job.takes.count > 1 ? ", [ ] compare" : "")
        }
        state.message = .init(text: text, isError: false, job: job.id)
        return effects
    }

    /// After the highlight moved: load the new take's waveform, and keep playing at the same place
    /// in the new take (A/B listening) if a take was loaded in the player.
    static func selectionChanged(_ state: inout StudioState) -> [StudioEffect] {
        guard let take = state.selectedTake else { return [] }
        guard state.waveform?.takeID != take.id else { return [] }
        state.waveform = nil
        var effects: [StudioEffect] = [.loadWaveform(takeID: take.id)]
        if let loaded = state.playback.takeID, loaded != take.id {
            state.playback.takeID = take.id
            state.playback.position = min(state.playback.position, take.duration)
            effects.append(.switchTake(take.id))
        } else if state.playback.takeID == nil {
            state.playback.position = 0
        }
        return effects
    }

    // MARK: Keys on the selected take, in every pane but the prompt

    /// Space, [ ], 1-5, p, m and c; `nil` for any other key.
    static func takeKey(_ key: Key, _ state: inout StudioState) -> [StudioEffect]? {
        switch key {
        case .character(" "):
            return playOrPause(&state)
        case .character("["), .character("]"):
            return sibling(key == .character("]") ? 1 : -1, &state)
        case .character(let digit) where ("1"..."5").contains(digit):
            guard let take = state.selectedTake, let stars = Int(String(digit)) else { return noTake(&state) }
            updateTake(take.id, &state) { $0.rating = stars }
            state.message = .init(text: "\(take.id): \(String(repeating: "★", count: stars))", isError: false)
            return [.rate(takeID: take.id, stars: stars)]
        case .character("p"):
            guard let take = state.selectedTake, let jobID = state.selection?.jobID,
                  let index = state.jobs.firstIndex(where: { $0.id == jobID }) else { return noTake(&state) }
            for takeIndex in state.jobs[index].takes.indices {
                state.jobs[index].takes[takeIndex].picked = state.jobs[index].takes[takeIndex].id == take.id
            }
            state.message = .init(text: "Picked \(take.id)", isError: false)
            return [.pick(takeID: take.id)]
        case .character("m"):
            return openMenu(&state)
        case .character("c"):
            guard let jobID = state.selection?.jobID, let job = state.job(jobID) else { return [] }
            guard !job.status.isFinished else {
                state.message = .init(text: "\(jobID) is \(job.status.rawValue), not running", isError: false)
                return []
            }
            state.message = .init(text: "Cancelling \(jobID)…", isError: false, job: jobID)
            return [.cancel(jobID: jobID)]
        default:
            return nil
        }
    }

    private static func noTake(_ state: inout StudioState) -> [StudioEffect] {
        state.message = .init(text: "No take selected: choose one in the jobs pane", isError: false)
        return []
    }

    static func updateTake(_ id: String, _ state: inout StudioState, _ change: (inout TakeItem) -> Void) {
        for jobIndex in state.jobs.indices {
            if let takeIndex = state.jobs[jobIndex].takes.firstIndex(where: { $0.id == id }) {
                change(&state.jobs[jobIndex].takes[takeIndex])
            }
        }
    }

    /// Space: the selected take pauses or resumes if it is the one in the player, else it starts
    /// from the playhead. (A loop, once set, stays set in the player.)
    static func playOrPause(_ state: inout StudioState) -> [StudioEffect] {
        guard let take = state.selectedTake else { return noTake(&state) }
        if state.playback.takeID == take.id, state.audioProblem == nil {
            state.playback.isPlaying.toggle()
            return [state.playback.isPlaying ? .resume : .pause]
        }
        return play(take, from: state.playback.position < take.duration ? state.playback.position : 0, &state)
    }

    private static func play(_ take: TakeItem, from start: Double, _ state: inout StudioState) -> [StudioEffect] {
        if let problem = state.audioProblem {
            state.message = .init(text: "No sound: \(problem)", isError: true)
            return []
        }
        state.playback.takeID = take.id
        state.playback.isPlaying = true
        state.playback.position = start
        return [.play(takeID: take.id, from: start)]
    }

    /// `[` and `]`: the previous or next take of the same batch.
    private static func sibling(_ step: Int, _ state: inout StudioState) -> [StudioEffect] {
        guard let selection = state.selection, let index = state.jobs.firstIndex(where: { $0.id == selection.jobID }),
              !state.jobs[index].takes.isEmpty else { return noTake(&state) }
        let takes = state.jobs[index].takes
        let current = selection.takeID.flatMap { id in takes.firstIndex { $0.id == id } }
        let target = current.map { min(max($0 + step, 0), takes.count - 1) } ?? 0
        state.jobs[index].expanded = true
        state.selection = .take(jobID: selection.jobID, takeID: takes[target].id)
        return selectionChanged(&state)
    }

    // MARK: The jobs pane

    static func jobsKey(_ key: Key, _ state: inout StudioState) -> [StudioEffect] {
        let rows = state.jobRows
        guard !rows.isEmpty else { return [] }
        let current = state.selection.flatMap { rows.firstIndex(of: $0) } ?? 0
        func select(_ index: Int) -> [StudioEffect] {
            state.selection = rows[min(max(index, 0), rows.count - 1)]
            return selectionChanged(&state)
        }
        switch key {
        case .up: return select(current - 1)
        case .down: return select(current + 1)
        case .pageUp: return select(current - 10)
        case .pageDown: return select(current + 10)
        case .home: return select(0)
        case .end: return select(rows.count - 1)
        case .character("r"):
            let jobID = rows[current].jobID
            guard let job = state.job(jobID), job.isResumable else {
                state.message = .init(text: "Only a failed, cancelled or interrupted batch, or one missing takes, can be resumed", isError: false)
                return []
            }
            state.message = .init(text: "Resuming \(jobID): making its missing takes with their own seeds", isError: false)
            return [.resumeJob(jobID: jobID)]
        case .enter, .right, .left:
            switch rows[current] {
            case .job(let id):
                // Enter folds or unfolds a job, → unfolds, ← folds.
                guard let index = state.jobs.firstIndex(where: { $0.id == id }) else { return [] }
                state.jobs[index].expanded = key == .enter ? !state.jobs[index].expanded : key == .right
                return []
            case .take(let jobID, _):
                // Enter plays a take from the start; ← goes up to its job.
                if key == .left { return select(rows.firstIndex(of: .job(jobID)) ?? current) }
                guard key == .enter, let take = state.selectedTake else { return [] }
                return play(take, from: 0, &state)
            }
        default:
            return []
        }
    }
}
