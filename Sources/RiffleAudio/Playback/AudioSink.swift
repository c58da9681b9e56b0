/// Where a ``Player`` sends audio: an ALSA device (``PCMOutput``) or, in tests, anything that takes
/// interleaved float frames at its own pace.
///
/// A sink is used from the player's thread only.
public protocol AudioSink: AnyObject {
    var sampleRate: Int { get }
    var channelCount: Int { get }
    /// Writes up to `frames` frames, blocking while the sink is full; returns how many it took.
    func write(_ samples: UnsafePointer<Float>, frames: Int) throws(PCMOutput.Failure) -> Int
    /// Drops what is queued but not yet heard.
    func discard()
    /// Waits until what was written has been heard.
    func drain()
}
