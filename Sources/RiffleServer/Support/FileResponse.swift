import Foundation
import HTTPTypes
import Hummingbird

/// A file served the way download clients and players expect: an ETag (If-None-Match answers 304),
/// single byte ranges (206 with Content-Range, 416 past the end, If-Range honoured), Accept-Ranges, and
/// the content type given. The file is memory-mapped, not read whole.
enum FileResponse {
    static func make(path: String, contentType: String, request: Request, downloadName: String? = nil) throws -> Response {
        let attributes: [FileAttributeKey: Any]
        do {
            attributes = try FileManager.default.attributesOfItem(atPath: path)
        } catch {
            throw APIError(.internalServerError, "storage_error", "the file \(URL(fileURLWithPath: path).lastPathComponent) is missing from the library")
        }
        let size = (attributes[.size] as? NSNumber)?.intValue ?? 0
        let modified = (attributes[.modificationDate] as? Date) ?? Date(timeIntervalSince1970: 0)
        let etag = "\"\(String(size, radix: 16))-\(String(Int64(modified.timeIntervalSince1970 * 1000), radix: 16))\""
        var headers: HTTPFields = [.contentType: contentType, .eTag: etag, .acceptRanges: "bytes"]
        headers[.lastModified] = HTTPDate.format(modified)
        if let downloadName { headers[.contentDisposition] = "attachment; filename=\"\(downloadName)\"" }
        if let match = request.headers[.ifNoneMatch], match == "*" || match.split(separator: ",").contains(where: {
            $0.trimmingCharacters(in: .whitespaces).replacingOccurrences(of: "W/", with: "") == etag
        }) {
            return Response(status: .notModified, headers: headers)
        }
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path), options: .alwaysMapped)
        } catch {
            throw APIError(.internalServerError, "storage_error", "the file \(URL(fileURLWithPath: path).lastPathComponent) cannot be read")
        }
        // A range asked for a version of the file that is not this one gets the whole file (RFC 9110 If-Range).
        let rangeApplies = request.headers[.ifRange].map { $0 == etag } ?? true
        if let header = request.headers[.range], rangeApplies, let range = try byteRange(header, size: size) {
            headers[.contentRange] = "bytes \(range.lowerBound)-\(range.upperBound - 1)/\(size)"
            headers[.contentLength] = String(range.count)
            return Response(status: .partialContent, headers: headers,
                            body: ResponseBody(byteBuffer: ByteBuffer(bytes: data[range])))
        }
        headers[.contentLength] = String(size)
        return Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: data)))
    }

    /// The one range `header` asks for in a file of `size` bytes; `nil` (the whole file) for a header
    /// that is not a single byte range; 416 for one that starts past the end.
    static func byteRange(_ header: String, size: Int) throws -> Range<Int>? {
        guard header.hasPrefix("bytes="), !header.contains(",") else { return nil }
        let spec = header.dropFirst("bytes=".count).trimmingCharacters(in: .whitespaces)
        let parts = spec.split(separator: "-", maxSplits: 1, omittingEmptySubsequences: false)
        guard parts.count == 2 else { return nil }
        let unsatisfiable = APIError(.rangeNotSatisfiable, "range_not_satisfiable", "the range \(spec) is outside the file's \(size) bytes",
                                     headers: [.contentRange: "bytes */\(size)"])
        if parts[0].isEmpty {
            guard let suffix = Int(parts[1]), suffix >= 0 else { return nil }
            guard suffix > 0, size > 0 else { throw unsatisfiable }
            return max(0, size - suffix)..<size
        }
        guard let start = Int(parts[0]), start >= 0 else { return nil }
        guard start < size else { throw unsatisfiable }
        let end = parts[1].isEmpty ? size - 1 : Int(parts[1])
        guard let end, end >= start else { return nil }
        return start..<(min(end, size - 1) + 1)
    }
}

/// Dates as HTTP writes them (IMF-fixdate).
enum HTTPDate {
    static func format(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss 'GMT'"
        return formatter.string(from: date)
    }
}
