import Foundation
import RiffleAudio
import RiffleTestSupport
import Testing

/// The `riffle` binary beside this test bundle in the build folder.
private let riffle = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("riffle")

private func run(_ arguments: [String], library: TemporaryDirectory) throws -> ProcessResult {
    try runProcess(riffle, arguments + ["--library", library.url.path], environment: ["RIFFLE_LIBRARY": ""])
}

private func json(_ result: ProcessResult) throws -> [String: Any] {
    try #require(try JSONSerialization.jsonObject(with: Data(result.output.utf8)) as? [String: Any], "\(result.output)\(result.errors)")
}

@Suite("riffle generate with MusicGen: --model, --engine, --precision, and its edits")
struct MusicGenCommandTests {
    @Test("an installed model by name makes takes of the asked length; extend loads it again from the request; stems are refused")
    func generateAndEdit() throws {
        let library = try TemporaryDirectory()
        let added = try run(["models", "add", FakeHub.fixtures.appendingPathComponent("tiny-stereo").path, "--name", "tiny"], library: library)
        #expect(added.status == 0, "\(added.errors)")
        let generated = try run(["generate", "dub techno with tape delay", "--model", "tiny", "--duration", "5", "--variations", "2",
                                 "--seed", "3", "--top-k", "1", "--guidance", "3", "--sample-rate", "32000", "--json"], library: library)
        #expect(generated.status == 0, "\(generated.errors)")
        let report = try json(generated)
        let results = try #require(report["results"] as? [[String: Any]])
        #expect(results.count == 2)
        #expect((report["metadata"] as? [String: Any])?["engine"] as? String == "musicgen 1")
        let path = try #require(results.first?["path"] as? String ?? results.first?["file"] as? String, "\(results)")
        let audio = try AudioFileReader.read(path)
        #expect(audio.sampleRate == 32000 && audio.channelCount == 2 && audio.frameCount == 5 * 32000)

        let take = try #require(results.first?["id"] as? String)
        let extended = try run(["extend", take, "--seconds", "3", "--json"], library: library)
        #expect(extended.status == 0, "\(extended.errors)")
        let longer = try #require(try json(extended)["results"] as? [[String: Any]])
        #expect(longer.first?["duration"] as? Double == 8)

        let stems = try run(["stems", take], library: library)
        #expect(stems.status == 2)
        #expect(stems.errors.contains("musicgen cannot make stems"), "\(stems.errors)")
    }

    @Test("no model installed, a model that is not there, or a bad choice is a clear refusal before anything runs")
    func refusals() throws {
        let library = try TemporaryDirectory()
        let none = try run(["generate", "ambient", "--engine", "musicgen", "--duration", "5"], library: library)
        #expect(none.status == 4)
        #expect(none.errors.contains("riffle models pull facebook/musicgen-small"), "\(none.errors)")
        let missing = try run(["generate", "ambient", "--model", "/nowhere/musicgen", "--duration", "5"], library: library)
        #expect(missing.status == 4)
        #expect(missing.errors.contains("/nowhere/musicgen"), "\(missing.errors)")
        let precision = try run(["generate", "ambient", "--precision", "fp8"], library: library)
        #expect(precision.status == 2)
        #expect(precision.errors.contains("fp32, fp16, int8"))
        let mixed = try run(["generate", "ambient", "--engine", "composer", "--model", "tiny"], library: library)
        #expect(mixed.status == 2)
        #expect(mixed.errors.contains("--model"))
    }

    @Test("a folder that is not a MusicGen snapshot names the file and the problem")
    func badSnapshot() throws {
        let library = try TemporaryDirectory()
        let folder = try TemporaryDirectory()
        try Data(#"{"model_type": "bert"}"#.utf8).write(to: folder.url.appendingPathComponent("config.json"))
        let result = try run(["generate", "ambient", "--model", folder.url.path, "--duration", "5"], library: library)
        #expect(result.status == 4)
        #expect(result.errors.contains("config.json"), "\(result.errors)")
    }
}
