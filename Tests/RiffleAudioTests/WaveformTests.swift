import RiffleAudio
import RiffleEngine
import RiffleTestSupport
import Testing

@Suite("Waveform summary: one pass, any width")
struct WaveformPeaksTests {
    /// A buffer whose samples are easy to reason about: mono, a ramp with spikes.
    private func rampWithSpikes(frames: Int) -> AudioBuffer {
        var samples = (0..<frames).map { Float($0 % 1000) / 1000 - 0.5 }
        for spike in stride(from: 777, to: frames, by: 5003) { samples[spike] = spike % 2 == 0 ? 0.98 : -0.97 }
        return AudioBuffer(sampleRate: 44100, channelCount: 1, samples: samples)
    }

    @Test("re-binned columns equal min and max taken straight from the samples", arguments: [1, 3, 80, 117, 200, 1000])
    func rebinningMatchesSamples(width: Int) {
        let buffer = rampWithSpikes(frames: 96_000)
        let peaks = WaveformPeaks(buffer, framesPerBin: 64)
        let columns = peaks.columns(width)
        #expect(columns.count == width)
        let bins = peaks.bins.count
        for (index, column) in columns.enumerated() {
            // The column covers whole bins, exactly as the summary divides them.
            let firstBin = index * bins / width
            let endBin = max((index + 1) * bins / width, firstBin + 1)
            let slice = buffer.samples[(firstBin * 64)..<min(endBin * 64, buffer.samples.count)]
            #expect(column.min == slice.min(), "column \(index) of \(width)")
            #expect(column.max == slice.max(), "column \(index) of \(width)")
        }
    }

    @Test("channels fold together and RMS reads as RMS")
    func stereoAndRMS() {
        let tone = stereoSines(seconds: 1, sampleRate: 48000, amplitude: 0.8)
        let column = WaveformPeaks(tone).columns(1)[0]
        #expect(abs(column.max - 0.8) < 0.001)
        #expect(abs(column.min + 0.8) < 0.001)
        #expect(abs(column.rms - Float(0.8 / 2.0.squareRoot())) < 0.002)
    }

    @Test("more columns than bins repeat bins rather than invent detail")
    func upsampling() {
        let buffer = AudioBuffer(sampleRate: 44100, channelCount: 1, samples: [0.5, 0.5, -0.25, -0.25])
        let columns = WaveformPeaks(buffer, framesPerBin: 2).columns(4)
        #expect(columns.map(\.max) == [0.5, 0.5, -0.25, -0.25])
    }

    @Test("a time range zooms in; past the end is silent")
    func range() {
        // One second loud, one second silent.
        let loud = stereoSines(seconds: 1, sampleRate: 44100, amplitude: 0.5)
        let buffer = AudioBuffer(sampleRate: 44100, channelCount: 2, samples: loud.samples + [Float](repeating: 0, count: loud.samples.count))
        let peaks = WaveformPeaks(buffer)
        #expect(peaks.columns(10, over: 0...1).allSatisfy { $0.max > 0.45 })
        #expect(peaks.columns(10, over: 1.01...2).allSatisfy { $0.max == 0 })
        #expect(peaks.columns(4, over: 2.5...3) == Array(repeating: .silent, count: 4))
    }

    @Test("an empty take draws as silence")
    func empty() {
        let peaks = WaveformPeaks(AudioBuffer(silenceOfFrames: 0, sampleRate: 44100, channelCount: 2))
        #expect(peaks.columns(5) == Array(repeating: .silent, count: 5))
    }
}

@Suite("Waveform drawings")
struct WaveformDrawingTests {
    /// Four bins: full-scale, half, silence, a quarter positive only.
    private let shapes = WaveformPeaks(AudioBuffer(sampleRate: 8, channelCount: 1,
                                                   samples: [1, -1, 0.5, -0.5, 0, 0, 0.25, 0.25]), framesPerBin: 2)

    // Expected drawings worked out by hand from the mapping row = floor((1 - amplitude) / 2 × rows).

    @Test("braille: 2 by 4 dots a cell, +1 at the top, -1 at the bottom")
    func braille() {
        // One dot column per bin: full height; rows 2-6 of 8; the centre dot; a dot at +0.25.
        #expect(WaveformDrawing.lines(shapes, width: 2, height: 2, style: .braille) == [
            "⣧⢀",
            "⡿⠁",
        ])
        // Two dot columns per bin, one row of cells.
        #expect(WaveformDrawing.lines(shapes, width: 4, height: 1, style: .braille) == ["⣿⣶⠤⠒"])
    }

    @Test("blocks: peak level in eighths, from the bottom")
    func blocks() {
        // Levels of 16 eighths: 16, 8, 0 and 4.
        #expect(WaveformDrawing.lines(shapes, width: 4, height: 2, style: .blocks) == [
            "█   ",
            "██ ▄",
        ])
    }

    @Test("ascii: # for the RMS body, : for peaks, - for silence")
    func ascii() {
        #expect(WaveformDrawing.lines(shapes, width: 4, height: 4, style: .ascii) == [
            "#   ",
            "## #",
            "##- ",
            "##  ",
        ])
        // A sine's peaks reach beyond its RMS body.
        let sine = WaveformPeaks(stereoSines(seconds: 0.1, sampleRate: 44100, amplitude: 1))
        #expect(WaveformDrawing.lines(sine, width: 1, height: 8, style: .ascii) == [":", "#", "#", "#", "#", "#", "#", ":"])
    }

    @Test("every style fills exactly width by height at any size", arguments: WaveformStyle.allCases, [(1, 1), (7, 3), (80, 8), (120, 12), (200, 20), (513, 5)])
    func exactSize(style: WaveformStyle, size: (width: Int, height: Int)) {
        let take = WaveformPeaks(stereoSines(seconds: 2, sampleRate: 44100))
        let lines = WaveformDrawing.lines(take, width: size.width, height: size.height, style: style)
        #expect(lines.count == size.height)
        #expect(lines.allSatisfy { $0.count == size.width }, "\(lines.map(\.count))")
    }

    @Test("a loud half then a silent half draws that way in every style", arguments: WaveformStyle.allCases)
    func loudThenSilent(style: WaveformStyle) {
        let loud = stereoSines(seconds: 1, sampleRate: 44100, amplitude: 0.9)
        let buffer = AudioBuffer(sampleRate: 44100, channelCount: 2, samples: loud.samples + [Float](repeating: 0, count: loud.samples.count))
        let lines = WaveformDrawing.lines(WaveformPeaks(buffer), width: 40, height: 6, style: style)
        let blank: Set<Character> = [" ", "⠀", "-", "⠤", "⠒", "⠉", "⣀", "▁", "⠂", "⠐", "⠈", "⠁", "⠄", "⠠", "⡀", "⢀"]
        // Columns in the loud half reach the top row; columns in the silent half never leave the centre.
        let top = Array(lines[0])
        #expect(top[2..<18].allSatisfy { !blank.contains($0) }, "loud half: \(lines.joined(separator: "\n"))")
        #expect(top[22..<40].allSatisfy { blank.contains($0) }, "silent half: \(lines.joined(separator: "\n"))")
    }
}
