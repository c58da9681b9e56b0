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

    @Option(help: "Width in columns (default: the terminal's width).")
    var width: Int?

    @Option(help: "Height in rows.")
    var height: Int = 8

    @Option(help: "braille (finest), blocks (▁▂▃▄▅▆▇█) or ascii.")
    var style: String = "braille"

    @Flag(help: "Use plain ASCII (the same as --style ascii).")
    var ascii = false

    func validate() throws {
        if WaveformStyle(rawValue: style) == nil {
            throw ValidationError("--style \(style) is not a style (allowed: \(WaveformStyle.allCases.map(\.rawValue).joined(separator: ", ")))")
        }
        if let width, !(1...2000).contains(width) { throw ValidationError("--width \(width) is out of range (allowed: 1 to 2000)") }
        if !(1...200).contains(height) { throw ValidationError("--height \(height) is out of range (allowed: 1 to 200)") }
    }

    func run() throws {
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
