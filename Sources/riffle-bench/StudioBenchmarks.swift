import Foundation
import RiffleAudio
import RiffleCore
import RiffleEngine
import RiffleStudio
import RiffleTUI
import RiffleTestSupport

/// The studio's targets: a frame renders and diffs in under 2 ms at 200x60; with 4 jobs generating
/// a key shows on screen within 50 ms (p99); a 2,500-character paste shows within 50 ms, bracketed or
/// not; the idle studio uses under 1% of a core; switching take while playing is heard within a few
/// milliseconds.
///
/// Frames are timed in process. Keys and idle CPU are measured on the release `riffle` beside this
/// program, running in a tmux terminal of its own: each key is sent with `tmux send-keys` and timed
/// until `tmux capture-pane` shows it (which includes tmux's own work), and the studio's trace
/// (RIFFLE_STUDIO_TRACE) gives the time from the loop waking with the key to the frame being drawn.
func studioBenchmarks() throws {
    print("Riffle studio benchmarks\n")
    frameBenchmark()
    print("")
    playbackBenchmark()
    print("")
    let riffle = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("riffle").path
    guard FileManager.default.isExecutableFile(atPath: riffle), Tmux.isInstalled else {
        print("key latency and idle CPU: skipped (needs tmux and \(riffle): `make bench` builds it)")
        return
    }
    try keyLatencyBenchmark(riffle)
    print("")
    try pasteBenchmark(riffle)
    print("")
    try idleBenchmark(riffle)
}

/// Percentiles of `values` (sorted copies), as "p50 / p99 / max".
func percentiles(_ values: [Double], unit: String = "ms") -> String {
    guard !values.isEmpty else { return "no samples" }
    let sorted = values.sorted()
    func at(_ fraction: Double) -> Double { sorted[min(sorted.count - 1, Int((Double(sorted.count - 1) * fraction).rounded()))] }
    return String(format: "p50 %.3f / p99 %.3f / max %.3f %@ (%d samples)", at(0.5), at(0.99), sorted.last!, unit, sorted.count)
}

// MARK: Frames

func frameBenchmark() {
    var state = StudioState(width: 200, height: 60)
    state.presets = PresetCatalog.standard().presets.map(PresetItem.init)
    state.prompt = "dark melodic techno 126 bpm with a long breakdown and a rolling bassline"
    state.cursor = state.prompt.count
    state.understood = "techno · 126 BPM · key auto · 4/4 · dark"
    let take = testTake(seconds: 30)
    let peaks = WaveformPeaks(take)
    let takes = (0..<8).map { TakeItem(id: "j00000001-\($0 + 1)", variation: $0, seed: 1000 + Int64($0), score: 0.9, rating: $0 % 5, picked: $0 == 2,
                                      duration: 30, summary: "techno · 126 BPM · A minor · 4/4") }
    state.jobs = [
        JobItem(id: "j00000004", prompt: state.prompt, status: .pending),
        JobItem(id: "j00000003", prompt: state.prompt, status: .pending),
        JobItem(id: "j00000002", prompt: state.prompt, status: .processing, fraction: 0.3, stage: "rendering", secondsLeft: 4),
        JobItem(id: "j00000001", prompt: state.prompt, status: .completed, fraction: 1, takes: takes, expanded: true),
    ]
    state.selection = .take(jobID: "j00000001", takeID: takes[0].id)
    state.waveform = WaveformItem(takeID: takes[0].id, peaks: peaks,
                                  stems: ["drums", "bass", "harmony", "melody", "texture"].map { .init(name: $0, peaks: peaks) },
                                  sections: [.init(name: "intro", start: 0), .init(name: "drop", start: 15)])
    state.playback.takeID = takes[0].id
    state.playback.isPlaying = true
    state.playback.region = 10...20
    state.focus = .waveform

    // A frame as playing makes them: the playhead moves and a job's progress changes.
    var previous: ScreenBuffer?
    var totals: [Double] = [], renders: [Double] = [], changedCells = 0
    for frame in 0..<2000 {
        state.playback.position = Double(frame % 600) * 0.05
        state.jobs[2].fraction = Double(frame % 100) / 100
        let start = DispatchTime.now().uptimeNanoseconds
        var buffer = ScreenBuffer(width: state.width, height: state.height)
        StudioView.render(state, into: &buffer)
        let rendered = DispatchTime.now().uptimeNanoseconds
        let changes = buffer.changes(since: previous)
        let end = DispatchTime.now().uptimeNanoseconds
        previous = buffer
        if frame >= 100 {
            renders.append(Double(rendered - start) / 1e6)
            totals.append(Double(end - start) / 1e6)
            changedCells += changes.reduce(0) { $0 + $1.cells.count }
        }
    }
    print("frame at 200x60, render only".padding(toLength: 44, withPad: " ", startingAt: 0) + percentiles(renders))
    print("frame at 200x60, render + diff (< 2 ms)".padding(toLength: 44, withPad: " ", startingAt: 0) + percentiles(totals))
    print(String(format: "cells redrawn per frame while playing: %.0f of %d", Double(changedCells) / Double(totals.count), 200 * 60))
}

