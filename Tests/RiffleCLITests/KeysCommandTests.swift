import Foundation
import RiffleTestSupport
import Testing

/// The `riffle` binary beside this test bundle in the build folder.
private let riffle = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("riffle")

/// Runs `riffle keys …` on the library in `library`.
private func keys(_ arguments: [String], library: TemporaryDirectory) throws -> ProcessResult {
    try runProcess(riffle, ["keys"] + arguments + ["--library", library.url.path], environment: ["RIFFLE_LIBRARY": ""])
}

@Suite("riffle keys: create, list and revoke API keys")
struct KeysCommandTests {
    @Test("create prints the key and webhook secret once; list shows the key without them; revoke stops it")
    func lifecycle() throws {
        let library = try TemporaryDirectory()
        let created = try keys(["create", "ci-bot", "--rate", "60/min", "--concurrency", "2", "--max-duration", "120",
                                "--monthly-minutes", "600"], library: library)
        #expect(created.status == 0, "\(created.errors)")
        let secret = try #require(created.output.firstMatch(of: /API key: +(rk_[0-9A-Za-z]{40})/)?.1)
        let webhook = try #require(created.output.firstMatch(of: /webhook secret: +(whsec_[A-Za-z0-9+\/=]+)/)?.1)
        #expect(created.output.contains("store it now: Riffle keeps only its hash"))
        #expect(created.output.contains("limits: 60/min, 2 at once, max 120 s, 600 min/month"))

        let list = try keys(["list"], library: library)
        #expect(list.status == 0, "\(list.errors)")
        #expect(list.output.contains("ci-bot") && list.output.contains(String(secret.prefix(12)) + "…"))
        #expect(list.output.contains("60/min, 2 at once"))
        #expect(!list.output.contains(String(secret)) && !list.output.contains(String(webhook)))

        let json = try keys(["list", "--json"], library: library)
        #expect(json.status == 0, "\(json.errors)")
        let listed = try #require(try JSONSerialization.jsonObject(with: Data(json.output.utf8)) as? [[String: Any]])
        #expect(listed.count == 1 && listed.first?["name"] as? String == "ci-bot")
        #expect((listed.first?["limits"] as? [String: Any])?["requests_per_minute"] as? Int == 60)
        #expect(!json.output.contains(String(secret)) && !json.output.contains(String(webhook)))
        let id = try #require(listed.first?["id"] as? String)

        let duplicate = try keys(["create", "ci-bot"], library: library)
        #expect(duplicate.status == 2 && duplicate.errors.contains("an API key named \"ci-bot\" already exists"))

        let revoked = try keys(["revoke", "ci-bot"], library: library)
        #expect(revoked.status == 0, "\(revoked.errors)")
        #expect(revoked.output.contains("revoked API key \(id) (ci-bot)"))
        #expect(try keys(["revoke", id], library: library).output.contains("was already revoked"))
        let empty = try keys(["list"], library: library)
        #expect(empty.status == 0 && empty.output.isEmpty && empty.errors.contains("no API keys"))
        let all = try keys(["list", "--all"], library: library)
        #expect(all.output.contains(id) && all.output.contains("ci-bot"))

        let unknown = try keys(["revoke", "nobody"], library: library)
        #expect(unknown.status == 3 && unknown.errors.contains("no API key named or with id nobody"))
    }

    @Test("--rate takes 60, 60/min or 60/m; a bad value names the option, the value and what is allowed")
    func badRate() throws {
        let library = try TemporaryDirectory()
        for (index, rate) in ["60", "60/m"].enumerated() {
            let result = try keys(["create", "bot-\(index)", "--rate", rate], library: library)
            #expect(result.status == 0, "\(result.errors)")
            #expect(result.output.contains("limits: 60/min"))
        }
        let bad = try keys(["create", "bot", "--rate", "fast"], library: library)
        #expect(bad.status == 2)
        #expect(bad.errors.contains(#"rate: "fast" is not a rate (allowed: a whole number of requests per minute, 1 or more: 60, 60/min or 60/m)"#))
        let several = try keys(["create", "bot", "--rate", "0/min", "--concurrency", "0", "--max-duration", "-5"], library: library)
        #expect(several.status == 2 && several.errors.contains("3 problems") && several.errors.contains("concurrency: 0 is out of range"))
        // Nothing was made by the refused commands.
        let listed = try keys(["list", "--json"], library: library)
        let names = try #require(try JSONSerialization.jsonObject(with: Data(listed.output.utf8)) as? [[String: Any]]).compactMap { $0["name"] as? String }
        #expect(names == ["bot-0", "bot-1"])
    }
}
