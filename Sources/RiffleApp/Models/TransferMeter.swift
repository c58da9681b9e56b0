import Foundation

/// A download's rate and time left, measured over the last few seconds so a stall or a burst shows
/// soon, without the jitter of the last chunk.
public struct TransferMeter: Sendable {
    private var samples: [(time: Date, bytes: Int64)] = []
    private let window: TimeInterval

    /// A meter averaging over `window` seconds.
    public init(window: TimeInterval = 5) {
        self.window = window
    }

    /// Notes that `bytes` had arrived by `time` (a running total).
    public mutating func record(_ bytes: Int64, at time: Date = Date()) {
        if let last = samples.last, bytes < last.bytes { samples.removeAll() }
        samples.append((time, bytes))
        // Keep one sample at or past the window's start, so the span covers the whole window.
        while samples.count > 2, time.timeIntervalSince(samples[1].time) >= window { samples.removeFirst() }
    }

    /// Bytes per second over the window; nil until half a second has been measured.
    public var bytesPerSecond: Double? {
        guard let first = samples.first, let last = samples.last else { return nil }
        let span = last.time.timeIntervalSince(first.time)
        guard span >= 0.5 else { return nil }
        return Double(last.bytes - first.bytes) / span
    }

    /// Seconds until `remaining` more bytes have arrived at the current rate; nil while the rate is unknown or zero.
    public func secondsLeft(remaining: Int64) -> Double? {
        guard let rate = bytesPerSecond, rate > 0 else { return nil }
        return Double(max(0, remaining)) / rate
    }
}
