import Foundation
import RiffleTestSupport
import Testing

@Suite("riffle serve: kill -9 and SIGTERM lose no completed take")
struct DurabilityTests {
    @Test("killed mid-batch: after a restart the job is interrupted with its finished takes intact, and retry completes it")
    func killMidBatch() throws {
        let library = try TemporaryDirectory()
        var server = try ServerProcess(library: library.url)
        let submitted = try HTTP.post("\(server.base)/v1/music/generate", quickRequest(variations: 3, seed: 60, duration: 15))
        let id = try #require(submitted.json["job_id"] as? String)
        // Wait for the first take, then kill the server without warning.
        var firstTake: [String: Any]?
        let deadline = Date().addingTimeInterval(180)
        while firstTake == nil, Date() < deadline {
            firstTake = (try HTTP.get("\(server.base)/v1/jobs/\(id)").json["results"] as? [[String: Any]])?.first
            if firstTake == nil { Thread.sleep(forTimeInterval: 0.1) }
        }
        let take = try #require(firstTake)
        let takeID = try #require(take["id"] as? String)
        let audioBefore = try HTTP.get("\(server.base)/v1/music/\(takeID)/audio").body
        server.kill9()

        server = try ServerProcess(library: library.url)
        let after = try HTTP.get("\(server.base)/v1/jobs/\(id)").json
        let results = try #require(after["results"] as? [[String: Any]])
        if results.count < 3 {
            #expect(after["status"] as? String == "interrupted")
        }
        #expect(results.contains { $0["id"] as? String == takeID })
        #expect(try HTTP.get("\(server.base)/v1/music/\(takeID)/audio").body == audioBefore)

        if results.count < 3 {
            let retried = try HTTP.post("\(server.base)/v1/jobs/\(id)/retry")
            #expect(retried.status == 202, "\(retried.text)")
        }
        let finished = try server.waitForJob(id, timeout: 300)
        #expect(finished["status"] as? String == "completed")
        let seeds = (finished["results"] as? [[String: Any]] ?? []).compactMap { $0["seed"] as? Int }
        #expect(seeds == [60, 61, 62])
        #expect(try HTTP.get("\(server.base)/v1/music/\(takeID)/audio").body == audioBefore)
    }

    @Test("SIGTERM stops gracefully: the running job finishes or is cancelled (resumable), and the process exits 0")
    func gracefulStop() throws {
        let library = try TemporaryDirectory()
        let server = try ServerProcess(library: library.url)
        let submitted = try HTTP.post("\(server.base)/v1/music/generate", quickRequest(variations: 2, seed: 80, duration: 30))
        let id = try #require(submitted.json["job_id"] as? String)
        Thread.sleep(forTimeInterval: 0.5)
        #expect(server.terminate() == 0, "\(server.errorText)")
        let again = try ServerProcess(library: library.url)
        let status = try HTTP.get("\(again.base)/v1/jobs/\(id)").json["status"] as? String
        #expect(["completed", "cancelled"].contains(status ?? ""), "\(status ?? "nil")")
    }
}
