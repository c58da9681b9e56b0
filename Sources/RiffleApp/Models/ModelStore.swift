import Foundation

/// The models folder of a library (`<library>/models/`): one folder per installed model, named by the
/// model's name, holding a Hugging Face snapshot. Downloads and copies are staged in `.partial/<name>/`
/// and renamed into place whole, so a folder under its name is always complete.
public struct ModelStore: Sendable {
    /// `<library>/models`.
    public let folder: URL

    /// The store in `folder` (created when a model is first installed).
    public init(folder: URL) {
        self.folder = folder.standardizedFileURL
    }

    /// The store in the folder at `folder`.
    public init(folder: String) {
        self.init(folder: URL(fileURLWithPath: folder))
    }

    /// The store of the library in `library`: its `models/` folder.
    public init(library: URL) {
        self.init(folder: library.appendingPathComponent("models"))
    }

    /// Where downloads and copies are staged until complete.
    public var partialFolder: URL { folder.appendingPathComponent(".partial") }

    /// The folder model `name` is (or would be) installed in.
    public func modelFolder(_ name: String) -> URL { folder.appendingPathComponent(name) }

    /// Every installed model, sorted by name. Hidden folders (the staging area) are not models.
    public func installed() throws -> [InstalledModel] {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: folder.path, isDirectory: &isDirectory) else { return [] }
        guard isDirectory.boolValue else { throw AppError(.fileError, "\(folder.path): is not a folder") }
        let names: [String]
        do { names = try FileManager.default.contentsOfDirectory(atPath: folder.path) } catch {
            throw AppError(.fileError, "\(folder.path): cannot be read (\(error.localizedDescription))")
        }
        return names.filter { !$0.hasPrefix(".") }.sorted().compactMap { name in
            let url = modelFolder(name)
            var isFolder: ObjCBool = false
            guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isFolder), isFolder.boolValue else { return nil }
            return InstalledModel(name: name, folder: url.path, bytes: Self.bytes(in: url), source: ModelSource.read(in: url))
        }
    }

    /// The snapshot folder `nameOrPath` means for `--model NAME|DIR`: a path that exists wins; else an
    /// installed model's name ("musicgen-small"), or the hub id it was pulled from or whose last part is its
    /// name ("facebook/musicgen-small"). Otherwise an ``AppError`` `.unknownID` listing the installed
    /// names and saying how to pull one; `.badInput` for a path that is a file.
    public func resolve(_ nameOrPath: String) throws -> String {
        guard !nameOrPath.isEmpty else { throw AppError(.badInput, "the model name is empty (allowed: an installed model's name or a folder)") }
        let expanded = (nameOrPath as NSString).expandingTildeInPath
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: expanded, isDirectory: &isDirectory) {
            guard isDirectory.boolValue else {
                throw AppError(.badInput, "\(nameOrPath): is a file; a model is a snapshot folder (config.json, the weights, spiece.model)")
            }
            return URL(fileURLWithPath: expanded).standardizedFileURL.path
        }
        let models = try installed()
        if let model = models.first(where: { $0.name == nameOrPath })
            ?? models.first(where: { $0.source?.repo?.lowercased() == nameOrPath.lowercased() })
            ?? (nameOrPath.contains("/") ? models.first(where: { $0.name == (try? HubRepoID(nameOrPath))?.name }) : nil) {
            return model.folder
        }
        let list = models.isEmpty ? "no model is installed" : "installed: \(models.map(\.name).joined(separator: ", "))"
        let looksLikePath = nameOrPath.hasPrefix("/") || nameOrPath.hasPrefix(".") || nameOrPath.hasPrefix("~")
        if looksLikePath { throw AppError(.unknownID, "\(nameOrPath): no such folder (\(list))") }
        let pull = (try? HubRepoID(nameOrPath)).map { $0.text.contains("/") ? $0.text : "facebook/\($0.text)" } ?? "facebook/musicgen-small"
        throw AppError(.unknownID, "no model \"\(nameOrPath)\" is installed (\(list)); `riffle models pull \(pull)` downloads one, "
                       + "`riffle models add DIR` installs a snapshot folder")
    }

    /// Checks a model name: letters, digits, "-", "_" and ".", at most 96, not starting with "." or "-".
    public static func checkName(_ name: String) throws {
        let allowed = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.")
        guard !name.isEmpty, name.count <= 96, name.allSatisfy(allowed.contains), !name.hasPrefix("."), !name.hasPrefix("-") else {
            throw AppError(.badInput, "--name \"\(name)\" is not a model name (allowed: letters, digits, -, _ and ., not starting with . or -)")
        }
    }

    /// Bytes of the regular files in `folder` and below, symbolic links not followed.
    static func bytes(in folder: URL) -> Int64 {
        guard let walker = FileManager.default.enumerator(at: folder, includingPropertiesForKeys: [.fileSizeKey, .isRegularFileKey]) else { return 0 }
        var total: Int64 = 0
        for case let url as URL in walker {
            guard let values = try? url.resourceValues(forKeys: [.fileSizeKey, .isRegularFileKey]), values.isRegularFile == true else { continue }
            total += Int64(values.fileSize ?? 0)
        }
        return total
    }
}

/// A model in the store: its name, folder, size on disk and where it came from.
public struct InstalledModel: Sendable, Equatable {
    public var name: String
    /// The snapshot folder.
    public var folder: String
    /// Bytes of its files.
    public var bytes: Int64
    /// Where it came from, when the store recorded it.
    public var source: ModelSource?
}
