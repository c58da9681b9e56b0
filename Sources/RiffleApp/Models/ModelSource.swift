import Foundation

/// Where an installed model came from, kept beside its files as `.riffle-source.json`: the hub repository
/// and the commit it was pulled at, or the folder it was added from.
public struct ModelSource: Codable, Sendable, Equatable {
    /// "facebook/musicgen-small" for a pulled model.
    public var repo: String?
    /// The revision asked for ("main") and the commit it was at.
    public var revision: String?
    public var commit: String?
    /// The hub it came from.
    public var endpoint: String?
    /// The folder an added model was copied from.
    public var folder: String?

    public init(repo: String? = nil, revision: String? = nil, commit: String? = nil, endpoint: String? = nil, folder: String? = nil) {
        self.repo = repo
        self.revision = revision
        self.commit = commit
        self.endpoint = endpoint
        self.folder = folder
    }

    /// The record's file name in a model folder (hidden: not part of the snapshot).
    public static let fileName = ".riffle-source.json"

    /// The record in `folder`, or nil when there is none or it cannot be read.
    public static func read(in folder: URL) -> ModelSource? {
        guard let data = FileManager.default.contents(atPath: folder.appendingPathComponent(fileName).path) else { return nil }
        return try? JSONDecoder().decode(ModelSource.self, from: data)
    }

    /// Writes the record into `folder`, flushed to disk.
    func write(in folder: URL) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        let path = folder.appendingPathComponent(Self.fileName).path
        do {
            try encoder.encode(self).write(to: URL(fileURLWithPath: path), options: .atomic)
        } catch {
            throw AppError(.fileError, "\(path): cannot be written (\(error.localizedDescription))")
        }
        ModelStore.flush(path)
    }
}
