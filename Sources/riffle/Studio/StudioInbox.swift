import Foundation
import RiffleAudio
import RiffleTUI
import Synchronization

/// What other threads hand the studio's main thread: actions for the reducer, and takes loaded for
/// the player. Posting wakes the main loop through a pipe it polls beside the keyboard.
final class StudioInbox: Sendable {
    enum Event: Sendable {
        case action(StudioAction)
        /// A take's audio and waveform, read from the library.
        case loaded(Player.Source, WaveformItem)
        case loadFailed(takeID: String, String)
    }

    private let events = Mutex<[Event]>([])
    /// The pipe's ends: the main loop polls `readEnd`.
    let readEnd: Int32
    private let writeEnd: Int32

    init() {
        var ends: [Int32] = [0, 0]
        if pipe(&ends) != 0 { fatalError("cannot create the studio's wake-up pipe: \(String(cString: strerror(errno)))") }
        for end in ends { _ = fcntl(end, F_SETFL, fcntl(end, F_GETFL) | O_NONBLOCK) }
        readEnd = ends[0]
        writeEnd = ends[1]
    }

    func post(_ event: Event) {
        events.withLock { $0.append(event) }
        var byte: UInt8 = 1
        // A full pipe already means "wake up": a failed write loses nothing.
        _ = write(writeEnd, &byte, 1)
    }

    func post(_ action: StudioAction) { post(.action(action)) }

    /// Everything posted so far, oldest first.
    func take() -> [Event] {
        var scratch = [UInt8](repeating: 0, count: 256)
        while read(readEnd, &scratch, scratch.count) > 0 {}
        return events.withLock { events in
            defer { events.removeAll(keepingCapacity: true) }
            return events
        }
    }
}
