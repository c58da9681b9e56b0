/// How a waveform is drawn in a terminal.
public enum WaveformStyle: String, Sendable, CaseIterable {
    /// Braille dots, 2×4 per cell: the finest detail a terminal can show.
    case braille
    /// Bars of peak level in eighth blocks (▁▂▃▄▅▆▇█): bold, and readable in any Unicode font.
    case blocks
    /// Plain ASCII for terminals without Unicode: `#` for the RMS body, `:` for peaks, `-` for silence.
    case ascii
}

/// Draws ``WaveformPeaks`` as lines of text, `width` cells by `height` rows.
///
/// Braille and ASCII map amplitude linearly from +1 at the top to -1 at the bottom; blocks show the
/// peak level from the bottom up. A drawing is always exactly `height` lines of `width` characters, so
/// it drops into a pane as it is.
public enum WaveformDrawing {
    /// - Parameter gain: scales the signal before drawing (a quiet stem drawn at `1 / its peak` fills
    ///   its lane); what it pushes past full scale is clipped.
    public static func lines(_ peaks: WaveformPeaks, width: Int, height: Int, style: WaveformStyle,
                             over range: ClosedRange<Double>? = nil, gain: Float = 1) -> [String] {
        guard width > 0, height > 0 else { return [] }
        func columns(_ count: Int) -> [WaveformPeaks.Column] {
            let columns = peaks.columns(count, over: range)
            guard gain != 1 else { return columns }
            return columns.map { WaveformPeaks.Column(min: $0.min * gain, max: $0.max * gain, rms: $0.rms * gain) }
        }
        switch style {
        case .braille:
            return braille(columns(width * 2), width: width, height: height)
        case .blocks:
            return blocks(columns(width), height: height)
        case .ascii:
            return ascii(columns(width), height: height)
        }
    }

    /// A position from +1 (top) to -1 (bottom) as a row index in a grid `rows` tall.
    private static func row(_ amplitude: Float, rows: Int) -> Int {
        let clamped = Swift.min(Swift.max(amplitude, -1), 1)
        return Swift.min(Int(((1 - clamped) / 2 * Float(rows)).rounded(.down)), rows - 1)
    }

    private static func braille(_ columns: [WaveformPeaks.Column], width: Int, height: Int) -> [String] {
        let dotRows = height * 4
        // Each cell's 8 dots as bits, in Unicode's braille numbering: left column rows 0-2 are bits
        // 0-2 and row 3 is bit 6; right column rows 0-2 are bits 3-5 and row 3 is bit 7.
        let bitForDot: [[UInt32]] = [[0x01, 0x02, 0x04, 0x40], [0x08, 0x10, 0x20, 0x80]]
        var cells = [[UInt32]](repeating: [UInt32](repeating: 0, count: width), count: height)
        for (x, column) in columns.enumerated() {
            let top = row(column.max, rows: dotRows), bottom = row(column.min, rows: dotRows)
            for y in top...Swift.max(top, bottom) {
                cells[y / 4][x / 2] |= bitForDot[x % 2][y % 4]
            }
        }
        return cells.map { row in String(String.UnicodeScalarView(row.map { Unicode.Scalar(0x2800 + $0)! })) }
    }

    private static func blocks(_ columns: [WaveformPeaks.Column], height: Int) -> [String] {
        // Bars of peak level rising from the bottom in eighths of a row; only ▁ to █, which every
        // Unicode terminal font has.
        let eighths: [Character] = [" ", "▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"]
        var grid = [[Character]](repeating: [Character](repeating: " ", count: columns.count), count: height)
        for (x, column) in columns.enumerated() {
            let level = Swift.min(Swift.max(Swift.max(column.max, -column.min), 0), 1)
            let filled = Int((level * Float(height * 8)).rounded())
            for r in 0..<height {
                grid[height - 1 - r][x] = eighths[Swift.min(Swift.max(filled - r * 8, 0), 8)]
            }
        }
        return grid.map { String($0) }
    }

    private static func ascii(_ columns: [WaveformPeaks.Column], height: Int) -> [String] {
        var grid = [[Character]](repeating: [Character](repeating: " ", count: columns.count), count: height)
        let centre = row(0, rows: height)
        for (x, column) in columns.enumerated() {
            let peakTop = row(column.max, rows: height), peakBottom = row(column.min, rows: height)
            // Silence is a level too small to reach past the centre row, not merely a narrow range:
            // a steady offset still draws where it is.
            if Swift.max(column.max, -column.min) < 1 / Float(height) {
                grid[centre][x] = "-"
                continue
            }
            let bodyTop = row(column.rms, rows: height), bodyBottom = row(-column.rms, rows: height)
            for y in peakTop...Swift.max(peakTop, peakBottom) {
                grid[y][x] = (bodyTop...Swift.max(bodyTop, bodyBottom)).contains(y) ? "#" : ":"
            }
        }
        return grid.map { String($0) }
    }
}
