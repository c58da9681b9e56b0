import Foundation
import RiffleAudio
import RiffleCore
import RiffleEngine
import RiffleTestSupport
import Testing

@Suite("Resampling on import")
struct ResamplerTests {
    /// Zero crossings per second of one channel: twice the frequency of a pure tone.
    private func crossingsPerSecond(_ buffer: AudioBuffer, channel: Int) -> Double {
        var crossings = 0
        var previous = buffer.samples[channel]
        for frame in 1..<buffer.frameCount {
            let sample = buffer.samples[frame * buffer.channelCount + channel]
            if (previous < 0) != (sample < 0) { crossings += 1 }
            previous = sample
        }
        return Double(crossings) / buffer.duration
    }

    @Test("a file at another rate is read at the rate asked for, same length, same pitch",
          arguments: [(48000, 44100), (22050, 48000), (44100, 32000)])
    func importAtRate(source: Int, target: Int) throws {
        let directory = try TemporaryDirectory()
        let path = directory.path("source.wav")
        try AudioFileWriter.write(stereoSines(seconds: 3, sampleRate: source), to: path, options: AudioWriteOptions(format: .wav, encoding: .float32))

        let read = try AudioFileReader.read(path, resamplingTo: target)

        #expect(read.sampleRate == target)
        #expect(read.frameCount == Int((3.0 * Double(target)).rounded()))
        #expect(abs(crossingsPerSecond(read, channel: 0) - 880) < 4, "left channel should still be 440 Hz")
        #expect(abs(crossingsPerSecond(read, channel: 1) - 1320) < 4, "right channel should still be 660 Hz")
        let peak = read.samples.map(abs).max() ?? 0
        #expect(abs(peak - 0.5) < 0.02, "level changed: peak \(peak)")
    }

    @Test("reading at the file's own rate returns the samples untouched")
    func sameRateIsUntouched() throws {
        let directory = try TemporaryDirectory()
        let path = directory.path("source.wav")
        let original = stereoSines(seconds: 0.5, sampleRate: 44100)
        try AudioFileWriter.write(original, to: path, options: AudioWriteOptions(format: .wav, encoding: .float32))
        #expect(firstDifference(try AudioFileReader.read(path, resamplingTo: 44100).samples, original.samples) == nil)
    }
}
