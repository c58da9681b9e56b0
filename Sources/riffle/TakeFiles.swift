import Foundation
import RiffleAudio
import RiffleCore
import RiffleLibrary

/// Writes a take's files into its job's folder in the library and registers it there: the audio
/// in the request's format, its MIDI and, when asked, its stems. The take is registered only after
/// every file is complete (each is written atomically), so the library never points at half a file.
enum TakeFiles {
    /// What was written, for the report.
    struct Written: Codable, Sendable {
        var id: String
        var path: String
        var duration: Double
        var sampleRate: Int
        var format: String
        var seed: Int64
        var key: String
        var midiPath: String?
        var stems: [String: String]?
        var loudness: Take.MeasuredLoudness
        var score: Double?
        var sections: [Take.Section]?

        enum CodingKeys: String, CodingKey {
            case id, path, duration, format, seed, key, stems, loudness, score, sections
            case sampleRate = "sample_rate"
            case midiPath = "midi_path"
        }
    }

    static func store(_ take: Take, variation: Int, jobID: String, in library: Library, stems: Bool, midi: Bool,
                      seconds: Double, parent: String? = nil) throws -> Written {
        let folder = library.folder(forJob: jobID)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let format = take.request.format
        let name = "take-\(variation + 1)"
        let options = AudioWriteOptions(format: format)
        let audioPath = folder.appendingPathComponent("\(name).\(format.fileExtension)").path
        try AudioFileWriter.write(take.audio, to: audioPath, options: options)
        var midiPath: String?
        if midi, let data = take.midi {
            let url = folder.appendingPathComponent("\(name).mid")
            try data.write(to: url, options: .atomic)
            midiPath = url.path
        }
        let stemPaths = stems ? try writeStems(take, into: folder.appendingPathComponent("\(name)-stems")) : nil
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let quality = QualityScore.score(take.audio, loudness: take.loudness,
                                         expected: .init(duration: take.request.duration, bpm: take.interpretation.bpm.value))
        let record = TakeRecord(
            id: "\(jobID)-\(variation + 1)", jobID: jobID, variation: variation, seed: take.seed, duration: take.audio.duration,
            sampleRate: take.audio.sampleRate, format: format.rawValue, audioPath: audioPath, midiPath: midiPath,
            stems: try stemPaths.map { String(decoding: try encoder.encode($0), as: UTF8.self) },
            interpretation: String(decoding: try encoder.encode(take.interpretation), as: UTF8.self),
            engineState: take.engineState, loudness: take.loudness.integrated, truePeak: take.loudness.truePeak,
            score: quality.total, scoreParts: String(decoding: try encoder.encode(quality.parts), as: UTF8.self),
            parentTakeID: parent, inferenceSeconds: seconds)
        try library.insert(record)
        var written = written(record)
        written.sections = take.sections
        return written
    }

    /// Writes a take's stems into `folder` in the take's format; `nil` when it has none.
    static func writeStems(_ take: Take, into folder: URL) throws -> [String: String]? {
        guard !take.stems.isEmpty else { return nil }
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let format = take.request.format
        var paths: [String: String] = [:]
        for stem in take.stems {
            let path = folder.appendingPathComponent("\(stem.name).\(format.fileExtension)").path
            try AudioFileWriter.write(stem.audio, to: path, options: AudioWriteOptions(format: format))
            paths[stem.name] = path
        }
        return paths
    }

    /// What the report says of a take already in the library (a cached answer).
    static func written(_ record: TakeRecord) -> Written {
        let interpretation = try? JSONDecoder().decode(Interpretation.self, from: Data(record.interpretation.utf8))
        let stems = record.stemPaths
        return Written(id: record.id, path: record.audioPath, duration: record.duration, sampleRate: record.sampleRate,
                       format: record.format, seed: record.seed, key: interpretation?.key?.value.description ?? "",
                       midiPath: record.midiPath, stems: stems,
                       loudness: .init(integrated: record.loudness, truePeak: record.truePeak), score: record.score)
    }

    /// Copies a take's files into `directory` (for `--out`), replacing files of the same names.
    static func copy(_ written: Written, to directory: URL) throws -> Written {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        func place(_ path: String, as name: String) throws -> String {
            let target = directory.appendingPathComponent(name)
            if FileManager.default.fileExists(atPath: target.path) { try FileManager.default.removeItem(at: target) }
            try FileManager.default.copyItem(atPath: path, toPath: target.path)
            return target.path
        }
        var copy = written
        let base = written.id
        copy.path = try place(written.path, as: "\(base).\(written.format)")
        copy.midiPath = try written.midiPath.map { try place($0, as: "\(base).mid") }
        copy.stems = try written.stems.map { stems in
            try stems.mapValues { path in try place(path, as: "\(base)-\(URL(fileURLWithPath: path).lastPathComponent)") }
        }
        return copy
    }
}

extension TakeRecord {
    /// Its stems' files by part name, as the library records them; `nil` when it has none.
    var stemPaths: [String: String]? {
        stems.flatMap { try? JSONDecoder().decode([String: String].self, from: Data($0.utf8)) }
    }

    /// Its stems' files in part order (drums, bass, harmony, melody, texture): the order of the
    /// studio's lanes and of the player's mute mask.
    var orderedStemPaths: [(name: String, path: String)] {
        guard let paths = stemPaths else { return [] }
        return Instrument.Role.allCases.compactMap { role in paths[role.rawValue].map { (role.rawValue, $0) } }
    }
}
