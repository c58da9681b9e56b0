import Foundation
@testable import RiffleApp
import Testing

@Suite("Webhook signatures: the Standard Webhooks scheme")
struct WebhookSignatureTests {
    // The reference libraries' test vector (standard-webhooks, libraries/*/tests).
    static let secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
    static let id = "msg_p5jXN8AQM9LWM0D4loKWxJek"
    static let timestamp = 1614265330
    static let body = Data(#"{"test": 2432232314}"#.utf8)
    static let signature = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="
    static let then = Date(timeIntervalSince1970: Double(timestamp))

    @Test("signs the reference vector as the spec's libraries do")
    func referenceVector() throws {
        let signer = try WebhookSigner(secret: Self.secret)
        #expect(signer.sign(id: Self.id, timestamp: Self.timestamp, body: Self.body) == Self.signature)
        let headers = signer.headers(id: Self.id, timestamp: Self.timestamp, body: Self.body)
        #expect(headers.map(\.0) == ["webhook-id", "webhook-timestamp", "webhook-signature", "content-type"])
        #expect(headers.map(\.1) == [Self.id, "1614265330", Self.signature, "application/json"])
        // The prefix may be left off.
        #expect(try WebhookSigner(secret: String(Self.secret.dropFirst(6))).sign(id: Self.id, timestamp: Self.timestamp, body: Self.body)
            == Self.signature)
    }

    @Test("verifies the vector, also among other signatures, and refuses what was tampered with")
    func verification() throws {
        let signer = try WebhookSigner(secret: Self.secret)
        func verify(id: String = Self.id, timestamp: Int = Self.timestamp, body: Data = Self.body, header: String = Self.signature,
                    now: Date = Self.then) -> Bool {
            signer.verify(id: id, timestamp: timestamp, body: body, signatureHeader: header, now: now)
        }
        #expect(verify())
        #expect(verify(header: "v1,Ceo5qEr07ixe2NLpvHk3FH9bwy/WavXrAFQ/9tdO6mc= v2,abc \(Self.signature)"))
        #expect(!verify(body: Data(#"{"test": 2432232315}"#.utf8)))
        #expect(!verify(id: "msg_p5jXN8AQM9LWM0D4loKWxJel"))
        #expect(!verify(header: "v1,Ceo5qEr07ixe2NLpvHk3FH9bwy/WavXrAFQ/9tdO6mc="))
        #expect(!verify(header: "v2," + Self.signature.dropFirst(3)))
        #expect(!verify(header: ""))
        #expect(!verify(header: "v1,not base64!"))
        // The timestamp is signed: changing it breaks the signature even within the tolerance.
        #expect(!verify(timestamp: Self.timestamp + 1, now: Self.then))
        // Within five minutes either way, and no further.
        #expect(verify(now: Self.then.addingTimeInterval(299)))
        #expect(verify(now: Self.then.addingTimeInterval(-299)))
        #expect(!verify(now: Self.then.addingTimeInterval(301)))
        #expect(!verify(now: Self.then.addingTimeInterval(-301)))
        #expect(signer.verify(id: Self.id, timestamp: Self.timestamp, body: Self.body, signatureHeader: Self.signature, tolerance: 3600,
                              now: Self.then.addingTimeInterval(3000)))
        // Another secret's signature is no signature.
        let other = try WebhookSigner(secret: WebhookSigner.newSecret())
        #expect(!other.verify(id: Self.id, timestamp: Self.timestamp, body: Self.body, signatureHeader: Self.signature, now: Self.then))
    }

    @Test("a new secret is whsec_ and 24 random bytes, and signs what it verifies")
    func newSecret() throws {
        let secret = WebhookSigner.newSecret()
        #expect(secret.hasPrefix("whsec_"))
        #expect(Data(base64Encoded: String(secret.dropFirst(6)))?.count == 24)
        #expect(secret != WebhookSigner.newSecret())
        let signer = try WebhookSigner(secret: secret)
        let now = Int(Date().timeIntervalSince1970)
        let header = signer.sign(id: "msg_1", timestamp: now, body: Data("{}".utf8))
        #expect(signer.verify(id: "msg_1", timestamp: now, body: Data("{}".utf8), signatureHeader: header))
    }

    @Test("refuses a secret that is not base64", arguments: ["", "whsec_", "whsec_not base64!", "whsec_%%%%"])
    func badSecret(secret: String) {
        #expect(throws: WebhookSigner.SecretError.self) { try WebhookSigner(secret: secret) }
    }

    @Test("message ids are msg_ and 24 hex digits")
    func messageIDs() {
        let id = WebhookDelivery.newID()
        #expect(id.count == 28 && id.hasPrefix("msg_"))
        #expect(id.dropFirst(4).allSatisfy { $0.isHexDigit && !$0.isUppercase })
        #expect(id != WebhookDelivery.newID())
    }
}
