import Crypto
import Foundation

/// Signs and verifies webhook messages the Standard Webhooks way (https://www.standardwebhooks.com).
///
/// The secret is "whsec_" and the base64 of the key's bytes. What is signed is
/// "{webhook-id}.{webhook-timestamp}.{body}", with HMAC-SHA256 under the key; the `webhook-signature`
/// header is "v1," and the base64 of that code. A receiver verifies with the same secret, and refuses a
/// timestamp far from its clock, so a captured message cannot be replayed later.
public struct WebhookSigner: Sendable {
    /// A secret that is not "whsec_" and base64.
    public struct SecretError: Error, CustomStringConvertible {
        public let description: String
    }

    /// The key's bytes: swift-crypto's SymmetricKey is not Sendable, so one is made for each use.
    private let keyBytes: Data
    private var key: SymmetricKey { SymmetricKey(data: keyBytes) }

    /// A signer with `secret`; the "whsec_" prefix may be left off, as the reference libraries allow.
    public init(secret: String) throws(SecretError) {
        let encoded = secret.hasPrefix("whsec_") ? String(secret.dropFirst(6)) : secret
        guard let bytes = Data(base64Encoded: encoded), !bytes.isEmpty else {
            throw SecretError(description: "a webhook secret is \"whsec_\" and the base64 of its key's bytes")
        }
        keyBytes = bytes
    }

    /// A new random secret: 24 bytes (192 bits, the spec's suggested minimum) as "whsec_" and base64.
    public static func newSecret() -> String {
        "whsec_" + SymmetricKey(size: .bits192).withUnsafeBytes { Data($0).base64EncodedString() }
    }

    /// The `webhook-signature` header for a message: "v1," and the base64 of its HMAC-SHA256.
    public func sign(id: String, timestamp: Int, body: Data) -> String {
        "v1," + Data(code(id: id, timestamp: timestamp, body: body)).base64EncodedString()
    }

    /// The headers a message is sent with: webhook-id, webhook-timestamp (Unix seconds), webhook-signature
    /// and content-type.
    public func headers(id: String, timestamp: Int, body: Data) -> [(String, String)] {
        [("webhook-id", id), ("webhook-timestamp", String(timestamp)), ("webhook-signature", sign(id: id, timestamp: timestamp, body: body)),
         ("content-type", "application/json")]
    }

    /// Whether a message is genuine and recent: one of the space-separated "v1,…" signatures in
    /// `signatureHeader` is this secret's (compared in constant time), and `timestamp` is within
    /// `tolerance` seconds of `now` either way. Signatures of other versions are ignored.
    public func verify(id: String, timestamp: Int, body: Data, signatureHeader: String, tolerance: Double = 300,
                       now: Date = Date()) -> Bool {
        guard abs(now.timeIntervalSince1970 - Double(timestamp)) <= tolerance else { return false }
        let content = Self.content(id: id, timestamp: timestamp, body: body)
        for entry in signatureHeader.split(separator: " ") {
            let parts = entry.split(separator: ",", maxSplits: 1)
            guard parts.count == 2, parts[0] == "v1", let signature = Data(base64Encoded: String(parts[1])) else { continue }
            // isValidAuthenticationCode compares in constant time: no timing tells how much of a guess was right.
            if HMAC<SHA256>.isValidAuthenticationCode(signature, authenticating: content, using: key) { return true }
        }
        return false
    }

    private func code(id: String, timestamp: Int, body: Data) -> HashedAuthenticationCode<SHA256> {
        HMAC<SHA256>.authenticationCode(for: Self.content(id: id, timestamp: timestamp, body: body), using: key)
    }

    private static func content(id: String, timestamp: Int, body: Data) -> Data {
        var content = Data("\(id).\(timestamp).".utf8)
        content.append(body)
        return content
    }
}