// MARK: The real studio in tmux

/// A tmux server and session of the benchmark's own.
struct Tmux {
    let name = "riffle-bench-\(getpid())"

    static var isInstalled: Bool { spawnCapturing(["tmux", "-V"]).status == 0 }

    /// Starts `command` in a 200x60 terminal (see spawnDetached for why not through Process).
    init(command: String) throws {
        _ = spawnDetached(["tmux", "-L", name, "new-session", "-d", "-s", name, "-x", "200", "-y", "60", command])
    }

    @discardableResult
    func send(_ arguments: [String]) throws -> String { spawnCapturing(["tmux", "-L", name] + arguments).output }
    func screen() throws -> String { try send(["capture-pane", "-p", "-t", name]) }
    func pid() throws -> Int32 { Int32(try send(["display-message", "-p", "-t", name, "#{pane_pid}"]).trimmingCharacters(in: .whitespacesAndNewlines)) ?? 0 }
    func kill() { _ = try? send(["kill-server"]) }

    func wait(seconds: Double = 30, until condition: (String) -> Bool) throws -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if condition(try screen()) { return true }
            Thread.sleep(forTimeInterval: 0.02)
        }
        return false
    }
}

/// Runs `body` with the studio open in tmux on an empty library, its timings traced to the file `body`
/// is given (written when the studio quits); everything is removed afterwards.
func withTracedStudio(_ riffle: String, _ label: String, _ body: (Tmux, String) throws -> Void) throws {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("riffle-bench-\(label)-\(getpid())")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    let trace = folder.appendingPathComponent("trace.json").path
    let tmux = try Tmux(command: "RIFFLE_STUDIO_TRACE=\(trace) exec \(riffle) --library \(folder.path)/library --device null")
    defer { tmux.kill() }
    guard try tmux.wait(until: { $0.contains("No jobs yet") }) else { print("the studio did not open"); return }
    try body(tmux, trace)
}

