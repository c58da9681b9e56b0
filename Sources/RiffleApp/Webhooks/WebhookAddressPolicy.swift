import Foundation
#if canImport(Glibc)
import Glibc
#endif

// Why resolve at all: a webhook URL comes from an API caller, and the server would otherwise POST wherever it
// says: to its own loopback admin ports, the cloud's metadata service at 169.254.169.254, the private network
// behind it. Checking the host's text is not enough ("localhost", "127.1", "2130706433", a name whose DNS
// points inward), so the host is resolved and every address it resolves to is checked. What remains open is a
// name that resolves differently a moment later, when the request connects (DNS rebinding); checking again at
// every attempt narrows that, and answering 3xx without following it closes redirects.

/// Which webhook URLs the server may send to: http and https, to a host that resolves only to public
/// addresses, unless the server was started with `--allow-private-webhooks`.
public enum WebhookAddressPolicy {
    /// `url` as a URL, when it may be sent to.
    ///
    /// Refused: anything but http and https, no host, a host that does not resolve, and, unless
    /// `allowPrivate`, a host with ANY address that is loopback, unspecified, private (RFC 1918, fc00::/7),
    /// link-local, shared CGNAT space (100.64/10), multicast, broadcast or reserved, in IPv4 or as
    /// IPv4-mapped IPv6. Resolves the host with getaddrinfo, so it blocks for as long as DNS takes.
    public static func check(_ url: String, allowPrivate: Bool) throws(WebhookURLError) -> URL {
        try check(url, allowPrivate: allowPrivate, resolve: resolve)
    }

    /// ``check(_:allowPrivate:)`` with the resolver given: tests answer for names without asking DNS.
    static func check(_ url: String, allowPrivate: Bool,
                      resolve: (String) -> Result<[IPAddress], ResolutionError>) throws(WebhookURLError) -> URL {
        guard let parsed = URL(string: url), let scheme = parsed.scheme?.lowercased() else {
            throw WebhookURLError(url: url, reason: .invalid, detail: "not a URL")
        }
        guard scheme == "http" || scheme == "https" else {
            throw WebhookURLError(url: url, reason: .scheme, detail: "only http and https URLs are allowed, not \(scheme)")
        }
        guard var host = parsed.host, !host.isEmpty else {
            throw WebhookURLError(url: url, reason: .noHost, detail: "it has no host")
        }
        // An IPv6 literal may come back in its brackets, which getaddrinfo does not take.
        if host.hasPrefix("["), host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        let addresses: [IPAddress]
        switch resolve(host) {
        case .success(let found) where !found.isEmpty: addresses = found
        case .success: throw WebhookURLError(url: url, reason: .unresolvable, detail: "\(host) resolves to no address")
        case .failure(let error): throw WebhookURLError(url: url, reason: .unresolvable, detail: "cannot resolve \(host) (\(error.message))")
        }
        if !allowPrivate {
            for address in addresses {
                if let kind = address.nonPublicKind {
                    let which = "\(address)" == host ? "\(host) is" : "\(host) resolves to \(address),"
                    throw WebhookURLError(url: url, reason: .privateAddress, address: "\(address)",
                                          detail: "\(which) \(kind); start the server with --allow-private-webhooks to allow it")
                }
            }
        }
        return parsed
    }

    /// Why a host did not resolve, in getaddrinfo's words.
    struct ResolutionError: Error {
        var message: String
    }

    /// Every address `host` resolves to (a literal address resolves to itself).
    static func resolve(_ host: String) -> Result<[IPAddress], ResolutionError> {
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        var list: UnsafeMutablePointer<addrinfo>?
        let code = getaddrinfo(host, nil, &hints, &list)
        guard code == 0 else {
            let message = code == EAI_SYSTEM ? String(cString: strerror(errno)) : String(cString: gai_strerror(code))
            return .failure(ResolutionError(message: message))
        }
        defer { freeaddrinfo(list) }
        var addresses: [IPAddress] = []
        var entry = list
        while let info = entry?.pointee {
            if let address = info.ai_addr {
                switch info.ai_family {
                case AF_INET:
                    address.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { socket in
                        addresses.append(.v4(withUnsafeBytes(of: socket.pointee.sin_addr) { Array($0) }))
                    }
                case AF_INET6:
                    address.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) { socket in
                        addresses.append(.v6(withUnsafeBytes(of: socket.pointee.sin6_addr) { Array($0) }))
                    }
                default:
                    break
                }
            }
            entry = info.ai_next
        }
        return .success(addresses)
    }
}

