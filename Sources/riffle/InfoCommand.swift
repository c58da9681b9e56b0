import ArgumentParser
import Foundation
import RiffleAudio
import RiffleCore

/// `riffle info FILE...`: format, rate, channels, length and loudness of audio files.
struct InfoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "info",
        abstract: "Show the format, length and loudness of audio files."
    )

    @Argument(help: "Audio files (WAV, FLAC, OGG Vorbis, MP3).")
    var files: [String]

    @Flag(help: "Print JSON instead of text.")
    var json = false

    struct Report: Encodable {
        var path: String
        var format: String
        var encoding: String
        var sampleRate: Int
        var channels: Int
        var frames: Int
        var duration: Double
        var integratedLoudness: Double?
        var truePeak: Double?

        enum CodingKeys: String, CodingKey {
            case path, format, encoding, channels, frames, duration
            case sampleRate = "sample_rate"
            case integratedLoudness = "integrated_lufs"
            case truePeak = "true_peak_dbtp"
        }
    }

    func run() throws {
        var reports: [Report] = []
        var failed = false
        for path in files {
            do {
                reports.append(try report(path))
            } catch {
                failed = true
                printError("riffle: \(error)")
            }
        }
        if json {
            try printJSON(reports)
        } else {
            for report in reports { printLine(describe(report)) }
        }
        if failed { throw ExitStatus.fileError }
    }

    private func report(_ path: String) throws -> Report {
        let (info, audio) = try AudioFileReader.readWithInfo(path)
        let loudness = try? Loudness.measure(audio)
        return Report(path: path, format: info.format.rawValue, encoding: info.encoding.description,
                      sampleRate: audio.sampleRate, channels: audio.channelCount, frames: audio.frameCount,
                      duration: audio.duration,
                      integratedLoudness: loudness.map(\.integrated).flatMap { $0.isFinite ? $0 : nil },
                      truePeak: loudness.map(\.truePeak).flatMap { $0.isFinite ? $0 : nil })
    }

    private func describe(_ report: Report) -> String {
        let loudness = report.integratedLoudness.map { String(format: "%.1f LUFS", $0) } ?? "silent"
        let peak = report.truePeak.map { String(format: "%.1f dBTP", $0) } ?? "-inf dBTP"
        return "\(report.path): \(report.format) \(report.encoding), \(report.sampleRate) Hz, "
            + "\(report.channels == 1 ? "mono" : report.channels == 2 ? "stereo" : "\(report.channels) channels"), "
            + "\(formatDuration(report.duration)), \(loudness), \(peak)"
    }
}

/// "1:05.250" for 65.25 seconds.
func formatDuration(_ seconds: Double) -> String {
    let minutes = Int(seconds) / 60
    return String(format: "%d:%06.3f", minutes, seconds - Double(minutes * 60))
}