func keyLatencyBenchmark(_ riffle: String) throws {
    try withTracedStudio(riffle, "studio") { tmux, trace in
        // Four jobs of 4 takes x 120 s, so they are still generating while the keys are timed.
        try tmux.send(["send-keys", "-t", tmux.name, "Tab", "Tab"] + Array(repeating: "S-Right", count: 9) + ["BTab", "BTab"])
        try tmux.send(["send-keys", "-t", tmux.name, "-l", "dark techno 128 bpm"])
        for _ in 0..<4 { try tmux.send(["send-keys", "-t", tmux.name, "Enter"]) }
        guard try tmux.wait(until: { $0.contains("4 jobs running") || $0.contains("3 jobs running") }) else { print("the jobs did not start"); return }

        var typed = "dark techno 128 bpm"
        var observed: [Double] = []
        let letters = Array("abcdefghijklmnopqrstuvwxyz ")
        for index in 0..<120 {
            let letter = String(letters[index % letters.count])
            typed += letter
            let start = DispatchTime.now().uptimeNanoseconds
            try tmux.send(["send-keys", "-t", tmux.name, "-l", letter])
            var shown = false
            while !shown, DispatchTime.now().uptimeNanoseconds - start < 2_000_000_000 {
                shown = try tmux.screen().contains(typed)
            }
            observed.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6)
            Thread.sleep(forTimeInterval: 0.03)
        }
        let stillRunning = try tmux.screen().contains("running")
        try tmux.send(["send-keys", "-t", tmux.name, "C-c"])
        try tmux.send(["send-keys", "-t", tmux.name, "y"])
        _ = try tmux.wait(seconds: 10) { !$0.contains("Genres") }
        Thread.sleep(forTimeInterval: 0.5)
        print("with 4 jobs generating (\(stillRunning ? "still running at the end" : "SOME HAD FINISHED"); 120 keys typed into the prompt):")
        print("  key → screen, seen through tmux (target p99 < 50 ms)  " + percentiles(observed))
        if let data = FileManager.default.contents(atPath: trace),
           let report = try? JSONSerialization.jsonObject(with: data) as? [String: [Double]] {
            print("  key → frame drawn, inside the studio                   " + percentiles((report["key_to_screen_ns"] ?? []).map { $0 / 1e6 }))
            print("  frame render, in the studio                            " + percentiles((report["render_ns"] ?? []).map { $0 / 1e6 }))
            print("  frame diff + ncurses draw, in the studio               " + percentiles((report["draw_ns"] ?? []).map { $0 / 1e6 }))
        }
    }
}

/// A 2,500-character paste into the prompt, as tmux pastes: bracketed (`paste-buffer -p`, what a
/// terminal's paste key sends once the studio asks for it) and as plain keys (`paste-buffer`, a terminal
/// without bracketed paste). Timed from the paste to `capture-pane` showing the prompt full (the first
/// 2,000 characters in, the count at 2000/2000), and inside the studio from waking to the frame.
func pasteBenchmark(_ riffle: String) throws {
    try withTracedStudio(riffle, "paste") { tmux, trace in
        let words = ["dark", "techno", "rhodes", "piano", "strings", "dreamy", "minor", "breakdown", "rolling", "bassline"]
        let text = String((0..<500).map { words[$0 % words.count] }.joined(separator: " ").prefix(2500))
        var observed: [String: [Double]] = [:]
        for round in 0..<10 {
            for bracketed in [true, false] {
                try tmux.send(["set-buffer", "--", text])
                let start = DispatchTime.now().uptimeNanoseconds
                try tmux.send(["paste-buffer", "-t", tmux.name] + (bracketed ? ["-p"] : []))
                var shown = false
                while !shown, DispatchTime.now().uptimeNanoseconds - start < 10_000_000_000 { shown = try tmux.screen().contains("2000/2000") }
                observed[bracketed ? "bracketed" : "plain", default: []].append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6)
                try tmux.send(["send-keys", "-t", tmux.name, "C-u"])
                _ = try tmux.wait(seconds: 5) { !$0.contains("/2000") }
                _ = round
            }
        }
        try tmux.send(["send-keys", "-t", tmux.name, "C-c"])
        _ = try tmux.wait(seconds: 10) { !$0.contains("Genres") }
        Thread.sleep(forTimeInterval: 0.5)
        print("a 2,500-character paste into the prompt (target < 50 ms), seen through tmux:")
        print("  bracketed (tmux paste-buffer -p)                       " + percentiles(observed["bracketed"] ?? []))
        print("  as plain keys (tmux paste-buffer)                      " + percentiles(observed["plain"] ?? []))
        if let data = FileManager.default.contents(atPath: trace),
           let report = try? JSONSerialization.jsonObject(with: data) as? [String: [Double]] {
            print("  bracketed paste → frame drawn, inside the studio       " + percentiles((report["paste_to_screen_ns"] ?? []).map { $0 / 1e6 }))
        }
    }
}

