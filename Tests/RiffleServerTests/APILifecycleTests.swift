import Foundation
import RiffleTestSupport
import Testing

/// A short, seeded request: the Composer makes it in a few seconds.
func quickRequest(_ prompt: String = "warm lo-fi hip hop, 80 bpm", variations: Int = 1, seed: Int = 7, duration: Double = 5) -> [String: Any] {
    ["prompt": prompt, "duration": duration, "num_variations": variations, "seed": seed, "sample_rate": 22050, "format": "wav"]
}

@Suite("riffle serve: a batch through the native API, from POST to download, over real HTTP")
struct APILifecycleTests {
    @Test("generate answers 202 with a job id; the job completes with its takes, each track served with its files")
    func generateToDownload() throws {
        let library = try TemporaryDirectory()
        let server = try ServerProcess(library: library.url)
        let submitted = try HTTP.post("\(server.base)/v1/music/generate", quickRequest(variations: 2))
        #expect(submitted.status == 202, "\(submitted.text)")
        let id = try #require(submitted.json["job_id"] as? String)
        #expect(submitted.json["status"] as? String == "pending")
        #expect(submitted.json["created_at"] is String)
        #expect(submitted.header("Location") == "\(server.base)/v1/jobs/\(id)")

        let job = try server.waitForJob(id)
        #expect(job["status"] as? String == "completed")
        #expect(job["progress"] as? Double == 1)
        let results = try #require(job["results"] as? [[String: Any]])
        #expect(results.count == 2)
        #expect(results.map { $0["seed"] as? Int } == [7, 8])
        #expect(results.allSatisfy { $0["sample_rate"] as? Int == 22050 && $0["format"] as? String == "wav" })
        let metadata = try #require(job["metadata"] as? [String: Any])
        #expect((metadata["engine"] as? String)?.hasPrefix("composer") == true)
        #expect(metadata["prompt"] as? String == "warm lo-fi hip hop, 80 bpm")
        #expect(metadata["inference_time"] is Double)

        let trackID = try #require(results[0]["id"] as? String)
        let track = try HTTP.get("\(server.base)/v1/music/\(trackID)")
        #expect(track.status == 200)
        #expect(track.json["job_id"] as? String == id)
        #expect(track.json["tempo"] as? Double == 80)
        #expect(track.json["genre"] as? String == "lo-fi")
        // Stems are made on request.
        #expect((track.json["stems"] as? [String: String])?.isEmpty == true)
        #expect(track.json["score"] is Double)

        let audio = try HTTP.get(try #require(track.json["audio_url"] as? String))
        #expect(audio.status == 200)
        #expect(audio.header("Content-Type") == "audio/wav")
        #expect(audio.body.prefix(4) == Data("RIFF".utf8))
        let etag = try #require(audio.header("ETag"))
        #expect(audio.header("Accept-Ranges") == "bytes")

        let cached = try HTTP.get("\(server.base)/v1/music/\(trackID)/audio", headers: ["If-None-Match": etag])
        #expect(cached.status == 304)
        let ranged = try HTTP.get("\(server.base)/v1/music/\(trackID)/audio", headers: ["Range": "bytes=100-199"])
        #expect(ranged.status == 206)
        #expect(ranged.header("Content-Range") == "bytes 100-199/\(audio.body.count)")
        #expect(ranged.body == audio.body[100..<200])
        let tail = try HTTP.get("\(server.base)/v1/music/\(trackID)/audio", headers: ["Range": "bytes=-10"])
        #expect(tail.body == audio.body.suffix(10))
        let beyond = try HTTP.get("\(server.base)/v1/music/\(trackID)/audio", headers: ["Range": "bytes=\(audio.body.count + 5)-"])
        #expect(beyond.status == 416)
        #expect(beyond.header("Content-Range") == "bytes */\(audio.body.count)")

        let flac = try HTTP.get("\(server.base)/v1/music/\(trackID)/audio?format=flac")
        #expect(flac.status == 200)
        #expect(flac.header("Content-Type") == "audio/flac")
        #expect(flac.body.prefix(4) == Data("fLaC".utf8))
        let mp3 = try HTTP.get("\(server.base)/v1/music/\(trackID)/audio?format=mp3&download=true")
        #expect(mp3.header("Content-Type") == "audio/mpeg")
        #expect(mp3.header("Content-Disposition")?.contains("\(trackID).mp3") == true)
        let badFormat = try HTTP.get("\(server.base)/v1/music/\(trackID)/audio?format=aac")
        #expect(badFormat.status == 400)
        #expect(badFormat.json["field"] as? String == "format")

        let waveform = try HTTP.get("\(server.base)/v1/music/\(trackID)/waveform?bins=64")
        #expect(waveform.status == 200)
        let peaks = try #require(waveform.json["peaks"] as? [[String: Double]])
        #expect(peaks.count == 64)
        #expect(peaks.contains { ($0["max"] ?? 0) > 0.01 })
        #expect(peaks.allSatisfy { ($0["min"] ?? 1) <= ($0["max"] ?? 0) })
        let midi = try HTTP.get("\(server.base)/v1/music/\(trackID)/midi")
        #expect(midi.status == 200)
        #expect(midi.header("Content-Type") == "audio/midi")
        #expect(midi.body.prefix(4) == Data("MThd".utf8))
        let making = try HTTP.post("\(server.base)/v1/music/\(trackID)/stems")
        #expect(making.status == 202)
        _ = try server.waitForJob(try #require(making.json["job_id"] as? String))
        let stems = try #require(try HTTP.get("\(server.base)/v1/music/\(trackID)").json["stems"] as? [String: String])
        #expect(Set(stems.keys).isSuperset(of: ["drums", "bass"]))
        let stem = try HTTP.get(try #require(stems["bass"]))
        #expect(stem.status == 200)
        #expect(stem.body.prefix(4) == Data("RIFF".utf8))
    }

    @Test("rating, pick, delete; the job list filters by status and pages with a cursor")
    func trackActionsAndListing() throws {
        let library = try TemporaryDirectory()
        let server = try ServerProcess(library: library.url)
        let job = try server.generate(quickRequest(variations: 2, seed: 21))
        let results = try #require(job["results"] as? [[String: Any]])
        let first = try #require(results[0]["id"] as? String), second = try #require(results[1]["id"] as? String)

        let rated = try HTTP.send("PUT", "\(server.base)/v1/music/\(first)/rating", json: ["rating": 4])
        #expect(rated.status == 200)
        #expect(rated.json["rating"] as? Int == 4)
        let badRating = try HTTP.send("PUT", "\(server.base)/v1/music/\(first)/rating", json: ["rating": 9])
        #expect(badRating.status == 400)
        #expect(badRating.json["field"] as? String == "rating")
        #expect(try HTTP.send("PUT", "\(server.base)/v1/music/\(second)/pick").json["pick"] as? Bool == true)
        #expect(try HTTP.get("\(server.base)/v1/music/\(first)").json["pick"] as? Bool == false)

        let deleted = try HTTP.send("DELETE", "\(server.base)/v1/music/\(first)")
        #expect(deleted.status == 204)
        let gone = try HTTP.get("\(server.base)/v1/music/\(first)")
        #expect(gone.status == 404)
        #expect(gone.json["error"] as? String == "not_found")
        #expect(gone.json["code"] as? Int == 404)

        _ = try server.generate(quickRequest(seed: 22))
        _ = try server.generate(quickRequest(seed: 23))
        let page = try HTTP.get("\(server.base)/v1/jobs?limit=2&status=completed")
        #expect(page.status == 200)
        let data = try #require(page.json["data"] as? [[String: Any]])
        #expect(data.count == 2)
        #expect(page.json["has_more"] as? Bool == true)
        let cursor = try #require(page.json["next_cursor"] as? String)
        let next = try HTTP.get("\(server.base)/v1/jobs?limit=2&status=completed&after=\(cursor)")
        let rest = try #require(next.json["data"] as? [[String: Any]])
        #expect(rest.count == 1)
        #expect(next.json["has_more"] as? Bool == false)
        #expect(Set((data + rest).compactMap { $0["job_id"] as? String }).count == 3)
        let none = try HTTP.get("\(server.base)/v1/jobs?status=failed")
        #expect((none.json["data"] as? [Any])?.isEmpty == true)
        let badStatus = try HTTP.get("\(server.base)/v1/jobs?status=done")
        #expect(badStatus.status == 400)
        #expect(badStatus.json["field"] as? String == "status")
    }

    @Test("the same Idempotency-Key answers the same job; reused with another body it is refused with 409")
    func idempotency() throws {
        let library = try TemporaryDirectory()
        let server = try ServerProcess(library: library.url)
        var request = quickRequest()
        request.removeValue(forKey: "seed")
        let first = try HTTP.post("\(server.base)/v1/music/generate", request, headers: ["Idempotency-Key": "order-1"])
        let again = try HTTP.post("\(server.base)/v1/music/generate", request, headers: ["Idempotency-Key": "order-1"])
        #expect(first.status == 202 && again.status == 202)
        #expect(first.json["job_id"] as? String == again.json["job_id"] as? String)
        let other = try HTTP.post("\(server.base)/v1/music/generate", request, headers: ["Idempotency-Key": "order-2"])
        #expect(other.json["job_id"] as? String != first.json["job_id"] as? String)
        request["prompt"] = "something else"
        let clash = try HTTP.post("\(server.base)/v1/music/generate", request, headers: ["Idempotency-Key": "order-1"])
        #expect(clash.status == 409)
        #expect(clash.json["error"] as? String == "idempotency_conflict")
    }
}

@Suite("riffle serve: the catalog routes")
struct CatalogRouteTests {
    @Test("presets, engines with capabilities, Prometheus metrics counting requests and jobs, the OpenAPI document")
    func catalog() throws {
        let library = try TemporaryDirectory()
        let server = try ServerProcess(library: library.url)
        _ = try server.generate(quickRequest(seed: 4))
        let presets = try #require(try HTTP.get("\(server.base)/v1/presets").json["data"] as? [[String: Any]])
        #expect(presets.contains { $0["name"] as? String == "jazz" })
        let engines = try #require(try HTTP.get("\(server.base)/v1/engines").json["data"] as? [[String: Any]])
        let composer = try #require(engines.first { $0["name"] as? String == "composer" })
        #expect(composer["default"] as? Bool == true)
        #expect((composer["capabilities"] as? [String])?.contains("stems") == true)
        let musicgen = try #require(engines.first { $0["name"] as? String == "musicgen" })
        #expect((musicgen["capabilities"] as? [String])?.contains("continuation") == true)
        #expect(musicgen["unavailable"] is String)  // no model installed here
        let metrics = try HTTP.get("\(server.base)/metrics")
        #expect(metrics.status == 200)
        #expect(metrics.header("Content-Type")?.hasPrefix("text/plain") == true)
        #expect(metrics.text.contains(#"riffle_jobs{status="completed"} 1"#))
        #expect(metrics.text.contains("http_server_request_duration"))
        let document = try HTTP.get("\(server.base)/openapi.json")
        #expect(document.json["openapi"] as? String == "3.1.0")
        #expect((document.json["paths"] as? [String: Any])?["/v1/music/generate"] != nil)
    }
}
