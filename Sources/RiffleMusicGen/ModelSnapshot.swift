import Foundation

/// Anything tensors can be looked up in by name: one safetensors file, or a snapshot's shards together.
public protocol TensorSource {
    /// The tensor called `name`, or nil when there is none.
    func tensor(named name: String) -> SafeTensor?
    /// What an error about a missing tensor names: the file or the folder.
    var sourcePath: String { get }
}

extension SafeTensorsFile: TensorSource {
    public var sourcePath: String { path }
}

/// A Hugging Face snapshot folder of a MusicGen checkpoint: config.json, the weights as model.safetensors or
/// as shards with model.safetensors.index.json, and spiece.model for the text encoder's tokenizer.
public final class ModelSnapshot: TensorSource, @unchecked Sendable {  // immutable after init
    public let folder: String
    public let config: MusicGenConfig
    /// Every weight file, mapped (one, or the shards in index order).
    public let files: [SafeTensorsFile]
    private let fileOf: [String: Int]

    public var sourcePath: String { folder }

    /// Every tensor's name across the files, sorted.
    public var tensorNames: [String] { fileOf.keys.sorted() }

    public init(folder: String) throws {
        self.folder = folder
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: folder, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw CheckpointError(folder, "is not a folder")
        }
        let configPath = Self.join(folder, "config.json")
        guard FileManager.default.fileExists(atPath: configPath) else {
            throw CheckpointError(configPath, "is missing: this folder is not a Hugging Face snapshot")
        }
        config = try MusicGenConfig.load(path: configPath)

        let single = Self.join(folder, "model.safetensors")
        let indexPath = Self.join(folder, "model.safetensors.index.json")
        var files: [SafeTensorsFile] = []
        var fileOf: [String: Int] = [:]
        if FileManager.default.fileExists(atPath: indexPath) {
            let weightMap = try Self.weightMap(indexPath)
            var shardIndex: [String: Int] = [:]
            for shard in Set(weightMap.values).sorted() {
                guard !shard.contains("/"), shard != "..", shard != "." else {
                    throw CheckpointError(indexPath, "names shard \(shard), which is not a file in the snapshot folder")
                }
                let shardPath = Self.join(folder, shard)
                guard FileManager.default.fileExists(atPath: shardPath) else {
                    throw CheckpointError(indexPath, "names shard \(shard), but \(shardPath) is missing")
                }
                shardIndex[shard] = files.count
                files.append(try SafeTensorsFile(path: shardPath))
            }
            for (name, shard) in weightMap {
                let index = shardIndex[shard]!
                guard files[index].tensor(named: name) != nil else {
                    throw CheckpointError(indexPath, "puts tensor \(name) in \(shard), which has no such tensor")
                }
                fileOf[name] = index
            }
        } else if FileManager.default.fileExists(atPath: single) {
            files = [try SafeTensorsFile(path: single)]
            for name in files[0].names { fileOf[name] = 0 }
        } else {
            throw CheckpointError(folder, "has no weights: neither model.safetensors nor model.safetensors.index.json")
        }
        self.files = files
        self.fileOf = fileOf
    }

    /// spiece.model, the sentencepiece model the text encoder needs; an error naming it when it is missing.
    public func tokenizerModelPath() throws -> String {
        let path = Self.join(folder, "spiece.model")
        guard FileManager.default.fileExists(atPath: path) else {
            throw CheckpointError(path, "is missing: the text encoder needs this sentencepiece model")
        }
        return path
    }

    public func tensor(named name: String) -> SafeTensor? {
        guard let index = fileOf[name] else { return nil }
        return files[index].tensor(named: name)
    }

    /// The tensor called `name`; an error naming the folder when no file has it.
    public func require(_ name: String) throws -> SafeTensor {
        guard let tensor = tensor(named: name) else { throw CheckpointError(folder, "has no tensor \(name)") }
        return tensor
    }

    private static func join(_ folder: String, _ name: String) -> String {
        URL(fileURLWithPath: folder).appendingPathComponent(name).path
    }

    private static func weightMap(_ indexPath: String) throws -> [String: String] {
        guard let data = FileManager.default.contents(atPath: indexPath) else {
            throw CheckpointError(indexPath, "cannot be read")
        }
        guard let root = try? JSONSerialization.jsonObject(with: data), let object = root as? [String: Any] else {
            throw CheckpointError(indexPath, "is not a JSON object")
        }
        guard let map = object["weight_map"] as? [String: Any] else { throw CheckpointError(indexPath, "has no weight_map object") }
        var result: [String: String] = [:]
        for (name, shard) in map {
            guard let file = shard as? String else { throw CheckpointError(indexPath, "weight_map[\(name)] is not a file name") }
            result[name] = file
        }
        guard !result.isEmpty else { throw CheckpointError(indexPath, "has an empty weight_map") }
        return result
    }
}
