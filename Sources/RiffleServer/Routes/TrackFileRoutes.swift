import Foundation
import Hummingbird
import RiffleApp
import RiffleAudio
import RiffleCore

extension APIServer {
    /// A track's files: audio in any format (Range, ETag), its waveform peaks, MIDI and stems.
    func addTrackFileRoutes(to v1: RouterGroup<APIRequestContext>) {
        v1.get("music/:track/audio") { request, context in
            let (take, _) = try self.visibleTake(try context.parameters.require("track"), caller: context.caller)
            let stored = AudioFormat(name: take.format) ?? .wav
            var format = stored
            if let name = request.query("format") {
                guard let asked = AudioFormat(name: name) else {
                    throw APIError.badRequest("format: \(name) is not supported (allowed: one of: \(AudioFormat.list))", field: "format")
                }
                format = asked
            }
            let path = format == stored ? take.audioPath : try self.transcoded(take, to: format)
            let download = request.query("download") == "true" ? "\(take.id).\(format.fileExtension)" : nil
            return try FileResponse.make(path: path, contentType: format.mediaType, request: request, downloadName: download)
        }
        v1.get("music/:track/waveform") { request, context in
            let (take, _) = try self.visibleTake(try context.parameters.require("track"), caller: context.caller)
            let bins = try request.query("bins", in: 1...10_000, default: 512)
            let waveform = try self.service.waveform(of: take.id)
            return try JSONCoding.response(WaveformView(take: take, waveform: waveform, bins: bins))
        }
        v1.get("music/:track/midi") { request, context in
            let (take, _) = try self.visibleTake(try context.parameters.require("track"), caller: context.caller)
            guard let path = take.midiPath else {
                throw APIError.notFound("track \(take.id) has no MIDI: its engine makes audio only")
            }
            return try FileResponse.make(path: path, contentType: "audio/midi", request: request)
        }
        v1.get("music/:track/stems/:stem") { request, context in
            let (take, _) = try self.visibleTake(try context.parameters.require("track"), caller: context.caller)
            let name = try context.parameters.require("stem")
            guard let path = take.stems?[name] else {
                let have = take.orderedStemPaths.map(\.name)
                throw APIError.notFound("track \(take.id) has no stem \(name)"
                                        + (have.isEmpty ? " (it has none: POST /v1/music/\(take.id)/stems makes them)" : " (it has: \(have.joined(separator: ", ")))"))
            }
            let format = AudioFormat(pathExtensionOf: path) ?? .wav
            return try FileResponse.make(path: path, contentType: format.mediaType, request: request)
        }
    }

    /// Deletes the encodings ``transcoded(_:to:)`` kept of a take that is gone.
    func forgetTranscodes(of takeID: String) {
        let folder = service.library.directory.appendingPathComponent("cache/audio", isDirectory: true)
        for format in AudioFormat.allCases {
            try? FileManager.default.removeItem(at: folder.appendingPathComponent("\(takeID).\(format.fileExtension)"))
        }
    }

    /// `take`'s audio in `format`, encoded once into the library's cache folder and kept there (a
    /// second request, or a ranged one, reads the same file).
    func transcoded(_ take: TakeRecord, to format: AudioFormat) throws -> String {
        let folder = service.library.directory.appendingPathComponent("cache/audio", isDirectory: true)
        let file = folder.appendingPathComponent("\(take.id).\(format.fileExtension)").path
        if FileManager.default.fileExists(atPath: file) { return file }
        do {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            // Written whole under another name first, so a ranged read never sees half a file.
            let partial = file + ".partial-\(UUID().uuidString)"
            try AudioFileWriter.write(try AudioFileReader.read(take.audioPath), to: partial, options: AudioWriteOptions(format: format))
            if rename(partial, file) != 0 { throw APIError(.internalServerError, "storage_error", "cannot store the \(format) file") }
        } catch let error as APIError {
            throw error
        } catch {
            throw APIError(.internalServerError, "storage_error", "track \(take.id) cannot be encoded as \(format): \(error)")
        }
        return file
    }
}

extension AudioFormat {
    /// The media type a browser or player expects for the format.
    var mediaType: String {
        switch self {
        case .wav: "audio/wav"
        case .flac: "audio/flac"
        case .ogg: "audio/ogg"
        case .mp3: "audio/mpeg"
        }
    }
}

/// `GET /v1/music/{track_id}/waveform`: min/max/RMS per bin for the mix and each stem.
struct WaveformView: Encodable, Sendable {
    struct Bin: Encodable, Sendable {
        var min: Float
        var max: Float
        var rms: Float
    }

    var trackID: String
    var bins: Int
    var duration: Double
    var peaks: [Bin]
    var stems: [String: [Bin]]

    enum CodingKeys: String, CodingKey {
        case bins, duration, peaks, stems
        case trackID = "track_id"
    }

    init(take: TakeRecord, waveform: TakeWaveform, bins: Int) {
        trackID = take.id
        self.bins = bins
        duration = waveform.mix.duration
        func columns(_ peaks: WaveformPeaks) -> [Bin] {
            peaks.columns(bins).map { Bin(min: $0.min, max: $0.max, rms: $0.rms) }
        }
        peaks = columns(waveform.mix)
        stems = Dictionary(uniqueKeysWithValues: waveform.stems.map { ($0.name, columns($0.peaks)) })
    }
}
