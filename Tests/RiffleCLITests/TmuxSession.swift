import Foundation
import RiffleTestSupport
import Testing

/// A tmux session running a command in a 120x40 terminal, driven by keys and read back as text.
/// It has a tmux server of its own (`-L`), so it never touches the user's sessions.
struct TmuxSession {
    let name = "riffle-e2e-\(UUID().uuidString.prefix(8))"

    init(command: String) throws {
        // The server this starts outlives its client, so it must not inherit a pipe someone waits to
        // see closed: see spawnDetached.
        let status = spawnDetached(["tmux", "-L", name, "new-session", "-d", "-s", name, "-x", "120", "-y", "40", command])
        try #require(status == 0, "tmux did not start (status \(status))")
    }

    private func tmux(_ arguments: [String]) throws -> ProcessResult {
        try runTool("tmux", ["-L", name] + arguments)
    }

    func keys(_ keys: String...) throws {
        _ = try tmux(["send-keys", "-t", name] + keys)
    }

    /// Types `text` literally (no key names).
    func type(_ text: String) throws {
        _ = try tmux(["send-keys", "-t", name, "-l", text])
    }

    func screen() throws -> String {
        try tmux(["capture-pane", "-p", "-t", name]).output
    }

    /// Waits until the screen satisfies `condition`; fails showing the last screen if it never does.
    @discardableResult
    func wait(for what: String, seconds: Double = 20, sourceLocation: SourceLocation = #_sourceLocation,
              until condition: (String) -> Bool) throws -> String {
        let deadline = Date().addingTimeInterval(seconds)
        var last = ""
        while Date() < deadline {
            last = try screen()
            if condition(last) { return last }
            Thread.sleep(forTimeInterval: 0.1)
        }
        Issue.record("waited \(Int(seconds)) s for \(what); the screen was:\n\(last)", sourceLocation: sourceLocation)
        throw CancellationError()
    }

    /// Pastes `text` as a terminal does: with `bracketed`, wrapped in the paste brackets when the
    /// program has asked for them (tmux's -p, what its own paste key does); without, as plain keys.
    func paste(_ text: String, bracketed: Bool) throws {
        _ = try tmux(["set-buffer", "--", text])
        _ = try tmux(["paste-buffer", "-t", name] + (bracketed ? ["-p"] : []))
    }

    /// Makes the terminal `width` x `height`, as a user resizing the window would.
    func resize(width: Int, height: Int) throws {
        _ = try tmux(["resize-window", "-t", name, "-x", String(width), "-y", String(height)])
    }

    /// The process id of the pane's program.
    func pid() throws -> Int32 {
        let output = try tmux(["display-message", "-p", "-t", name, "#{pane_pid}"]).output
        return Int32(output.trimmingCharacters(in: .whitespacesAndNewlines)) ?? 0
    }

    func kill() {
        _ = try? tmux(["kill-server"])
    }
}
