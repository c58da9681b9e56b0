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
