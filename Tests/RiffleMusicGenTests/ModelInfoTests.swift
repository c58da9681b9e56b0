import Foundation
import RiffleTestSupport
import Testing
@testable import RiffleMusicGen

/// A copy of a fixture's snapshot files, to break.
private func copy(_ fixture: String) throws -> TemporaryDirectory {
    let directory = try TemporaryDirectory()
    for file in try FileManager.default.contentsOfDirectory(atPath: "\(ReferenceFixture.root.path)/\(fixture)") where !file.hasPrefix("reference.") {
        try FileManager.default.copyItem(atPath: "\(ReferenceFixture.root.path)/\(fixture)/\(file)", toPath: directory.path(file))
    }
    return directory
}

@Suite("what riffle models says of a snapshot, and the checks before loading one")
struct ModelInfoTests {
    @Test("parameters, weight bytes, rate and channels of the tiny mono and stereo snapshots", arguments: [("tiny-mono", 1), ("tiny-stereo", 2)])
    func info(fixture: String, channels: Int) throws {
        let folder = ReferenceFixture.root.appendingPathComponent(fixture).path
        let info = try ModelInfo(folder: folder)
        // Counted apart from ModelInfo: every tensor of the one weights file.
        let file = try SafeTensorsFile(path: folder + "/model.safetensors")
        let tensors = file.names.compactMap { file.tensor(named: $0) }
        #expect(info.parameters == tensors.reduce(0) { $0 + $1.elementCount })
        #expect(info.weightBytes == tensors.reduce(0) { $0 + $1.bytes.count })
        #expect(info.sampleRate == 32000 && info.channels == channels && info.dtypes == ["F32"])
    }

    @Test("a folder without spiece.model: the error names that file")
    func missingTokenizer() throws {
        let folder = try copy("tiny-mono")
        try FileManager.default.removeItem(atPath: folder.path("spiece.model"))
        let error = try #require(throws: CheckpointError.self) { try ModelInfo(folder: folder.url.path) }
        #expect(error.path == folder.path("spiece.model") && error.problem.hasPrefix("is missing"))
    }

    @Test("a config of another model type: the error names config.json and the type")
    func otherModelType() throws {
        let folder = try copy("tiny-mono")
        try Data(#"{"model_type": "t5", "d_model": 512}"#.utf8).write(to: folder.url.appendingPathComponent("config.json"))
        let error = try #require(throws: CheckpointError.self) { try ModelInfo(folder: folder.url.path) }
        #expect(error.path == folder.path("config.json") && error.problem == "is a t5 model, not MusicGen")
    }

    @Test("MemAvailable from /proc/meminfo's text, in kB")
    func meminfo() {
        let text = "MemTotal:       32795512 kB\nMemFree:         1024000 kB\nMemAvailable:   20480000 kB\nBuffers:  1 kB\n"
        #expect(MemoryCheck.availableBytes(meminfo: text) == 20_480_000 * 1024)
        #expect(MemoryCheck.availableBytes(meminfo: "MemTotal: 1 kB\n") == nil)
        #expect(MemoryCheck.availableBytes(meminfo: "MemAvailable: lots kB\n") == nil)
        #expect(MemoryCheck.availableBytes() ?? 1 > 0)
    }

    @Test("a model larger than the available memory is refused before loading, naming it and both sizes")
    func tooLarge() throws {
        let info = try ModelInfo(folder: ReferenceFixture.root.appendingPathComponent("tiny-mono").path)
        let little = "MemAvailable:        1000 kB\n"
        let error = try #require(throws: CheckpointError.self) { try info.checkFitsInMemory(meminfo: little) }
        #expect(error.path == info.folder)
        #expect(error.problem.hasPrefix("needs 1.4 MB of memory for its weights but only 1.0 MB is available (MemAvailable in /proc/meminfo)"))
        try info.checkFitsInMemory(meminfo: "MemAvailable: 16000000 kB\n")
        // Where the system does not say, nothing is refused.
        try MemoryCheck.ensureFits(bytes: Int.max, what: "x", meminfo: "")
    }
}
