import Foundation

/// Which files of a Hugging Face snapshot an engine keeps: its own files by name (a config, a tokenizer
/// model), and the weights as safetensors, `model.safetensors` or the shards `model.safetensors.index.json`
/// names. Everything else in a repository (pytorch_model.bin, flax and TensorFlow weights, the README)
/// is left on the hub.
public struct SnapshotLayout: Sendable, Equatable {
    /// Files a snapshot must have, besides the weights.
    public var required: [String]
    /// Files taken when present.
    public var optional: [String]

    public static let weights = "model.safetensors"
    public static let index = "model.safetensors.index.json"

    public init(required: [String], optional: [String]) {
        self.required = required
        self.optional = optional
    }

    /// What to take from a folder or repository holding the files `available` (names at its top level),
    /// in the order to fetch them: the required files, the optional ones, the index, then the weights.
    /// `shards` reads the index (when there is one) and gives the shard files it names. `place` names
    /// the folder or repository in errors.
    public func select(available: Set<String>, place: String, shards: () throws -> [String]) throws -> [String] {
        let missing = required.filter { !available.contains($0) }
        guard missing.isEmpty else {
            throw AppError(.badInput, "\(place) has no \(missing.joined(separator: ", ")) (a snapshot needs \((required + ["the weights"]).joined(separator: ", ")))")
        }
        var selected = required + optional.filter(available.contains)
        if available.contains(Self.index) {
            let names = try shards()
            let absent = names.filter { !available.contains($0) }
            guard absent.isEmpty else {
                throw AppError(.badInput, "\(place): \(Self.index) names shards that are not there: \(absent.joined(separator: ", "))")
            }
            selected += [Self.index] + names
        } else if available.contains(Self.weights) {
            selected.append(Self.weights)
        } else {
            let other = ["pytorch_model.bin", "tf_model.h5", "flax_model.msgpack"].filter(available.contains)
            let note = other.isEmpty ? "" : " (only \(other.joined(separator: ", ")), which Riffle does not read)"
            throw AppError(.badInput, "\(place) has no safetensors weights: neither \(Self.weights) nor \(Self.index)\(note)")
        }
        return selected
    }

    /// The shard files an index names (its `weight_map` values), each checked to be a plain file name.
    public static func shards(inIndex path: String) throws -> [String] {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw AppError(.fileError, "\(path): cannot be read")
        }
        guard let object = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any],
              let map = object["weight_map"] as? [String: Any] else {
            throw AppError(.badInput, "\(path): not a safetensors index (no weight_map object)")
        }
        var names = Set<String>()
        for (tensor, value) in map {
            guard let shard = value as? String, isPlainFileName(shard), shard.hasSuffix(".safetensors") else {
                throw AppError(.badInput, "\(path): weight_map[\(tensor)] is not a .safetensors file in the snapshot folder")
            }
            names.insert(shard)
        }
        guard !names.isEmpty else { throw AppError(.badInput, "\(path): the weight_map is empty") }
        return names.sorted()
    }

    /// A name that stays inside its folder: no "/", not "." or "..", no NUL.
    static func isPlainFileName(_ name: String) -> Bool {
        !name.isEmpty && name != "." && name != ".." && !name.contains("/") && !name.contains("\0")
    }
}
