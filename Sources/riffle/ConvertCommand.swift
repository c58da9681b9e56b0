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

    @Option(name: .customLong("sample-rate"), parsing: .unconditional, help: "Resample to this rate in Hz.")
    var sampleRate: String?

    @Option(name: .customLong("bit-depth"), parsing: .unconditional, help: "For WAV: 16, 24 or 32 (float); for FLAC: 16 or 24. Default 24.")
    var bitDepth: String?

    @Option(parsing: .unconditional, help: "For OGG and MP3: quality from 0 (smallest) to 1 (best).")
    var quality = "0.7"

    func run() throws {
        let (options, sampleRate) = try writeOptions()
        do {
            let audio = try AudioFileReader.read(input, resamplingTo: sampleRate)
            try AudioFileWriter.write(audio, to: output, options: options)
            printLine("\(output): \(options.format) \(options.encoding), \(audio.sampleRate) Hz, \(formatDuration(audio.duration))")
        } catch {
            printError("riffle: \(error)")
            throw ExitStatus.fileError
        }
    }

    /// The options, and the rate to resample to; every problem with them reported at once.
    private func writeOptions() throws -> (AudioWriteOptions, Int?) {
        var problems: [String] = []
        /// "--bit-depth 20 is not supported (allowed: 16, 24, 32)", the value quoted when it is no number.
        func problem(_ option: String, _ text: String, _ what: String, _ allowed: String) {
            problems.append("\(option) \(isDecimal(text) ? text : "\"\(text)\"") \(what) (allowed: \(allowed))")
        }
        if output.isEmpty { problems.append("output \"\" is empty (allowed: the path of the file to write)") }
        let chosen = format.map({ AudioFormat(name: $0) }) ?? AudioFormat(pathExtensionOf: output)
        if chosen == nil {
            let given = format.map { "--format \($0)" } ?? "the extension of \(output)"
            problems.append("\(given) is not a format Riffle writes (allowed: \(AudioFormat.list))")
        }
        var encoding: SampleEncoding?
        if let bitDepth {
            switch parseWhole(bitDepth) {
            case .value(16): encoding = .pcm16
            case .value(24): encoding = .pcm24
            case .value(32): encoding = .float32
            case .value: problem("--bit-depth", bitDepth, "is not supported", "16, 24, 32")
            case let parsed: problem("--bit-depth", bitDepth, parsed.problem ?? "", "16, 24, 32")
            }
        }
        var rate: Int?
        if let sampleRate {
            let rates = 8000...192_000
            rate = parseWhole(sampleRate).value
            if let rate, !rates.contains(rate) {
                problem("--sample-rate", sampleRate, "is out of range", "8000 to 192000 Hz")
            } else if rate == nil {
                problem("--sample-rate", sampleRate, parseWhole(sampleRate).problem ?? "", "8000 to 192000 Hz")
            }
        }
        let level = parseNumber(quality)
        if let problemText = level.problem { problem("--quality", quality, problemText, "0 to 1") }
        // With a format, AudioWriteOptions checks the range itself.
        if chosen == nil, let value = level.value, !(0...1).contains(value) { problem("--quality", quality, "is out of range", "0 to 1") }
        if let chosen {
            let options = AudioWriteOptions(format: chosen, encoding: chosen.isLossless ? encoding : nil, quality: level.value ?? 0.7)
            if let problem = options.problem { problems.append(problem) }
            if encoding != nil, !chosen.isLossless {
                problems.append("--bit-depth applies to wav and flac only; \(chosen) takes --quality")
            }
            if problems.isEmpty { return (options, rate) }
        }
        throw ValidationError(problems.joined(separator: "\n"))
    }
}
