import Foundation
import RiffleMusicGen
import RiffleTestSupport
import Testing

/// The text tokenizer against the ids transformers' T5 tokenizer gave for the reference checkpoint's
/// prompts (Tests/Fixtures/musicgen, made by scripts/musicgen/make_fixtures.py).
struct SentencePieceTokenizerTests {
    static let fixture = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/musicgen/tiny-mono")

    @Test("every reference prompt, unicode, punctuation, one letter and empty included, gets transformers' ids and </s>")
    func matchesTransformers() throws {
        let reference = try JSONSerialization.jsonObject(with: Data(contentsOf: Self.fixture.appendingPathComponent("reference.json")))
        let table = try #require(reference as? [String: Any])
        let prompts = try #require(table["prompts"] as? [String])
        let expected = try #require(table["token_ids"] as? [[Int]])
        try #require(prompts.count == expected.count && !prompts.isEmpty)
        let tokenizer = try SentencePieceTokenizer(modelPath: Self.fixture.appendingPathComponent("spiece.model").path)
        #expect(tokenizer.endOfSequence == 1)
        for (prompt, ids) in zip(prompts, expected) {
            #expect(tokenizer.ids(prompt).map(Int.init) == ids, "\(prompt.debugDescription)")
        }
    }

    @Test("a file that is not a SentencePiece model is refused, naming it")
    func notAModel() throws {
        let directory = try TemporaryDirectory()
        let path = directory.path("spiece.model")
        try Data("not a model".utf8).write(to: URL(fileURLWithPath: path))
        do {
            _ = try SentencePieceTokenizer(modelPath: path)
            Issue.record("a text file was taken as a SentencePiece model")
        } catch {
            #expect(error.path == path && error.problem.hasPrefix("is not a SentencePiece model"), "\(error)")
        }
        #expect(throws: CheckpointError.self) { try SentencePieceTokenizer(modelPath: directory.path("missing.model")) }
    }
}
