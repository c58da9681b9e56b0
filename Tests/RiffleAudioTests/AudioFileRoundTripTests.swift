import Foundation
import RiffleAudio
import RiffleCore
import RiffleEngine
import RiffleTestSupport
import Testing

@Suite("Audio files round-trip through every format")
struct AudioFileRoundTripTests {
    static let losslessCases: [(AudioFormat, SampleEncoding)] = [
        (.wav, .pcm16), (.wav, .pcm24), (.wav, .float32), (.flac, .pcm16), (.flac, .pcm24),
    ]

    @Test("lossless formats give back every sample exactly at their bit depth", arguments: losslessCases)
    func losslessIsBitExact(format: AudioFormat, encoding: SampleEncoding) throws {
        let directory = try TemporaryDirectory()
        let path = directory.path("take.\(format.fileExtension)")
        var original = stereoSines(seconds: 1.25, sampleRate: 44100, amplitude: 0.9)
        if let bits = encoding.integerBits { original = quantised(original, bits: bits) }

        try AudioFileWriter.write(original, to: path, options: AudioWriteOptions(format: format, encoding: encoding))
        let info = try AudioFileReader.info(of: path)
        let read = try AudioFileReader.read(path)

        #expect(info.format == format)
        #expect(info.encoding == encoding)
        #expect(read.sampleRate == 44100)
        #expect(read.channelCount == 2)
        #expect(read.frameCount == original.frameCount)
        #expect(firstDifference(read.samples, original.samples) == nil, "in a \(format) \(encoding) round trip")
    }

    @Test("full-scale and out-of-range samples clip instead of wrapping", arguments: [SampleEncoding.pcm16, .pcm24])
    func clipping(encoding: SampleEncoding) throws {
        let directory = try TemporaryDirectory()
        let path = directory.path("loud.wav")
        let input = AudioBuffer(sampleRate: 44100, channelCount: 1, samples: [1.0, -1.0, 1.7, -3.2, 0.5])
        try AudioFileWriter.write(input, to: path, options: AudioWriteOptions(format: .wav, encoding: encoding))
        let read = try AudioFileReader.read(path).samples
        let top = Float((1 << (encoding.integerBits! - 1)) - 1) / Float(1 << (encoding.integerBits! - 1))
        #expect(read == [top, -1, top, -1, 0.5])
    }

    static let rates = [22050, 32000, 44100, 48000]

    @Test("lossy formats keep rate, length and the sound itself", arguments: [AudioFormat.ogg, .mp3], rates)
    func lossyKeepsDurationAndRate(format: AudioFormat, sampleRate: Int) throws {
        let directory = try TemporaryDirectory()
        let path = directory.path("take.\(format.fileExtension)")
        let original = stereoSines(seconds: 2, sampleRate: sampleRate, amplitude: 0.5, left: 220, right: 330)

        try AudioFileWriter.write(original, to: path, options: AudioWriteOptions(format: format))
        let read = try AudioFileReader.read(path)

        #expect(try AudioFileReader.info(of: path).format == format)
        #expect(read.sampleRate == sampleRate)
        #expect(read.channelCount == 2)
        // Encoders pad to whole packets; a take must still be its length to within 50 ms.
        #expect(abs(read.duration - original.duration) <= 0.05, "duration \(read.duration) s, wanted \(original.duration) s")
        // Compare the middle second, away from the codec's start-up and padding.
        let start = sampleRate / 2 * 2, count = sampleRate * 2
        let error = differenceDecibels(Array(read.samples[start..<(start + count)]), Array(original.samples[start..<(start + count)]))
        #expect(error < -20, "decoded audio differs from the original by \(error) dB RMS")
    }

    @Test("every lossless rate is kept", arguments: [AudioFormat.wav, .flac], rates)
    func losslessRates(format: AudioFormat, sampleRate: Int) throws {
        let directory = try TemporaryDirectory()
        let path = directory.path("take.\(format.fileExtension)")
        let original = quantised(stereoSines(seconds: 0.5, sampleRate: sampleRate), bits: 24)
        try AudioFileWriter.write(original, to: path, options: AudioWriteOptions(format: format))
        let read = try AudioFileReader.read(path)
        #expect(read.sampleRate == sampleRate)
        #expect(read.frameCount == original.frameCount)
        #expect(firstDifference(read.samples, original.samples) == nil)
    }

    @Test("mono files stay mono")
    func mono() throws {
        let directory = try TemporaryDirectory()
        let path = directory.path("mono.flac")
        let original = AudioBuffer(sampleRate: 32000, channelCount: 1, samples: (0..<32000).map { Float(sin(Double($0) * 0.05)) * 0.25 })
        try AudioFileWriter.write(quantised(original, bits: 16), to: path, options: AudioWriteOptions(format: .flac, encoding: .pcm16))
        let read = try AudioFileReader.read(path)
        #expect(read.channelCount == 1)
        #expect(firstDifference(read.samples, quantised(original, bits: 16).samples) == nil)
    }
}