/// A webhook URL the server will not send to: which URL, which address when that is the reason, and why.
public struct WebhookURLError: Error, CustomStringConvertible, Sendable, Hashable {
    /// What is wrong with the URL.
    public enum Reason: Sendable, Hashable {
        /// Not a URL at all.
        case invalid
        /// Not http or https.
        case scheme
        case noHost
        /// The host did not resolve: perhaps for now only (DNS down), so a delivery retries.
        case unresolvable
        /// The host resolves to a loopback, private, link-local or other non-public address.
        case privateAddress
    }

    public let url: String
    public let reason: Reason
    /// The address refused, for ``Reason/privateAddress``.
    public let address: String?
    /// Why, in words.
    public let detail: String

    init(url: String, reason: Reason, address: String? = nil, detail: String) {
        self.url = url
        self.reason = reason
        self.address = address
        self.detail = detail
    }

    public var description: String { "webhook URL \(url) refused: \(detail)" }
}

/// An IPv4 or IPv6 address as its bytes, in network order.
enum IPAddress: Sendable, Hashable, CustomStringConvertible {
    case v4([UInt8])
    case v6([UInt8])

    /// What kind of non-public address it is, in words ("a loopback address"); `nil` for a public one.
    var nonPublicKind: String? {
        switch self {
        case .v4(let b):
            return Self.kind(v4: b)
        case .v6(let b):
            if b.allSatisfy({ $0 == 0 }) { return "the unspecified address" }
            if b[0..<15].allSatisfy({ $0 == 0 }) && b[15] == 1 { return "a loopback address" }
            // ::ffff:a.b.c.d reaches a.b.c.d; so does the well-known NAT64 prefix 64:ff9b::/96 where it is routed.
            let mapped = b[0..<10].allSatisfy { $0 == 0 } && b[10] == 0xff && b[11] == 0xff
            let nat64 = b[0..<12].elementsEqual([0x00, 0x64, 0xff, 0x9b, 0, 0, 0, 0, 0, 0, 0, 0])
            if mapped || nat64 {
                let inner = Array(b[12..<16])
                return Self.kind(v4: inner).map { "an IPv4-mapped form of \(IPAddress.v4(inner)), \($0)" }
            }
            if b[0] & 0xfe == 0xfc { return "a private (unique local) address" }
            if b[0] == 0xfe && b[1] & 0xc0 == 0x80 { return "a link-local address" }
            if b[0] == 0xfe && b[1] & 0xc0 == 0xc0 { return "a private (site-local) address" }
            if b[0] == 0xff { return "a multicast address" }
            return nil
        }
    }

    private static func kind(v4 b: [UInt8]) -> String? {
        switch (b[0], b[1]) {
        case (0, _): return b.allSatisfy { $0 == 0 } ? "the unspecified address" : "a reserved address (this network)"
        case (127, _): return "a loopback address"
        case (10, _), (172, 16...31), (192, 168): return "a private address"
        case (169, 254): return "a link-local address"
        case (100, 64...127): return "a shared (carrier-grade NAT) address"
        case (224...239, _): return "a multicast address"
        case (255, 255) where b[2] == 255 && b[3] == 255: return "the broadcast address"
        case (240...255, _): return "a reserved address"
        default: return nil
        }
    }

    var description: String {
        switch self {
        case .v4(let b):
            return b.map(String.init).joined(separator: ".")
        case .v6(let b):
            var address = in6_addr()
            withUnsafeMutableBytes(of: &address) { $0.copyBytes(from: b) }
            var text = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN))
            guard inet_ntop(AF_INET6, &address, &text, socklen_t(text.count)) != nil else { return "?" }
            return String(decoding: text.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        }
    }
}
