/// The player as the screen knows it, and the waveform's cursor, region and stem choices.
public struct PlaybackState: Equatable, Sendable {
    /// The take loaded in the player, if any.
    public var takeID: String?
    public var isPlaying = false
    /// The playhead, in seconds: where playing is, or where it starts from.
    public var position: Double = 0
    /// The selected region (Shift ←→), in seconds.
    public var region: ClosedRange<Double>?
    /// Where a region being selected started.
    public var regionAnchor: Double?
    public var looping = false
    /// The stem lane under the cursor (↑↓ in the waveform).
    public var stemCursor = 0
    /// Stems soloed or muted, by index.
    public var soloed: Set<Int> = []
    public var muted: Set<Int> = []

    public init() {}

    /// The stems the player must silence: muted ones, and with a solo every stem not soloed.
    public func silenced(stemCount: Int) -> Set<Int> {
        var silent = muted
        if !soloed.isEmpty { silent.formUnion(Set(0..<stemCount).subtracting(soloed)) }
        return silent
    }
}
