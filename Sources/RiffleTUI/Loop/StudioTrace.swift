import Dispatch
import Foundation

/// Timings the studio keeps when `RIFFLE_STUDIO_TRACE` names a file: for each key (and each paste),
/// the time from the loop waking with it to the frame showing it on the terminal, and each frame's
/// render and draw times. `riffle-bench studio` reads the file; nothing is kept otherwise.
final class StudioTrace {
    private let path: String
    private var wokeAt: UInt64 = 0
    private var keyPending = false
    private var pastePending = false
    private var keyLatencies: [UInt64] = []
    private var pasteLatencies: [UInt64] = []
    private var renders: [UInt64] = []
    private var draws: [UInt64] = []

    init?(environment: [String: String]) {
        guard let path = environment["RIFFLE_STUDIO_TRACE"], !path.isEmpty else { return nil }
        self.path = path
    }

    func woke() { wokeAt = DispatchTime.now().uptimeNanoseconds }

    func key() { keyPending = true }

    func paste() { pastePending = true }

    func frame(render: UInt64, draw: UInt64) {
        renders.append(render)
        draws.append(draw)
        let latency = DispatchTime.now().uptimeNanoseconds - wokeAt
        if keyPending { keyLatencies.append(latency) }
        if pastePending { pasteLatencies.append(latency) }
        keyPending = false
        pastePending = false
    }

    /// Writes the timings as JSON (nanoseconds).
    func write() {
        let report = ["key_to_screen_ns": keyLatencies, "paste_to_screen_ns": pasteLatencies, "render_ns": renders, "draw_ns": draws]
        if let data = try? JSONSerialization.data(withJSONObject: report) { try? data.write(to: URL(fileURLWithPath: path)) }
    }
}
