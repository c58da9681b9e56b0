import Foundation
@testable import RiffleApp
import Testing

// Literal addresses and "localhost" only: getaddrinfo answers them without DNS, and nothing is contacted.
@Suite("Webhook URLs: http and https to public addresses only, unless private ones are allowed")
struct WebhookAddressPolicyTests {
    @Test("refuses loopback, private, link-local, shared, multicast and reserved addresses, and says why",
          arguments: [
              ("http://127.0.0.1/hook", "loopback"), ("http://127.8.9.10:8080/", "loopback"), ("http://127.1/", "loopback"),
              ("http://2130706433/", "loopback"), ("http://0.0.0.0/", "unspecified"), ("http://0.1.2.3/", "reserved"),
              ("http://10.1.2.3/", "private"), ("http://172.16.0.1/", "private"), ("http://172.31.255.255/", "private"),
              ("http://192.168.1.1/", "private"), ("http://169.254.169.254/latest/meta-data/", "link-local"),
              ("http://100.64.0.1/", "carrier-grade NAT"), ("http://100.127.255.254/", "carrier-grade NAT"),
              ("http://224.0.0.1/", "multicast"), ("http://255.255.255.255/", "broadcast"), ("http://240.0.0.1/", "reserved"),
              ("http://[::1]/", "loopback"), ("http://[::]/", "unspecified"), ("https://[fd12:3456::1]/", "unique local"),
              ("http://[fc00::1]/", "unique local"), ("http://[fe80::1]/", "link-local"), ("http://[ff02::1]/", "multicast"),
              ("http://[::ffff:127.0.0.1]/", "IPv4-mapped form of 127.0.0.1, a loopback"),
              ("http://[::ffff:10.0.0.1]/", "IPv4-mapped form of 10.0.0.1, a private"),
              ("http://[64:ff9b::a9fe:a9fe]/", "IPv4-mapped form of 169.254.169.254, a link-local"),
              ("HTTPS://LOCALHOST:8443/x", "loopback"),
          ])
    func refusesPrivate(url: String, kind: String) throws {
        do {
            _ = try WebhookAddressPolicy.check(url, allowPrivate: false)
            Issue.record("\(url) was allowed")
        } catch {
            #expect(error.reason == .privateAddress)
            #expect(error.url == url)
            #expect(error.description.contains(url))
            #expect(error.description.contains(kind), "\(error)")
            #expect(error.description.contains("start the server with --allow-private-webhooks to allow it"))
            #expect(error.address.map { error.description.contains($0) } == true)
        }
        // Allowed when the server allows private addresses.
        #expect(try WebhookAddressPolicy.check(url, allowPrivate: true).absoluteString == url)
    }

    @Test("localhost names the address it resolves to")
    func localhost() throws {
        let error = try #require(throws: WebhookURLError.self) {
            try WebhookAddressPolicy.check("http://localhost:9/hook", allowPrivate: false)
        }
        #expect(error.description.hasPrefix("webhook URL http://localhost:9/hook refused: localhost resolves to "))
        #expect(error.address == "127.0.0.1" || error.address == "::1")
        #expect(error.description.contains("a loopback address; start the server with --allow-private-webhooks to allow it"))
    }

    @Test("allows public addresses", arguments: [
        "http://8.8.8.8/hook", "https://1.1.1.1:8443/a?b=c", "http://172.15.255.255/", "http://172.32.0.1/", "http://100.63.255.255/",
        "http://100.128.0.1/", "http://192.169.0.1/", "http://[2001:4860:4860::8888]/", "http://[::ffff:8.8.8.8]/",
    ])
    func allowsPublic(url: String) throws {
        #expect(try WebhookAddressPolicy.check(url, allowPrivate: false).absoluteString == url)
    }

    @Test("refuses what is not http or https, or has no host", arguments: [
        ("ftp://8.8.8.8/", WebhookURLError.Reason.scheme), ("file:///etc/passwd", .scheme), ("gopher://127.0.0.1/", .scheme),
        ("http:///path", .noHost), ("not a url", .invalid), ("/relative", .invalid),
    ])
    func refusesShape(url: String, reason: WebhookURLError.Reason) throws {
        for allowPrivate in [false, true] {
            let error = try #require(throws: WebhookURLError.self) { try WebhookAddressPolicy.check(url, allowPrivate: allowPrivate) }
            #expect(error.reason == reason)
            #expect(error.description.contains(url))
            #expect(!error.description.contains("--allow-private-webhooks"))
        }
    }

    @Test("a host that does not resolve is refused with the resolver's words; one address out of many is enough to refuse")
    func resolution() throws {
        let unresolved = try #require(throws: WebhookURLError.self) {
            try WebhookAddressPolicy.check("https://hooks.example.test/x", allowPrivate: true) { _ in
                .failure(.init(message: "Name or service not known"))
            }
        }
        #expect(unresolved.reason == .unresolvable)
        #expect(unresolved.description
            == "webhook URL https://hooks.example.test/x refused: cannot resolve hooks.example.test (Name or service not known)")
        let mixed: (String) -> Result<[IPAddress], WebhookAddressPolicy.ResolutionError> = { _ in
            .success([.v4([93, 184, 215, 14]), .v4([10, 0, 0, 7])])
        }
        let refused = try #require(throws: WebhookURLError.self) {
            try WebhookAddressPolicy.check("https://hooks.example.test/x", allowPrivate: false, resolve: mixed)
        }
        #expect(refused.description
            == "webhook URL https://hooks.example.test/x refused: hooks.example.test resolves to 10.0.0.7, a private address; "
            + "start the server with --allow-private-webhooks to allow it")
        #expect(try WebhookAddressPolicy.check("https://hooks.example.test/x", allowPrivate: true, resolve: mixed).host == "hooks.example.test")
    }
}
