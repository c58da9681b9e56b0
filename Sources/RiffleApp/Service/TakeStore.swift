import Foundation
import RiffleAudio
import RiffleCore
import RiffleEngine

/// Writes a take into its job's folder and registers it, everything at once: the audio in the
/// request's format, its MIDI and stems when asked, its quality score, the waveform peaks of the mix
/// and of each stem, and its sections. Each file is written atomically and the take is registered
/// only after all are complete, so the library never points at half a file, and the studio draws a
/// new take from the stored peaks without decoding its audio.
struct TakeStore {
    let library: Library

    /// - Throws: ``AudioFileError`` or ``Library/Failure``, which name their files and causes, or an
    ///   ``AppError`` `.fileError` naming the folder and, when the file system knows it, the cause.
    func store(_ take: Take, variation: Int, jobID: String, outputs: TakeOutputs, seconds: Double,
               parent: String? = nil) throws -> TakeRecord {
        let folder = library.folder(forJob: jobID)
        do {
            return try write(take, variation: variation, jobID: jobID, outputs: outputs, seconds: seconds, parent: parent, into: folder)
        } catch let error as AudioFileError {
            throw error
        } catch let error as Library.Failure {
            throw error
        } catch {
            // Foundation's errors (the folder, the MIDI file) say "the operation could not be completed".
            let cause = StorageProblem.at(folder.path)?.describe(folder.path) ?? error.localizedDescription
            throw AppError(.fileError, "\(folder.path): cannot write take \(variation + 1): \(cause)")
        }
    }

    private func write(_ take: Take, variation: Int, jobID: String, outputs: TakeOutputs, seconds: Double,
                       parent: String?, into folder: URL) throws -> TakeRecord {
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let format = take.request.format
        let name = "take-\(variation + 1)"
        let audioPath = folder.appendingPathComponent("\(name).\(format.fileExtension)").path
        try AudioFileWriter.write(take.audio, to: audioPath, options: AudioWriteOptions(format: format))
        var midiPath: String?
        if outputs.midi, let data = take.midi {
            let url = folder.appendingPathComponent("\(name).mid")
            try data.write(to: url, options: .atomic)
            midiPath = url.path
        }
        let id = "\(jobID)-\(variation + 1)"
        var record = TakeRecord(
            id: id, jobID: jobID, variation: variation, seed: take.seed, duration: take.audio.duration,
            sampleRate: take.audio.sampleRate, format: format.rawValue, audioPath: audioPath, midiPath: midiPath, stems: nil,
            interpretation: take.interpretation, engineState: take.engineState, loudness: take.loudness.integrated,
            truePeak: take.loudness.truePeak, sections: take.sections, parentTakeID: parent, inferenceSeconds: seconds)
        let stems = outputs.stems ? take.stems : []
        if !stems.isEmpty { record.stems = try writeStems(stems, format: format, into: record.stemsFolder) }
        // Scored with every stem the engine made, written or not: the stems tell which parts play.
        let quality = QualityScore.score(take)
        record.score = quality.total
        record.scoreParts = quality.parts
        try library.insert(record, waveforms: Self.waveforms(of: id, mix: take.audio, stems: stems.map { ($0.name, $0.audio) }))
        return record
    }

    /// Writes stems into `folder` in `format`; returns each part's file by name.
    func writeStems(_ stems: [Take.Stem], format: AudioFormat, into folder: URL) throws -> [String: String] {
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        var paths: [String: String] = [:]
        for stem in stems {
            let path = folder.appendingPathComponent("\(stem.name).\(format.fileExtension)").path
            try AudioFileWriter.write(stem.audio, to: path, options: AudioWriteOptions(format: format))
            paths[stem.name] = path
        }
        return paths
    }

    /// The waveform lanes of a take: the mix, then each stem in part order.
    static func waveforms(of takeID: String, mix: AudioBuffer, stems: [(name: String, audio: AudioBuffer)]) -> [WaveformRecord] {
        let order = Instrument.Role.allCases.map(\.rawValue)
        let sorted = stems.sorted { (order.firstIndex(of: $0.name) ?? order.count, $0.name) < (order.firstIndex(of: $1.name) ?? order.count, $1.name) }
        let lanes = [("mix", mix)] + sorted.map { ($0.name, $0.audio) }
        return lanes.enumerated().map { lane, entry in
            WaveformRecord(takeID: takeID, lane: lane, name: entry.0,
                           peaks: WaveformPeaks(entry.1, framesPerBin: WaveformPeaks.storedFramesPerBin).encoded())
        }
    }
}
