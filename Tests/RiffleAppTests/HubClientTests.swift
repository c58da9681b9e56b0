import Foundation
import RiffleTestSupport
import Testing
@testable import RiffleApp

/// A client of the loopback hub that retries quickly.
private func hubClient(_ hub: FakeHub, token: String? = nil) throws -> HubClient {
    var client = HubClient(settings: try HubSettings(endpoint: URL(string: hub.endpoint)!, token: token))
    client.retryDelay = 0.05
    return client
}

private let repo = try! HubRepoID("facebook/musicgen-small")

private func contents(_ path: String) throws -> Data { try Data(contentsOf: URL(fileURLWithPath: path)) }

@Suite("the hub client against a loopback hub: listing, Range resume, verification, the token")
struct HubClientTests {
    @Test("the commit and every page of the tree listing: sizes, LFS SHA-256 for the weights, git ids for small files, no folders")
    func listing() throws {
        let served = try FakeHub.repository("tiny-mono", extra: ["README.md": "# card"])
        try FileManager.default.createDirectory(at: served.url.appendingPathComponent("onnx"), withIntermediateDirectories: true)
        try Data("x".utf8).write(to: served.url.appendingPathComponent("onnx/model.onnx"))
        let hub = try FakeHub(root: served.url.path, options: ["--page-size", "2"])
        let client = try hubClient(hub)
        let commit = try client.commit(of: repo, revision: "main")
        #expect(commit.count == 40)
        let files = try client.files(of: repo, at: commit)
        #expect(files.map(\.path).sorted() == ["README.md", "config.json", "generation_config.json", "model.safetensors", "spiece.model",
                                               "tokenizer.json", "tokenizer_config.json"])
        let weights = try #require(files.first { $0.path == "model.safetensors" })
        #expect(weights.size == Int64(try contents(served.path("model.safetensors")).count))
        #expect(weights.sha256 == FileDigest.sha256(try contents(served.path("model.safetensors"))))
        let config = try #require(files.first { $0.path == "config.json" })
        #expect(config.sha256 == nil && config.blobID?.count == 40)
        // Four pages of two, each asked for by the Link header of the one before.
        #expect(try hub.requests().filter { $0.path.contains("/tree/") }.count == 4)
    }

    @Test("a dropped connection is resumed with Range from the byte it stopped at, and the file verifies")
    func resumeAfterDrop() throws {
        let served = try FakeHub.repository("tiny-mono")
        let hub = try FakeHub(root: served.url.path, options: ["--drop", "model.safetensors:100000"])
        let client = try hubClient(hub)
        let commit = try client.commit(of: repo, revision: "main")
        let file = try #require(try client.files(of: repo, at: commit).first { $0.path == "model.safetensors" })
        let target = try TemporaryDirectory()
        let partial = target.path("model.safetensors.incomplete")
        try client.download(file, of: repo, at: commit, to: partial) { _ in }
        try client.verify(file, at: partial)
        #expect(try contents(partial) == contents(served.path("model.safetensors")))
        let gets = try hub.requests().filter { $0.path.hasPrefix("/cdn-lfs/") }
        #expect(gets.map(\.range) == [nil, "bytes=100000-"])
    }

    @Test("bytes left by an earlier run are continued; a server that ignores Range restarts the file")
    func partialFromBefore() throws {
        let served = try FakeHub.repository("tiny-mono")
        let original = try contents(served.path("model.safetensors"))
        for ignoring in [false, true] {
            let hub = try FakeHub(root: served.url.path, options: ignoring ? ["--ignore-range"] : [])
            let client = try hubClient(hub)
            let commit = try client.commit(of: repo, revision: "main")
            let file = try #require(try client.files(of: repo, at: commit).first { $0.path == "model.safetensors" })
            let target = try TemporaryDirectory()
            let partial = target.path("model.safetensors.incomplete")
            // The right first 5000 bytes when resuming works; when the server ignores Range they must go anyway.
            try original.prefix(5000).write(to: URL(fileURLWithPath: partial))
            try client.download(file, of: repo, at: commit, to: partial) { _ in }
            try client.verify(file, at: partial)
            #expect(try contents(partial) == original, "ignoring Range: \(ignoring)")
            #expect(try hub.requests().filter { $0.path.hasPrefix("/cdn-lfs/") }.map(\.range) == ["bytes=5000-"])
        }
    }

    @Test("a partial file longer than the file is no prefix of it: the download starts over")
    func overlong() throws {
        let served = try FakeHub.repository("tiny-mono")
        let hub = try FakeHub(root: served.url.path)
        let client = try hubClient(hub)
        let commit = try client.commit(of: repo, revision: "main")
        let file = try #require(try client.files(of: repo, at: commit).first { $0.path == "spiece.model" })
        let target = try TemporaryDirectory()
        let partial = target.path("spiece.model.incomplete")
        try Data(count: Int(file.size) + 10).write(to: URL(fileURLWithPath: partial))
        try client.download(file, of: repo, at: commit, to: partial) { _ in }
        try client.verify(file, at: partial)
        #expect(try hub.requests().filter { $0.path.hasPrefix("/cdn-lfs/") }.map(\.range) == [nil])
    }

    @Test("a file whose bytes do not hash to the hub's LFS id is deleted, the error naming it and both hashes")
    func corrupted() throws {
        let served = try FakeHub.repository("tiny-mono")
        let hub = try FakeHub(root: served.url.path, options: ["--corrupt", "model.safetensors"])
        let client = try hubClient(hub)
        let commit = try client.commit(of: repo, revision: "main")
        let file = try #require(try client.files(of: repo, at: commit).first { $0.path == "model.safetensors" })
        let target = try TemporaryDirectory()
        let partial = target.path("model.safetensors.incomplete")
        try client.download(file, of: repo, at: commit, to: partial) { _ in }
        let error = try #require(throws: AppError.self) { try client.verify(file, at: partial) }
        #expect(error.description.hasPrefix("model.safetensors: the downloaded file's SHA-256 is "))
        #expect(error.description.contains("but the hub's LFS id is \(try #require(file.sha256))"))
        #expect(!FileManager.default.fileExists(atPath: partial))
    }

    @Test("a small file is checked by its git blob id")
    func gitBlob() throws {
        let served = try FakeHub.repository("tiny-mono")
        let hub = try FakeHub(root: served.url.path, options: ["--corrupt", "config.json"])
        let client = try hubClient(hub)
        let commit = try client.commit(of: repo, revision: "main")
        let file = try #require(try client.files(of: repo, at: commit).first { $0.path == "config.json" })
        let target = try TemporaryDirectory()
        try client.download(file, of: repo, at: commit, to: target.path("config.json")) { _ in }
        let error = try #require(throws: AppError.self) { try client.verify(file, at: target.path("config.json")) }
        #expect(error.description.contains("git blob id"))
    }

    @Test("HF_TOKEN goes as a Bearer token; without it a private repository's refusal says to set it")
    func token() throws {
        let served = try FakeHub.repository("tiny-mono")
        let hub = try FakeHub(root: served.url.path, options: ["--token", "hf_secret"])
        let anonymous = try #require(throws: AppError.self) { try hubClient(hub).commit(of: repo, revision: "main") }
        #expect(anonymous.kind == .badInput && anonymous.description.contains("set HF_TOKEN"))
        let wrong = try #require(throws: AppError.self) { try hubClient(hub, token: "hf_wrong").commit(of: repo, revision: "main") }
        #expect(wrong.description.contains("refused the token in HF_TOKEN"))

        let client = try hubClient(hub, token: "hf_secret")
        let commit = try client.commit(of: repo, revision: "main")
        let file = try #require(try client.files(of: repo, at: commit).first { $0.path == "config.json" })
        let target = try TemporaryDirectory()
        try client.download(file, of: repo, at: commit, to: target.path("config.json")) { _ in }
        let authorized = try hub.requests().filter { !$0.path.hasPrefix("/cdn-lfs/") }.suffix(3)
        #expect(authorized.count == 3 && authorized.allSatisfy { $0.authorization == "Bearer hf_secret" })
    }

    @Test("a missing repository or revision is bad input naming it; an unreachable hub a clear error, at once")
    func refusals() throws {
        let served = try FakeHub.repository("tiny-mono")
        let hub = try FakeHub(root: served.url.path)
        let client = try hubClient(hub)
        let missing = try #require(throws: AppError.self) { try client.commit(of: try HubRepoID("facebook/musicgen-tiny"), revision: "main") }
        #expect(missing.kind == .badInput && missing.description.hasPrefix("facebook/musicgen-tiny: no such model on \(hub.endpoint)"))
        let revision = try #require(throws: AppError.self) { try client.commit(of: repo, revision: "v9") }
        #expect(revision.description.hasPrefix("facebook/musicgen-small has no revision \"v9\""))

        // A port nothing listens on: the ephemeral port of a hub that has gone.
        var gone: FakeHub? = try FakeHub(root: served.url.path)
        let endpoint = try #require(gone?.endpoint)
        gone = nil
        let started = Date()
        let unreachable = try #require(throws: AppError.self) {
            try HubClient(settings: try HubSettings(endpoint: URL(string: endpoint)!)).commit(of: repo, revision: "main")
        }
        #expect(unreachable.description.hasPrefix("cannot reach \(endpoint)/api/models/facebook/musicgen-small/revision/main"))
        #expect(Date().timeIntervalSince(started) < 5)
    }

    @Test("Authorization follows a redirect to the same host only")
    func redirectHeaders() {
        let headers = ["Authorization": "Bearer t", "Range": "bytes=5-"]
        let hub = URL(string: "https://huggingface.co/x/resolve/main/model.safetensors")!
        #expect(headersForRedirect(headers, from: hub, to: URL(string: "https://huggingface.co/api/resolve-cache/x")!) == headers)
        #expect(headersForRedirect(headers, from: hub, to: URL(string: "https://cdn-lfs.hf.co/repos/ab/cd")!) == ["Range": "bytes=5-"])
        #expect(headersForRedirect(headers, from: hub, to: URL(string: "https://huggingface.co:8443/x")!) == ["Range": "bytes=5-"])
    }

    @Test("settings from the environment: the default hub, HF_ENDPOINT without its trailing slash, HF_TOKEN; a bad endpoint refused")
    func settings() throws {
        let plain = try HubSettings.fromEnvironment([:])
        #expect(plain.endpoint.absoluteString == "https://huggingface.co" && plain.token == nil)
        let mirror = try HubSettings.fromEnvironment(["HF_ENDPOINT": "http://127.0.0.1:9/", "HF_TOKEN": " hf_abc\n"])
        #expect(mirror.endpoint.absoluteString == "http://127.0.0.1:9" && mirror.token == "hf_abc")
        #expect(try HubSettings.fromEnvironment(["HF_TOKEN": ""]).token == nil)
        let bad = try #require(throws: AppError.self) { try HubSettings.fromEnvironment(["HF_ENDPOINT": "file:///tmp"]) }
        #expect(bad.kind == .badInput && bad.description.contains("HF_ENDPOINT"))
        #expect(HubURLs(endpoint: mirror.endpoint, repo: repo).resolve("refs/pr/1", "model.safetensors").absoluteString
                == "http://127.0.0.1:9/facebook/musicgen-small/resolve/refs%2Fpr%2F1/model.safetensors")
    }

    @Test("model ids: owner/name or a bare name of the hub's characters", arguments: [
        ("facebook/musicgen-small", true), ("musicgen-small", true), ("facebook/musicgen-stereo-melody-large", true),
        ("", false), ("a/b/c", false), ("facebook/", false), ("../etc", false), ("face book/x", false), ("a--b/c", false), ("x/.hidden", false),
    ])
    func repoIDs(text: String, valid: Bool) {
        #expect(((try? HubRepoID(text)) != nil) == valid)
    }

    @Test("the meter's rate is over its window and the ETA follows it")
    func meter() {
        var meter = TransferMeter(window: 5)
        let start = Date(timeIntervalSince1970: 1000)
        meter.record(0, at: start)
        #expect(meter.bytesPerSecond == nil)
        for second in 1...10 { meter.record(Int64(second) * 1_000_000, at: start + Double(second)) }
        #expect(meter.bytesPerSecond == 1_000_000)
        #expect(meter.secondsLeft(remaining: 30_000_000) == 30)
        // Twice as fast for the last five seconds: the window shows it.
        for second in 11...15 { meter.record(10_000_000 + Int64(second - 10) * 2_000_000, at: start + Double(second)) }
        #expect(meter.bytesPerSecond == 2_000_000)
        meter.record(0, at: start + 16)
        #expect(meter.bytesPerSecond == nil)
    }
}
