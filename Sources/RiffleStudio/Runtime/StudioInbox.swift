import Foundation
import RiffleAudio
import Synchronization

/// What other threads hand the studio's main thread. Posting wakes the main loop through a pipe it
/// polls beside the keyboard; the loop takes everything posted and feeds it to the reducer (actions)
/// or the effect runner (a take loaded for the player).
public final class StudioInbox: Sendable {
    public enum Event: Sendable {
        case action(StudioAction)
        /// A take's audio, decoded for the player.
        case audioLoaded(Player.Source)
        case audioLoadFailed(takeID: String, String)
        /// A take's stems were written: the runner drops its decoded copy so the next play has them.
        case stemsWritten(takeID: String, folder: String)
    }

    private let events = Mutex<[Event]>([])
    /// The pipe's ends: the main loop polls `readEnd`.
    public let readEnd: Int32
    private let writeEnd: Int32

    public init() {
        var ends: [Int32] = [0, 0]
        if pipe(&ends) != 0 { fatalError("cannot create the studio's wake-up pipe: \(String(cString: strerror(errno)))") }
        for end in ends { _ = fcntl(end, F_SETFL, fcntl(end, F_GETFL) | O_NONBLOCK) }
        readEnd = ends[0]
        writeEnd = ends[1]
    }

    public func post(_ event: Event) {
        events.withLock { $0.append(event) }
        var byte: UInt8 = 1
        // A full pipe already means "wake up": a failed write loses nothing.
        _ = write(writeEnd, &byte, 1)
    }

    public func post(_ action: StudioAction) { post(.action(action)) }

    /// Everything posted so far, oldest first.
    public func take() -> [Event] {
        var scratch = [UInt8](repeating: 0, count: 256)
        while read(readEnd, &scratch, scratch.count) > 0 {}
        return events.withLock { events in
            defer { events.removeAll(keepingCapacity: true) }
            return events
        }
    }
}
