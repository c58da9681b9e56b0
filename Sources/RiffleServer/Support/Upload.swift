import Foundation
import Hummingbird
import MultipartKit
import RiffleAudio
import RiffleEngine

/// A request that carries audio: multipart/form-data (a file part and text fields) or JSON with the
/// audio as base64 (`audio` or `audio_base64`). Either way: the fields as JSON-like values and the audio
/// decoded, by libsndfile, from whatever format it came in.
struct Upload {
    var fields: [String: Any]
    var audio: AudioBuffer?

    /// - Parameter filePart: the name of the file part ("audio", or the tutorial's "melody").
    static func read(_ request: inout Request, limit: Int, filePart: String) async throws -> Upload {
        let body = try await request.collectedBody(limit: limit)
        let type = request.headers[.contentType] ?? ""
        if type.lowercased().hasPrefix("multipart/form-data") {
            return try multipart(body, contentType: type, filePart: filePart)
        }
        var fields = try JSONCoding.object(body)
        let encoded = (fields.removeValue(forKey: "audio_base64") ?? fields.removeValue(forKey: "audio")) as? String
        var audio: AudioBuffer?
        if let encoded {
            // A data URL's "data:audio/wav;base64," prefix is allowed.
            let text = encoded.split(separator: ",", maxSplits: 1).last.map(String.init) ?? encoded
            guard let bytes = Data(base64Encoded: text, options: .ignoreUnknownCharacters) else {
                throw APIError.badRequest("audio_base64: is not base64 (allowed: an audio file, base64-encoded)", field: "audio_base64")
            }
            audio = try decodeAudio(bytes, field: "audio_base64")
        }
        return Upload(fields: fields, audio: audio)
    }

    private static func multipart(_ body: Data, contentType: String, filePart: String) throws -> Upload {
        guard let boundary = contentType.split(separator: ";").compactMap({ part -> String? in
            let pair = part.trimmingCharacters(in: .whitespaces).split(separator: "=", maxSplits: 1)
            guard pair.count == 2, pair[0].lowercased() == "boundary" else { return nil }
            return pair[1].trimmingCharacters(in: CharacterSet(charactersIn: "\""))
        }).first else {
            throw APIError.badRequest("the multipart body names no boundary in its Content-Type")
        }
        let parser = MultipartParser(boundary: boundary)
        var parts: [(name: String?, body: Data)] = []
        var name: String?
        var current = Data()
        parser.onHeader = { field, value in
            if field.lowercased() == "content-disposition" { name = Self.partName(value) }
        }
        parser.onBody = { buffer in current.append(contentsOf: buffer.readableBytesView) }
        parser.onPartComplete = {
            parts.append((name, current))
            name = nil
            current = Data()
        }
        do {
            try parser.execute([UInt8](body))
        } catch {
            throw APIError.badRequest("the multipart body is malformed: \(error)")
        }
        var fields: [String: Any] = [:]
        var audio: AudioBuffer?
        for part in parts {
            guard let name = part.name else { continue }
            if name == filePart || name == "audio" || name == "file" {
                audio = try decodeAudio(part.body, field: name)
            } else {
                let text = String(decoding: part.body, as: UTF8.self)
                // Form fields are text; numbers and booleans are read as JSON would read them.
                fields[name] = (try? JSONSerialization.jsonObject(with: part.body, options: .fragmentsAllowed)).flatMap { value in
                    value is String ? nil : value
                } ?? text
            }
        }
        return Upload(fields: fields, audio: audio)
    }

    /// `name="…"` of a Content-Disposition value.
    private static func partName(_ disposition: String) -> String? {
        for item in disposition.split(separator: ";") {
            let pair = item.trimmingCharacters(in: .whitespaces).split(separator: "=", maxSplits: 1)
            if pair.count == 2, pair[0] == "name" { return pair[1].trimmingCharacters(in: CharacterSet(charactersIn: "\"")) }
        }
        return nil
    }

    /// Decodes audio bytes through a temporary file (libsndfile reads files), or a 400 naming `field`.
    static func decodeAudio(_ bytes: Data, field: String) throws -> AudioBuffer {
        guard !bytes.isEmpty else { throw APIError.badRequest("\(field): the audio is empty (allowed: a WAV, FLAC, OGG or MP3 file)", field: field) }
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("riffle-upload-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: file) }
        do {
            try bytes.write(to: file)
            return try AudioFileReader.read(file.path)
        } catch {
            throw APIError.badRequest("\(field): the audio cannot be decoded (allowed: a WAV, FLAC, OGG or MP3 file)", field: field)
        }
    }
}
