import Foundation
import RiffleAudio
import RiffleCore

/// Writes a take's files: the audio in the request's format, its MIDI and, when asked, its stems.
enum TakeFiles {
    /// What was written, for the report.
    struct Written: Encodable, Sendable {
        var path: String
        var duration: Double
        var sampleRate: Int
        var format: String
        var seed: Int64
        var key: String
        var midiPath: String?
        var stems: [String: String]?
        var loudness: Take.MeasuredLoudness
        var sections: [Take.Section]

        enum CodingKeys: String, CodingKey {
            case path, duration, format, seed, key, stems, loudness, sections
            case sampleRate = "sample_rate"
            case midiPath = "midi_path"
        }
    }

    static func write(_ take: Take, to directory: URL, stems: Bool, midi: Bool) throws -> Written {
        let format = take.request.format
        let name = "riffle-\(take.seed)"
        let options = AudioWriteOptions(format: format)
        let audioPath = directory.appendingPathComponent("\(name).\(format.fileExtension)").path
        try AudioFileWriter.write(take.audio, to: audioPath, options: options)
        var midiPath: String?
        if midi, let data = take.midi {
            let url = directory.appendingPathComponent("\(name).mid")
            try data.write(to: url, options: .atomic)
            midiPath = url.path
        }
        var stemPaths: [String: String]?
        if stems, !take.stems.isEmpty {
            let folder = directory.appendingPathComponent("\(name)-stems")
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            var paths: [String: String] = [:]
            for stem in take.stems {
                let path = folder.appendingPathComponent("\(stem.name).\(format.fileExtension)").path
                try AudioFileWriter.write(stem.audio, to: path, options: options)
                paths[stem.name] = path
            }
            stemPaths = paths
        }
        return Written(path: audioPath, duration: take.audio.duration, sampleRate: take.audio.sampleRate, format: format.rawValue,
                       seed: take.seed, key: take.interpretation.key?.value.description ?? "", midiPath: midiPath,
                       stems: stemPaths, loudness: take.loudness, sections: take.sections)
    }
}
