import Foundation
import RiffleAudio
import RiffleComposer
import RiffleCore
import RiffleLibrary

/// Loads a take back from the library as the engine's take: audio, stems and engine state, for
/// edits (the command line's and the studio's).
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
        if let json = record.stems, let paths = try? decoder.decode([String: String].self, from: Data(json.utf8)) {
            for name in Instrument.Role.allCases.map(\.rawValue) {
                guard let path = paths[name], let stem = try? AudioFileReader.read(path) else { stems = []; break }
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
