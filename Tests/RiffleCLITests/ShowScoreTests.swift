import Foundation
import RiffleTestSupport
import Testing

/// The `riffle` binary beside this test bundle in the build folder.
private let riffle = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("riffle")

@Suite("riffle show: a take's quality score, part by part")
struct ShowScoreTests {
    @Test("show of a take lists what the prompt asked (tempo, key, metre), musical interest and craft, each scored")
    func parts() throws {
        let temporary = try TemporaryDirectory()
        let library = ["--library", temporary.path("library")]
        let made = try runProcess(riffle, ["generate", "calm piano 90 bpm in D minor", "--duration", "20", "--seed", "4",
                                           "--json"] + library)
        #expect(made.status == 0, "\(made.errors)")
        let report = try #require(try JSONSerialization.jsonObject(with: Data(made.output.utf8)) as? [String: Any])
        let job = try #require(report["job_id"] as? String)
        let shown = try runProcess(riffle, ["show", "\(job)-1"] + library)
        #expect(shown.status == 0)
        for name in ["tempo", "key", "metre", "melody", "form", "dynamics", "loudness", "peaks"] {
            let line = shown.output.split(separator: "\n").first { $0.hasPrefix("  \(name) ") }
            // "  key       0.93  heard D minor (0.88), D minor 0.88": a name, a score from 0 to 1, what was measured.
            let fields = line.map { $0.split(separator: " ", omittingEmptySubsequences: true) } ?? []
            #expect(fields.count >= 3 && Double(fields[1]).map { (0...1).contains($0) } == true, "\(name): \(shown.output)")
        }
        #expect(shown.output.contains("D minor 0."), "the key part names the asked key: \(shown.output)")
    }
}
