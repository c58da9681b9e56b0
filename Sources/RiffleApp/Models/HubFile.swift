import Foundation

/// A file in a hub repository, as its tree listing gives it: the path, the size, and the hashes to check
/// the download against.
public struct HubFile: Sendable, Equatable {
    public var path: String
    public var size: Int64
    /// The SHA-256 of the content for a file stored with Git LFS (the listing's `lfs.oid`).
    public var sha256: String?
    /// The git blob id (the listing's `oid`), which is what identifies a small file kept in git itself.
    public var blobID: String?

    public init(path: String, size: Int64, sha256: String? = nil, blobID: String? = nil) {
        self.path = path
        self.size = size
        self.sha256 = sha256
        self.blobID = blobID
    }

    /// The hash the download is checked against: the LFS SHA-256 when there is one, else the git blob id.
    var expectedDigest: FileDigest.Expected? {
        if let sha256, Self.isHex(sha256, length: 64) { return .sha256(sha256.lowercased()) }
        if let blobID, Self.isHex(blobID, length: 40) { return .gitBlob(blobID.lowercased()) }
        return nil
    }

    private static func isHex(_ text: String, length: Int) -> Bool {
        text.count == length && text.allSatisfy(\.isHexDigit)
    }

    /// The files in one page of `GET /api/models/{repo}/tree/{revision}`: a JSON array of entries
    /// `{"type": "file", "path", "size", "oid", "lfs": {"oid", "size", "pointerSize"}}`; folders are skipped.
    static func parseTree(_ data: Data) -> [HubFile]? {
        guard let entries = (try? JSONSerialization.jsonObject(with: data)) as? [Any] else { return nil }
        var files: [HubFile] = []
        for case let entry as [String: Any] in entries where entry["type"] as? String == "file" {
            guard let path = entry["path"] as? String, let size = (entry["size"] as? NSNumber)?.int64Value else { return nil }
            let lfs = entry["lfs"] as? [String: Any]
            files.append(HubFile(path: path, size: (lfs?["size"] as? NSNumber)?.int64Value ?? size,
                                 sha256: lfs?["oid"] as? String, blobID: entry["oid"] as? String))
        }
        return files
    }

    /// The `rel="next"` URL of a `Link` header, which the hub sends while a listing has more pages.
    static func nextPage(_ link: String?) -> URL? {
        guard let link else { return nil }
        for part in link.split(separator: ",") {
            let pieces = part.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }
            guard let target = pieces.first, target.hasPrefix("<"), target.hasSuffix(">"),
                  pieces.dropFirst().contains(where: { $0.replacingOccurrences(of: " ", with: "") == "rel=\"next\"" }) else { continue }
            return URL(string: String(target.dropFirst().dropLast()))
        }
        return nil
    }
}
