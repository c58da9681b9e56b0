import Foundation
import RiffleApp
import RiffleTestSupport
import Testing

@Suite("riffle serve: Standard Webhooks, signed with the key's secret, retried until delivered")
struct WebhookTests {
    @Test("a completed job's webhook is retried through failures with one webhook-id, and every signature verifies")
    func deliveredThroughFailures() throws {
        let receiver = try WebhookReceiver(failing: 2)
        let library = try TemporaryDirectory()
        let (key, secret) = try createKey("hooks", library: library.url)
        let server = try ServerProcess(library: library.url, arguments: ["--allow-private-webhooks", "--webhook-retry-delays", "0.3,0.3,0.3"])
        var request = quickRequest(variations: 2, seed: 12)
        request["webhook_url"] = receiver.endpoint + "/riffle"
        request["webhook_events"] = ["complete", "failed"]
        let job = try server.generate(request, headers: ["X-API-Key": key])
        #expect(job["webhook_url"] as? String == receiver.endpoint + "/riffle")

        var seen: [WebhookReceiver.Request] = []
        let deadline = Date().addingTimeInterval(30)
        while seen.count < 3, Date() < deadline {
            seen = try receiver.requests()
            Thread.sleep(forTimeInterval: 0.1)
        }
        #expect(seen.count == 3)
        let signer = try WebhookSigner(secret: secret)
        #expect(Set(seen.compactMap { $0.headers["webhook-id"] }).count == 1)
        for delivery in seen {
            let id = try #require(delivery.headers["webhook-id"])
            let timestamp = try #require(delivery.headers["webhook-timestamp"].flatMap(Int.init))
            let signature = try #require(delivery.headers["webhook-signature"])
            #expect(signer.verify(id: id, timestamp: timestamp, body: delivery.bodyData, signatureHeader: signature))
            #expect(delivery.path == "/riffle")
        }
        let payload = try #require(try JSONSerialization.jsonObject(with: seen[2].bodyData) as? [String: Any])
        #expect(payload["event"] as? String == "complete")
        #expect(payload["job_id"] as? String == job["job_id"] as? String)
        #expect((payload["results"] as? [[String: Any]])?.count == 2)
        // Tampering breaks the signature.
        var forged = seen[2].bodyData
        forged[forged.startIndex] = UInt8(ascii: " ")
        #expect(!signer.verify(id: seen[2].headers["webhook-id"]!, timestamp: Int(seen[2].headers["webhook-timestamp"]!)!,
                               body: forged, signatureHeader: seen[2].headers["webhook-signature"]!))
    }

    @Test("a delivery still pending when the server is killed is sent by the next one, with the same webhook-id")
    func resumedAfterRestart() throws {
        let receiver = try WebhookReceiver(failing: 1)
        let library = try TemporaryDirectory()
        let arguments = ["--allow-private-webhooks", "--webhook-retry-delays", "2"]
        var server = try ServerProcess(library: library.url, arguments: arguments)
        var request = quickRequest(seed: 13)
        request["webhook_url"] = receiver.endpoint
        _ = try server.generate(request)
        var deadline = Date().addingTimeInterval(30)
        while try receiver.requests().isEmpty, Date() < deadline { Thread.sleep(forTimeInterval: 0.05) }
        // The first attempt failed; the retry is due in 2 s, and the server dies before then.
        server.kill9()
        #expect(try receiver.requests().count == 1)
        server = try ServerProcess(library: library.url, arguments: arguments)
        deadline = Date().addingTimeInterval(30)
        while try receiver.requests().count < 2, Date() < deadline { Thread.sleep(forTimeInterval: 0.1) }
        let seen = try receiver.requests()
        #expect(seen.count == 2)
        #expect(seen.first?.headers["webhook-id"] == seen.last?.headers["webhook-id"])
        _ = server
    }
}
