import Foundation
import RiffleAudio
import RiffleCore
import RiffleEngine

extension GenerationService {
    /// Where an export put a take's files.
    public struct ExportedTake: Sendable, Hashable, Codable {
        public var audio: String
        public var midi: String?
        /// Stem name to file; `nil` when the take has no stems.
        public var stems: [String: String]?
    }

    /// Writes take `takeID` to `file` in `format` (else the one `file`'s extension names, else the
    /// take's), with its MIDI beside it as `BASE.mid` and its stems as `BASE-NAME.EXT` when it has
    /// them. The one export every front end uses: audio already in that format is copied as it is,
    /// any other is decoded and encoded; files of the same names are replaced.
    public func export(_ takeID: String, to file: String, format: AudioFormat? = nil) throws(AppError) -> ExportedTake {
        // An empty name would resolve to the current folder.
        guard !file.isEmpty else { throw AppError(.badInput, "out: \"\" is empty (allowed: the path of the file to write)") }
        let take = try existingTake(takeID)
        let stored = AudioFormat(name: take.format)
        let named = URL(fileURLWithPath: file).pathExtension
        // A file named .aiff must not quietly get FLAC inside: an extension must name a format we write.
        guard let chosen = format ?? (named.isEmpty ? stored : AudioFormat(pathExtensionOf: file)) else {
            throw AppError(.badInput, "format: \"\(named)\" is not supported (allowed: one of: \(AudioFormat.list))")
        }
        let target = URL(fileURLWithPath: file)
        let base = target.deletingPathExtension().path
        do {
            try Self.write(take.audioPath, as: chosen, from: stored, to: target.path)
            var exported = ExportedTake(audio: target.path)
            if let midi = take.midiPath {
                exported.midi = base + ".mid"
                try AtomicFile.copy(midi, to: exported.midi!)
            }
            if take.stems != nil {
                var stems: [String: String] = [:]
                for (name, path) in take.orderedStemPaths {
                    let destination = "\(base)-\(name).\(chosen.fileExtension)"
                    try Self.write(path, as: chosen, from: stored, to: destination)
                    stems[name] = destination
                }
                exported.stems = stems
            }
            return exported
        } catch let error as AudioFileError {
            // "cannot write PATH: reason", or the take's own file that cannot be read.
            throw AppError(.fileError, error.description)
        } catch {
            throw AppError(.fileError, "export of \(takeID): \(error)")
        }
    }

    /// Copies `source` to `destination` when it is already in `format`, else re-encodes it; either
    /// way atomically, and never over anything but a regular file.
    private static func write(_ source: String, as format: AudioFormat, from stored: AudioFormat?, to destination: String) throws {
        if format == stored {
            try AtomicFile.copy(source, to: destination)
        } else {
            try AudioFileWriter.write(try AudioFileReader.read(source), to: destination, options: AudioWriteOptions(format: format))
        }
    }

    /// Gives take `takeID` 1 to 5 stars.
    public func rate(_ takeID: String, stars: Int) throws(AppError) {
        guard (1...5).contains(stars) else { throw AppError(.badInput, "rating: \(stars) is out of range (allowed: 1 to 5)") }
        _ = try existingTake(takeID)
        do { try library.rate(take: takeID, stars: stars) } catch { throw error.asAppError }
    }

    /// Marks take `takeID` as the pick of its batch.
    public func pick(_ takeID: String) throws(AppError) {
        _ = try existingTake(takeID)
        do { try library.pick(take: takeID) } catch { throw error.asAppError }
    }

    /// Deletes a take, or a job with all its takes, and their files. A job this process is running is
    /// cancelled first.
    public func delete(_ id: String) throws(AppError) {
        do {
            if try library.job(id) != nil {
                if queue.isActive(id) {
                    queue.cancel(id)
                    queue.wait(id)
                }
                try library.delete(job: id)
            } else if let take = try library.take(id) {
                try library.delete(take: id)
                // A finished job whose last take is gone goes too, folder and all: an empty row in
                // every listing, and a cache entry that would answer its request with no takes.
                if try library.takes(ofJob: take.jobID).isEmpty, !queue.isActive(take.jobID),
                   try library.job(take.jobID)?.status.isFinished == true {
                    try library.delete(job: take.jobID)
                }
            } else {
                throw AppError.unknown(id)
            }
        } catch let error as AppError {
            throw error
        } catch let error as Library.Failure {
            throw error.asAppError
        } catch {
            throw AppError(.fileError, "\(error)")
        }
    }

    /// A take's waveform for drawing: the mix's peaks and each stem's, and its sections, as the
    /// library keeps them. A take stored before the library kept peaks has them made from its audio
    /// once, and recorded.
    public func waveform(of takeID: String) throws(AppError) -> TakeWaveform {
        let take = try existingTake(takeID)
        do {
            var lanes = try library.waveforms(ofTake: takeID)
            var sections = take.sections
            let stemCount = take.stems?.count ?? 0
            if lanes.count != 1 + stemCount {
                let audio = try self.audio(of: takeID)
                lanes = TakeStore.waveforms(of: takeID, mix: audio.mix, stems: audio.stems.map { ($0.name, $0.audio) })
                try library.setWaveforms(take: takeID, lanes)
                if sections.isEmpty, let job = try library.job(take.jobID), let engine = try? engines.engine(named: job.engine.name, model: job.request.model) {
                    sections = engine.sections(fromState: take.engineState)
                }
            }
            let peaks = try lanes.map { TakeWaveform.Lane(name: $0.name, peaks: try WaveformPeaks(encoded: $0.peaks)) }
            return TakeWaveform(takeID: takeID, mix: peaks[0].peaks, stems: Array(peaks.dropFirst()), sections: sections)
        } catch let error as AppError {
            throw error
        } catch let error as Library.Failure {
            throw error.asAppError
        } catch {
            throw AppError(.fileError, "waveform of \(takeID): \(error)")
        }
    }

    /// A take's decoded audio and stems, for a player; stems are all there or not at all.
    public func audio(of takeID: String) throws(AppError) -> TakeAudio {
        let take = try existingTake(takeID)
        do {
            let mix = try AudioFileReader.read(take.audioPath)
            var stems: [TakeAudio.Stem] = []
            for (name, path) in take.orderedStemPaths {
                guard let audio = try? AudioFileReader.read(path), audio.frameCount == mix.frameCount else {
                    // A stem that is gone or damaged: play the mix alone rather than parts that do not add up.
                    stems = []
                    break
                }
                stems.append(.init(name: name, audio: audio))
            }
            return TakeAudio(takeID: takeID, mix: mix, stems: stems)
        } catch {
            throw AppError(.fileError, "take \(takeID): \(error)")
        }
    }
}

/// A take's waveform as stored: the mix's peaks, each stem's, and the sections.
public struct TakeWaveform: Sendable, Equatable {
    public struct Lane: Sendable, Equatable {
        public var name: String
        public var peaks: WaveformPeaks
    }

    public var takeID: String
    public var mix: WaveformPeaks
    /// In part order, the player's mute order.
    public var stems: [Lane]
    public var sections: [Take.Section]
}

/// A take's decoded audio, for playing.
public struct TakeAudio: Sendable {
    public struct Stem: Sendable {
        public var name: String
        public var audio: AudioBuffer
    }

    public var takeID: String
    public var mix: AudioBuffer
    /// In part order; empty when the take has none (or one is missing).
    public var stems: [Stem]
}
