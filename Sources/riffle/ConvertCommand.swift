import ArgumentParser
import RiffleAudio
import RiffleCore

/// `riffle convert IN OUT`: re-encode an audio file, optionally at another rate or bit depth.
struct ConvertCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "convert",
        abstract: "Convert an audio file to another format, sample rate or bit depth.",
        discussion: "The output format comes from --format, else from OUTPUT's extension. The output appears complete or not at all."
    )

    @Argument(help: "The file to read.")
    var input: String

    @Argument(help: "The file to write; an existing file is replaced.")
    var output: String

    @Option(help: "Output format: \(AudioFormat.list).")
    var format: String?

    @Option(name: .customLong("sample-rate"), help: "Resample to this rate in Hz.")
    var sampleRate: Int?

    @Option(name: .customLong("bit-depth"), help: "For WAV: 16, 24 or 32 (float); for FLAC: 16 or 24. Default 24.")
    var bitDepth: Int?

    @Option(help: "For OGG and MP3: quality from 0 (smallest) to 1 (best).")
    var quality: Double = 0.7

    func run() throws {
        let options = try writeOptions()
        do {
            let audio = try AudioFileReader.read(input, resamplingTo: sampleRate)
            try AudioFileWriter.write(audio, to: output, options: options)
            printLine("\(output): \(options.format) \(options.encoding), \(audio.sampleRate) Hz, \(formatDuration(audio.duration))")
        } catch {
            printError("riffle: \(error)")
            throw ExitStatus.fileError
        }
    }

    private func writeOptions() throws -> AudioWriteOptions {
        guard let chosen = format.map({ AudioFormat(name: $0) }) ?? AudioFormat(pathExtensionOf: output) else {
            let given = format.map { "--format \($0)" } ?? "the extension of \(output)"
            throw ValidationError("\(given) is not a format Riffle writes (allowed: \(AudioFormat.list))")
        }
        let encoding: SampleEncoding? = switch bitDepth {
        case nil: nil
        case 16: .pcm16
        case 24: .pcm24
        case 32: .float32
        case let other?: throw ValidationError("--bit-depth \(other) is not supported (allowed: 16, 24, 32)")
        }
        if let sampleRate, !(8000...192_000).contains(sampleRate) {
            throw ValidationError("--sample-rate \(sampleRate) is out of range (allowed: 8000 to 192000 Hz)")
        }
        let options = AudioWriteOptions(format: chosen, encoding: chosen.isLossless ? encoding : nil, quality: quality)
        if let problem = options.problem { throw ValidationError(problem) }
        if encoding != nil, !chosen.isLossless {
            throw ValidationError("--bit-depth applies to wav and flac only; \(chosen) takes --quality")
        }
        return options
    }
}
