import Foundation
import RiffleAudio
import RiffleCore
import RiffleTestSupport
import Testing

/// Riffle's files must open in the tools people use, and their files in Riffle. `make test` installs
/// sox and ffmpeg; without them these tests fail rather than pass unseen.
@Suite("Files interoperate with sox and ffprobe")
struct InteropTests {
    static let written: [(AudioFormat, SampleEncoding)] = [
        (.wav, .pcm16), (.wav, .pcm24), (.wav, .float32), (.flac, .pcm16), (.flac, .pcm24), (.ogg, .lossy), (.mp3, .lossy),
    ]

    @Test("files Riffle writes open in ffprobe with the right codec, rate, channels and length", arguments: written)
    func ffprobeReadsRiffle(format: AudioFormat, encoding: SampleEncoding) throws {
        try #require(toolIsInstalled("ffprobe"), "ffprobe is missing: run `make test-deps`")
        let directory = try TemporaryDirectory()
        let path = directory.path("take.\(format.fileExtension)")
        try AudioFileWriter.write(stereoSines(seconds: 3, sampleRate: 48000), to: path, options: AudioWriteOptions(format: format, encoding: encoding))

        let probe = try runTool("ffprobe", ["-v", "error", "-show_entries", "stream=codec_name,sample_rate,channels:format=duration",
                                            "-of", "default=noprint_wrappers=1", path])
        #expect(probe.status == 0, "ffprobe failed: \(probe.errors)")
        #expect(probe.errors.isEmpty, "ffprobe complained: \(probe.errors)")
        let fields = Dictionary(probe.output.split(separator: "\n").compactMap { line -> (String, String)? in
            let parts = line.split(separator: "=", maxSplits: 1)
            return parts.count == 2 ? (String(parts[0]), String(parts[1])) : nil
        }, uniquingKeysWith: { first, _ in first })
        let codec: String = switch (format, encoding) {
        case (.wav, .pcm16): "pcm_s16le"
        case (.wav, .pcm24): "pcm_s24le"
        case (.wav, _): "pcm_f32le"
        case (.flac, _): "flac"
        case (.ogg, _): "vorbis"
        case (.mp3, _): "mp3"
        }
        #expect(fields["codec_name"] == codec)
        #expect(fields["sample_rate"] == "48000")
        #expect(fields["channels"] == "2")
        let duration = try #require(fields["duration"].flatMap(Double.init), "no duration in: \(probe.output)")
        #expect(abs(duration - 3) < 0.06, "ffprobe says \(duration) s")
    }

    @Test("files Riffle writes open in sox", arguments: written)
    func soxReadsRiffle(format: AudioFormat, encoding: SampleEncoding) throws {
        try #require(toolIsInstalled("sox"), "sox is missing: run `make test-deps`")
        let directory = try TemporaryDirectory()
        let path = directory.path("take.\(format.fileExtension)")
        try AudioFileWriter.write(stereoSines(seconds: 2, sampleRate: 44100), to: path, options: AudioWriteOptions(format: format, encoding: encoding))
        let rate = try runTool("soxi", ["-r", path])
        #expect(rate.status == 0, "soxi failed: \(rate.errors)")
        #expect(rate.output.trimmingCharacters(in: .whitespacesAndNewlines) == "44100")
        let decode = try runTool("sox", [path, "-n", "stat"])
        #expect(decode.status == 0, "sox could not decode: \(decode.errors)")
    }

    static let soxFormats: [(String, [String])] = [
        ("wav", ["-b", "16"]), ("wav", ["-b", "24"]), ("flac", ["-b", "24"]), ("ogg", []), ("mp3", []),
    ]

    @Test("files sox writes open in Riffle", arguments: soxFormats)
    func riffleReadsSox(fileExtension: String, options: [String]) throws {
        try #require(toolIsInstalled("sox"), "sox is missing: run `make test-deps`")
        let directory = try TemporaryDirectory()
        let path = directory.path("sox.\(fileExtension)")
        let made = try runTool("sox", ["-n", "-r", "48000", "-c", "2"] + options + [path, "synth", "2.5", "sine", "440", "gain", "-6"])
        try #require(made.status == 0, "sox could not write \(path): \(made.errors)")

        let read = try AudioFileReader.read(path)
        #expect(read.sampleRate == 48000)
        #expect(read.channelCount == 2)
        #expect(abs(read.duration - 2.5) < 0.06, "read \(read.duration) s")
        let peak = read.samples.map(abs).max() ?? 0
        #expect(abs(peak - 0.5) < 0.05, "a -6 dB sine should peak near 0.5, got \(peak)")
    }
}
