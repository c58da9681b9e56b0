import Foundation
import RiffleTestSupport
import Testing

@Suite("riffle serve: every refusal is JSON {error, message, code, field?} with the status clients expect")
struct APIErrorTests {
    @Test("bad fields name the field; broken JSON, unknown ids, routes and methods, and oversized bodies each get their status")
    func refusals() throws {
        let library = try TemporaryDirectory()
        let server = try ServerProcess(library: library.url, arguments: ["--max-body-bytes", "2000"])
        let base = server.base

        let long = try HTTP.post("\(base)/v1/music/generate", ["prompt": "techno", "duration": 900])
        #expect(long.status == 400)
        #expect(long.json["field"] as? String == "duration")
        #expect((long.json["message"] as? String)?.contains("5 to 300") == true)
        #expect(long.json["code"] as? Int == 400)
        #expect(long.header("Content-Type") == "application/json")

        let several = try HTTP.post("\(base)/v1/music/generate", ["prompt": "", "top_k": 999])
        #expect(several.status == 400)
        #expect((several.json["message"] as? String)?.contains("top_k") == true)
        #expect((several.json["message"] as? String)?.contains("prompt") == true)

        let unknownField = try HTTP.post("\(base)/v1/music/generate", ["prompt": "techno", "colour": "blue"])
        #expect(unknownField.status == 400)
        #expect(unknownField.json["field"] as? String == "colour")

        let broken = try HTTP.send("POST", "\(base)/v1/music/generate", body: Data("{\"prompt\": ".utf8), headers: ["Content-Type": "application/json"])
        #expect(broken.status == 400)
        #expect(broken.json["error"] as? String == "invalid_request")

        let big = try HTTP.post("\(base)/v1/music/generate", ["prompt": String(repeating: "a", count: 5000)])
        #expect(big.status == 413)
        #expect(big.json["error"] as? String == "payload_too_large")

        let privateHook = try HTTP.post("\(base)/v1/music/generate", ["prompt": "techno", "webhook_url": "http://127.0.0.1:9/hook"])
        #expect(privateHook.status == 400)
        #expect(privateHook.json["field"] as? String == "webhook_url")
        #expect((privateHook.json["message"] as? String)?.contains("--allow-private-webhooks") == true)

        for path in ["/v1/jobs/j00000000", "/v1/music/t-none", "/v1/music/t-none/audio", "/v1/nothing-here"] {
            let missing = try HTTP.get(base + path)
            #expect(missing.status == 404, "\(path)")
            #expect(missing.json["error"] as? String == "not_found", "\(path)")
        }
        let wrongMethod = try HTTP.send("DELETE", "\(base)/v1/music/generate")
        #expect([404, 405].contains(wrongMethod.status))
        #expect(wrongMethod.json["code"] as? Int == wrongMethod.status)
    }

    @Test("cancelling a finished job is a 409; a cancelled batch is retried to completion, keeping its seeds")
    func cancelAndRetry() throws {
        let library = try TemporaryDirectory()
        let server = try ServerProcess(library: library.url)
        let done = try server.generate(quickRequest(seed: 3))
        let id = try #require(done["job_id"] as? String)
        let late = try HTTP.post("\(server.base)/v1/jobs/\(id)/cancel")
        #expect(late.status == 409)
        #expect(late.json["error"] as? String == "conflict")
        let retryDone = try HTTP.post("\(server.base)/v1/jobs/\(id)/retry")
        #expect(retryDone.status == 409)

        let long = try HTTP.post("\(server.base)/v1/music/generate", quickRequest(variations: 2, seed: 40, duration: 20))
        let longID = try #require(long.json["job_id"] as? String)
        let cancelled = try HTTP.post("\(server.base)/v1/jobs/\(longID)/cancel")
        #expect(cancelled.status == 200)
        #expect(cancelled.json["status"] as? String == "cancelled")
        let retried = try HTTP.post("\(server.base)/v1/jobs/\(longID)/retry")
        #expect(retried.status == 202)
        let finished = try server.waitForJob(longID, timeout: 300)
        #expect(finished["status"] as? String == "completed")
        let seeds = (finished["results"] as? [[String: Any]] ?? []).compactMap { $0["seed"] as? Int }
        #expect(seeds == [40, 41])
    }
}
