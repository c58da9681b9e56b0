/// Where each pane goes at a terminal's size: the view draws into these rectangles, and the reducer
/// uses them to know how wide the prompt's lines are and which pane a mouse click is in.
///
/// Genres and the sliders are on the left, prompt, jobs and waveform on the right, the title and
/// status bars above and below. On a terminal tall enough to show the whole genre list beside the
/// sliders and still give the waveform a dozen rows, the left column ends under the genre list and
/// the waveform takes the full width below, so no pane is mostly empty rows.
public struct StudioLayout: Equatable, Sendable {
    public var presets, parameters, prompt, jobs, waveform: Rect

    /// Nine sliders, two rows for the selected one's range, the seed, the frame.
    public static let parametersHeight = 14

    public init(width: Int, height: Int, presetCount: Int) {
        let leftWidth = width >= 160 ? 36 : 30
        let bodyTop = 1, bodyHeight = height - 2
        let right = width - leftWidth
        let promptHeight = height >= 40 ? 8 : 7
        let leftNeeded = Self.parametersHeight + max(5, presetCount + 2)
        if bodyHeight - leftNeeded >= 12 {
            presets = Rect(x: 0, y: bodyTop, width: leftWidth, height: leftNeeded - Self.parametersHeight)
            parameters = Rect(x: 0, y: bodyTop + presets.height, width: leftWidth, height: Self.parametersHeight)
            prompt = Rect(x: leftWidth, y: bodyTop, width: right, height: promptHeight)
            jobs = Rect(x: leftWidth, y: bodyTop + promptHeight, width: right, height: leftNeeded - promptHeight)
            waveform = Rect(x: 0, y: bodyTop + leftNeeded, width: width, height: bodyHeight - leftNeeded)
            return
        }
        presets = Rect(x: 0, y: bodyTop, width: leftWidth, height: bodyHeight - Self.parametersHeight)
        parameters = Rect(x: 0, y: bodyTop + bodyHeight - Self.parametersHeight, width: leftWidth, height: Self.parametersHeight)
        prompt = Rect(x: leftWidth, y: bodyTop, width: right, height: promptHeight)
        let waveformHeight = max(8, bodyHeight * 2 / 5)
        jobs = Rect(x: leftWidth, y: bodyTop + promptHeight, width: right, height: bodyHeight - promptHeight - waveformHeight)
        waveform = Rect(x: leftWidth, y: bodyTop + bodyHeight - waveformHeight, width: right, height: waveformHeight)
    }

    public init(_ state: StudioState) {
        self.init(width: state.width, height: state.height, presetCount: state.presets.count)
    }

    public func rect(of pane: Pane) -> Rect {
        switch pane {
        case .prompt: prompt
        case .presets: presets
        case .parameters: parameters
        case .jobs: jobs
        case .waveform: waveform
        }
    }

    /// The pane at column `x`, row `y`, frame included; `nil` on the title and status bars.
    public func pane(atX x: Int, y: Int) -> Pane? {
        Pane.allCases.first { rect(of: $0).contains(x: x, y: y) }
    }

    /// Columns for the prompt's text: the prompt pane inside its frame.
    public var promptTextWidth: Int { prompt.inner.width }
}

extension Rect {
    public func contains(x: Int, y: Int) -> Bool {
        x >= self.x && y >= self.y && x < self.x + width && y < self.y + height
    }
}
