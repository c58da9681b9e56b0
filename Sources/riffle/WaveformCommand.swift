import ArgumentParser
import Foundation
import RiffleAudio
import RiffleEngine

/// `riffle waveform FILE`: draw an audio file's waveform in the terminal.
struct WaveformCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "waveform",
        abstract: "Draw an audio file's waveform in the terminal."
    )

    @Argument(help: "The audio file to draw.")
    var file: String

    @Option(parsing: .unconditional, help: "Width in columns, 1 to 2000 (default: the terminal's width).")
    var width: String?

    @Option(parsing: .unconditional, help: "Height in rows, 1 to 200.")
    var height = "8"

    @Option(help: "braille (finest), blocks (▁▂▃▄▅▆▇█) or ascii.")
    var style: String = "braille"

    @Flag(help: "Use plain ASCII (the same as --style ascii).")
    var ascii = false

    /// The width (`nil`: the terminal's) and height; every bad option reported at once.
    private func size() throws -> (width: Int?, height: Int) {
        var problems: [String] = []
        if WaveformStyle(rawValue: style) == nil {
            problems.append("--style \(style) is not a style (allowed: \(WaveformStyle.allCases.map(\.rawValue).joined(separator: ", ")))")
        }
        func read(_ option: String, _ text: String, _ range: ClosedRange<Int>) -> Int? {
            let parsed = parseWhole(text)
            if let value = parsed.value, range.contains(value) { return value }
            let shown = isDecimal(text) ? text : "\"\(text)\""
            problems.append("\(option) \(shown) \(parsed.problem ?? "is out of range") (allowed: \(range.lowerBound) to \(range.upperBound))")
            return nil
        }
        let columns = width.flatMap { read("--width", $0, 1...2000) }
        let rows = read("--height", height, 1...200)
        guard problems.isEmpty, let rows else { throw ValidationError(problems.joined(separator: "\n")) }
        return (columns, rows)
    }

    func run() throws {
        let (width, height) = try size()
        let audio: AudioBuffer
        do {
            audio = try AudioFileReader.read(file)
        } catch {
            printError("riffle: \(error)")
            throw ExitStatus.fileError
        }
        let columns = width ?? terminalWidth()
        let chosen = ascii ? .ascii : WaveformStyle(rawValue: style)!
        for line in WaveformDrawing.lines(WaveformPeaks(audio), width: columns, height: height, style: chosen) {
            printLine(line)
        }
        printLine(timeAxis(duration: audio.duration, width: columns))
    }

    /// "0:00" at the left and the length at the right, with the middle marked when there is room.
    private func timeAxis(duration: Double, width: Int) -> String {
        func label(_ seconds: Double) -> String { String(format: "%d:%02d", Int(seconds) / 60, Int(seconds) % 60) }
        var axis = [Character](repeating: " ", count: width)
        func place(_ text: String, at column: Int) {
            let start = min(max(column, 0), max(width - text.count, 0))
            for (offset, character) in text.enumerated() where start + offset < width { axis[start + offset] = character }
        }
        place(label(0), at: 0)
        if width >= 24 { place(label(duration / 2), at: width / 2 - 2) }
        place(label(duration), at: width)
        return String(axis)
    }

    private func terminalWidth() -> Int {
        var size = winsize()
        if ioctl(STDOUT_FILENO, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0 { return Int(size.ws_col) }
        return ProcessInfo.processInfo.environment["COLUMNS"].flatMap(Int.init) ?? 80
    }
}
