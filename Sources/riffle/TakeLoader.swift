import Foundation
import RiffleAudio
import RiffleComposer
import RiffleCore
import RiffleLibrary

/// Loads a take back from the library as the engine's take (audio, stems and engine state), and
/// does what the command line and the studio both do with one: edit it into a new take, or write
/// its stems.
struct TakeLoader {
    let library: Library
    let engine: ComposerEngine

    struct Failure: Error, CustomStringConvertible {
        let description: String
        /// The id names no take.
        var isUnknownID = false
    }

    /// The take `id`. Stems not on disk are made again: the same request and seed give the same
    /// take, bit for bit.
    func load(_ id: String) throws -> (Take, TakeRecord) {
        guard let record = try library.take(id), let job = try library.job(record.jobID) else {
            throw Failure(description: "no take with id \(id)", isUnknownID: true)
        }
        let decoder = JSONDecoder()
        var request = try decoder.decode(GenerationRequest.self, from: Data(job.request.utf8))
        request.format = AudioFormat(name: record.format) ?? request.format
        let interpretation = try decoder.decode(Interpretation.self, from: Data(record.interpretation.utf8))
        let audio: AudioBuffer
        do {
            audio = try AudioFileReader.read(record.audioPath)
        } catch {
            throw Failure(description: "take \(id): \(error)")
        }
        var stems: [Take.Stem] = []
        let paths = record.orderedStemPaths
        if paths.count == Instrument.Role.allCases.count {
            for (name, path) in paths {
                guard let stem = try? AudioFileReader.read(path) else { stems = []; break }
                stems.append(Take.Stem(name: name, audio: stem))
            }
        }
        if stems.isEmpty {
            guard job.kind == .generate else {
                throw Failure(description: "take \(id) has no stems on disk and was made by an edit, so it cannot be made again")
            }
            stems = try engine.generate(request, seed: record.seed, progress: { _ in }, cancellation: Cancellation()).stems
        }
        let take = Take(audio: audio, stems: stems, midi: nil, seed: record.seed, request: request, interpretation: interpretation,
                        engine: engine.identity, sections: [], loudness: .init(integrated: record.loudness, truePeak: record.truePeak),
                        engineState: record.engineState)
        return (take, record)
    }
}

extension TakeLoader {
    /// Makes `edit` of `parent` (loaded with ``load(_:)``) and stores the result as the take of job
    /// `jobID` (which must exist), with its stems and MIDI so it can be edited in turn, then marks the
    /// job completed.
    func edit(_ parent: Take, record: TakeRecord, _ edit: TakeEdit, into jobID: String, seed: Int64, progress: ProgressHandler,
              cancellation: Cancellation) throws -> (Take, TakeFiles.Written) {
        let started = Date()
        let made = try engine.edit(parent, edit, seed: seed, progress: progress, cancellation: cancellation)
        let written = try TakeFiles.store(made, variation: 0, jobID: jobID, in: library, stems: true, midi: true,
                                          seconds: Date().timeIntervalSince(started), parent: record.id)
        try library.update(job: jobID, to: .completed)
        return (made, written)
    }

    /// Take `id`'s stems by part name: the files it has, or, when any is missing, written beside it
    /// (made again from its request and seed) and recorded in the library.
    func stems(of id: String) throws -> [String: String] {
        guard let record = try library.take(id) else { throw Failure(description: "no take with id \(id)", isUnknownID: true) }
        if let paths = record.stemPaths, !paths.values.contains(where: { !FileManager.default.fileExists(atPath: $0) }) {
            return paths
        }
        let (take, _) = try load(id)
        let folder = URL(fileURLWithPath: record.audioPath).deletingPathExtension().path + "-stems"
        let paths = try TakeFiles.writeStems(take, into: URL(fileURLWithPath: folder)) ?? [:]
        try library.setStems(take: id, paths: paths)
        return paths
    }
}