func idleBenchmark(_ riffle: String) throws {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("riffle-bench-idle-\(getpid())")
    defer { try? FileManager.default.removeItem(at: folder) }
    let tmux = try Tmux(command: "exec \(riffle) --library \(folder.path) --device null")
    defer { tmux.kill() }
    guard try tmux.wait(until: { $0.contains("No jobs yet") }) else { print("the studio did not open"); return }
    Thread.sleep(forTimeInterval: 2)
    let pid = try tmux.pid()
    func cpuSeconds() -> Double {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
              let close = stat.lastIndex(of: ")") else { return 0 }
        let fields = stat[stat.index(after: close)...].split(separator: " ")
        // utime and stime are fields 14 and 15 of the line, 12 and 13 after the command's name.
        return (Double(fields[11]) ?? 0) / 100 + (Double(fields[12]) ?? 0) / 100
    }
    let before = cpuSeconds(), started = Date()
    Thread.sleep(forTimeInterval: 10)
    let used = cpuSeconds() - before, elapsed = Date().timeIntervalSince(started)
    print(String(format: "idle studio: %.3f s of CPU in %.1f s = %.2f%% of a core (target < 1%%)", used, elapsed, used / elapsed * 100))
}

// MARK: Playback

/// A sink that consumes audio at real-time speed, as a sound card does, noting when each chunk went in.
final class RealTimeSink: AudioSink, @unchecked Sendable {
    let sampleRate = 44100, channelCount = 2
    private let lock = NSLock()
    private var writes: [(time: UInt64, first: Float)] = []

    func write(_ samples: UnsafePointer<Float>, frames: Int) throws(PCMOutput.Failure) -> Int {
        lock.withLock { writes.append((DispatchTime.now().uptimeNanoseconds, samples[0])) }
        Thread.sleep(forTimeInterval: Double(frames) / Double(sampleRate))
        return frames
    }

    func discard() {}
    func drain() {}

    /// When the first chunk whose first sample satisfies `condition` was written after `time`.
    func firstWrite(after time: UInt64, where condition: (Float) -> Bool) -> UInt64? {
        lock.withLock { writes.first { $0.time >= time && condition($0.first) }?.time }
    }
}

/// How long the player takes to act on a command: from switchTo (A/B) or seek to the first chunk of
/// the new audio reaching a sink that plays in real time. Take A is all 0.25, take B all 0.75.
func playbackBenchmark() {
    let sink = RealTimeSink()
    let player = Player(openSink: { _, _ in sink })
    defer { player.shutDown() }
    let frames = 44100 * 30
    let a = Player.Source(id: "a", mix: AudioBuffer(sampleRate: 44100, channelCount: 2, samples: [Float](repeating: 0.25, count: frames * 2)))
    let b = Player.Source(id: "b", mix: AudioBuffer(sampleRate: 44100, channelCount: 2, samples: [Float](repeating: 0.75, count: frames * 2)))
    var switches: [Double] = []
    player.play(a)
    Thread.sleep(forTimeInterval: 0.2)
    for round in 0..<40 {
        // An uneven moment within a chunk, so the figure covers where a switch can land.
        Thread.sleep(forTimeInterval: 0.05 + Double(round % 7) * 0.0017)
        let target = round % 2 == 0 ? b : a
        let start = DispatchTime.now().uptimeNanoseconds
        player.switchTo(target)
        let want: Float = target.id == "b" ? 0.75 : 0.25
        var heard: UInt64?
        while heard == nil, DispatchTime.now().uptimeNanoseconds - start < 1_000_000_000 {
            heard = sink.firstWrite(after: start, where: { $0 == want })
            if heard == nil { Thread.sleep(forTimeInterval: 0.0005) }
        }
        if let heard { switches.append(Double(heard - start) / 1e6) }
    }
    print("A/B switch → the other take's audio at the device   " + percentiles(switches))
    print("  (a real device adds its restart: on a switch the player drops the device's queue rather than play it out)")
}
