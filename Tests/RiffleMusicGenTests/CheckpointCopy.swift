import Foundation
import RiffleTestSupport
@testable import RiffleMusicGen

/// A reference checkpoint copied to a temporary folder with some tensors left out or replaced, to see how
/// loading a broken checkpoint fails.
struct CheckpointCopy {
    let directory: TemporaryDirectory

    init(of name: String, dropping dropped: Set<String> = [], replacing replaced: [TensorSpec] = []) throws {
        let fixture = try ReferenceFixture(name)
        directory = try TemporaryDirectory()
        try FileManager.default.copyItem(atPath: fixture.folder + "/config.json", toPath: directory.path("config.json"))
        let replacements = Dictionary(uniqueKeysWithValues: replaced.map { ($0.name, $0) })
        var tensors: [TensorSpec] = []
        for tensorName in fixture.snapshot.tensorNames where !dropped.contains(tensorName) {
            if let replacement = replacements[tensorName] {
                tensors.append(replacement)
            } else {
                let tensor = try fixture.snapshot.require(tensorName)
                tensors.append(.f32(tensorName, tensor.shape, try tensor.floats()))
            }
        }
        try write(safetensors(tensors), to: directory.path("model.safetensors"))
    }

    init(of name: String, dropping dropped: String) throws {
        try self.init(of: name, dropping: [dropped])
    }

    func snapshot() throws -> ModelSnapshot { try ModelSnapshot(folder: directory.url.path) }
}
