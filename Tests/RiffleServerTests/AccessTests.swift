import Foundation
import RiffleTestSupport
import Testing

/// A key made with `riffle keys create` in `library`: (the key, its webhook secret).
func createKey(_ name: String, library: URL, limits: [String] = []) throws -> (key: String, secret: String) {
    let result = try runRiffle(["keys", "create", name, "--json", "--library", library.path] + limits)
    #expect(result.status == 0, "\(result.errors)")
    let object = try #require(try JSONSerialization.jsonObject(with: Data(result.output.utf8)) as? [String: Any])
    return (try #require(object["secret"] as? String), try #require(object["webhook_secret"] as? String))
}

@Suite("riffle serve: API keys and the limits on them")
struct AccessTests {
    @Test("once a key exists every request needs one, as X-API-Key or Bearer; unknown and revoked keys get 401")
    func keysRequired() throws {
        let library = try TemporaryDirectory()
        let server = try ServerProcess(library: library.url)
        // No key yet, on loopback: open.
        #expect(try HTTP.get("\(server.base)/v1/presets").status == 200)
        let (key, _) = try createKey("app", library: library.url)
        Thread.sleep(forTimeInterval: 1.1)  // the server looks at the keys at most once a second
        let without = try HTTP.get("\(server.base)/v1/presets")
        #expect(without.status == 401)
        #expect(without.json["error"] as? String == "unauthorized")
        #expect(try HTTP.get("\(server.base)/health").status == 200)
        #expect(try HTTP.get("\(server.base)/openapi.json").status == 200)
        #expect(try HTTP.get("\(server.base)/v1/presets", headers: ["X-API-Key": key]).status == 200)
        #expect(try HTTP.get("\(server.base)/v1/presets", headers: ["Authorization": "Bearer \(key)"]).status == 200)
        #expect(try HTTP.get("\(server.base)/v1/presets", headers: ["X-API-Key": key + "x"]).status == 401)
        // The tutorial's routes are behind the key too, and answer in the tutorial's shape.
        let tutorial = try HTTP.post("\(server.base)/generate-async", ["prompt": "lofi"])
        #expect(tutorial.status == 401)
        #expect(tutorial.json["error"] is String && tutorial.json["code"] == nil)
        #expect(try runRiffle(["keys", "revoke", "app", "--library", library.url.path]).status == 0)
        #expect(try HTTP.get("\(server.base)/v1/presets", headers: ["X-API-Key": key]).status == 401)
    }

    @Test("a key's jobs are its own: another key gets 404 for them and does not list them")
    func keysSeeTheirOwnJobs() throws {
        let library = try TemporaryDirectory()
        let (alice, _) = try createKey("alice", library: library.url)
        let (bob, _) = try createKey("bob", library: library.url)
        let server = try ServerProcess(library: library.url)
        let job = try server.generate(quickRequest(seed: 2), headers: ["X-API-Key": alice])
        let id = try #require(job["job_id"] as? String)
        let track = try #require((job["results"] as? [[String: Any]])?.first?["id"] as? String)
        #expect(try HTTP.get("\(server.base)/v1/jobs/\(id)", headers: ["X-API-Key": bob]).status == 404)
        #expect(try HTTP.get("\(server.base)/v1/music/\(track)", headers: ["X-API-Key": bob]).status == 404)
        #expect(try HTTP.send("DELETE", "\(server.base)/v1/music/\(track)", headers: ["X-API-Key": bob]).status == 404)
        #expect((try HTTP.get("\(server.base)/v1/jobs", headers: ["X-API-Key": bob]).json["data"] as? [Any])?.isEmpty == true)
        #expect((try HTTP.get("\(server.base)/v1/jobs", headers: ["X-API-Key": alice]).json["data"] as? [Any])?.count == 1)
    }

    @Test("requests per minute: 429 with Retry-After and the RateLimit fields; every answer carries the policy")
    func rateLimit() throws {
        let library = try TemporaryDirectory()
        let (key, _) = try createKey("paced", library: library.url, limits: ["--rate", "3/min"])
        let server = try ServerProcess(library: library.url)
        // Windows are whole minutes: a run that straddles a minute's end starts again in the new one.
        var replies: [HTTPReply] = []
        for _ in 0..<2 {
            replies = []
            for _ in 0..<4 { replies.append(try HTTP.get("\(server.base)/v1/presets", headers: ["X-API-Key": key])) }
            if replies[3].status == 429 { break }
            Thread.sleep(forTimeInterval: 61)
        }
        #expect(replies.prefix(3).allSatisfy { $0.status == 200 })
        #expect(replies[0].header("RateLimit-Policy") == "3;w=60")
        #expect(replies[2].header("RateLimit")?.contains("remaining=0") == true)
        let refused = replies[3]
        #expect(refused.status == 429)
        #expect(refused.json["error"] as? String == "rate_limited")
        let retry = try #require(refused.header("Retry-After").flatMap(Int.init))
        #expect((1...60).contains(retry))
        #expect(refused.header("RateLimit")?.contains("remaining=0") == true)
    }

    @Test("concurrent jobs (429), the longest take (400 naming duration) and monthly minutes (402) are enforced per key")
    func jobLimits() throws {
        let library = try TemporaryDirectory()
        let (busy, _) = try createKey("busy", library: library.url, limits: ["--concurrency", "1", "--max-duration", "20"])
        let (metered, _) = try createKey("metered", library: library.url, limits: ["--monthly-minutes", "0.2"])
        let server = try ServerProcess(library: library.url)
        let long = try HTTP.post("\(server.base)/v1/music/generate", quickRequest(duration: 60), headers: ["X-API-Key": busy])
        #expect(long.status == 400)
        #expect(long.json["field"] as? String == "duration")
        let first = try HTTP.post("\(server.base)/v1/music/generate", quickRequest(variations: 2, duration: 20), headers: ["X-API-Key": busy])
        #expect(first.status == 202)
        let second = try HTTP.post("\(server.base)/v1/music/generate", quickRequest(seed: 99), headers: ["X-API-Key": busy])
        #expect(second.status == 429)
        #expect(second.json["error"] as? String == "concurrency_limit")
        _ = try HTTP.post("\(server.base)/v1/jobs/\(try #require(first.json["job_id"] as? String))/cancel", headers: ["X-API-Key": busy])

        // 0.2 minutes = 12 s: a 5 s take fits, a second 10 s one does not.
        #expect(try HTTP.post("\(server.base)/v1/music/generate", quickRequest(seed: 1), headers: ["X-API-Key": metered]).status == 202)
        let over = try HTTP.post("\(server.base)/v1/music/generate", quickRequest(seed: 2, duration: 10), headers: ["X-API-Key": metered])
        #expect(over.status == 402)
        #expect(over.json["error"] as? String == "quota_exceeded")
    }

    @Test("binding beyond loopback without keys is refused")
    func publicBindNeedsKeys() throws {
        let library = try TemporaryDirectory()
        let result = try runRiffle(["serve", "--host", "0.0.0.0", "--port", "0", "--library", library.url.path])
        #expect(result.status != 0)
        #expect(result.errors.contains("riffle keys create"))
    }
}
