import RiffleAudio

/// What the waveform pane draws for the selected take: its peaks, its stems' peaks and its sections.
public struct WaveformItem: Equatable, Sendable {
    public var takeID: String
    public var peaks: WaveformPeaks
    /// One lane per stem, in the order the player mutes them by.
    public var stems: [Stem]
    /// Where each section starts.
    public var sections: [Section]

    public struct Stem: Equatable, Sendable {
        public var name: String
        public var peaks: WaveformPeaks

        public init(name: String, peaks: WaveformPeaks) {
            self.name = name
            self.peaks = peaks
        }
    }

    public struct Section: Equatable, Sendable {
        public var name: String
        public var start: Double

        public init(name: String, start: Double) {
            self.name = name
            self.start = start
        }
    }

    public init(takeID: String, peaks: WaveformPeaks, stems: [Stem] = [], sections: [Section] = []) {
        self.takeID = takeID
        self.peaks = peaks
        self.stems = stems
        self.sections = sections
    }

    public var duration: Double { peaks.duration }
}

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

/// The action menu over a take (`m`): what can be done to it, with what cannot greyed out and why.
public struct TakeMenu: Equatable, Sendable {
    public enum Action: String, Equatable, Sendable, CaseIterable {
        case repaint = "Repaint region"
        case extend = "Extend"
        case restyle = "Restyle"
        case stems = "Stems"
        case export = "Export"
        case delete = "Delete"
    }

    public struct Item: Equatable, Sendable {
        public var action: Action
        /// What it will do, shown beside it: "by 30 s", "as Techno".
        public var detail: String
        /// Why it cannot be chosen; `nil` when it can.
        public var unavailable: String?
    }

    public var takeID: String
    public var items: [Item]
    public var selected = 0

    public init(takeID: String, items: [Item]) {
        self.takeID = takeID
        self.items = items
        selected = items.firstIndex { $0.unavailable == nil } ?? 0
    }
}
