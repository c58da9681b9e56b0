import Foundation
import RiffleTestSupport
import Testing

/// A Server-Sent Events stream's events, in order: (event name, its data as JSON).
func parseEvents(_ text: String) -> [(String, [String: Any])] {
    text.components(separatedBy: "\n\n").compactMap { block in
        var name: String?
        var data = ""
        for line in block.split(separator: "\n") {
            if line.hasPrefix("event: ") { name = String(line.dropFirst(7)) }
            if line.hasPrefix("data: ") { data += line.dropFirst(6) }
        }
        guard let name, let object = try? JSONSerialization.jsonObject(with: Data(data.utf8)) as? [String: Any] else { return nil }
        return (name, object)
    }
}

@Suite("riffle serve: Server-Sent Events, edits as jobs")
struct EventsAndEditsTests {
    @Test("the event stream opens with the job's status, reports progress and each take, and ends with completed")
    func serverSentEvents() throws {
        let library = try TemporaryDirectory()
        let server = try ServerProcess(library: library.url)
        let submitted = try HTTP.post("\(server.base)/v1/music/generate", quickRequest(variations: 2, seed: 11, duration: 10))
        let id = try #require(submitted.json["job_id"] as? String)
        let stream = try HTTP.get("\(server.base)/v1/jobs/\(id)/events")
        #expect(stream.status == 200)
        #expect(stream.header("Content-Type") == "text/event-stream")
        let events = parseEvents(stream.text)
        #expect(events.first?.0 == "status")
        #expect(events.contains { $0.0 == "progress" && ($0.1["progress"] as? Double ?? -1) >= 0 })
        #expect(events.filter { $0.0 == "take" }.count == 2)
        #expect(events.last?.0 == "status")
        #expect(events.last?.1["status"] as? String == "completed")
        #expect((events.last?.1["results"] as? [Any])?.count == 2)
        // A finished job's stream is its status, at once.
        let again = parseEvents(try HTTP.get("\(server.base)/v1/jobs/\(id)/events").text)
        #expect(again.count == 1)
        #expect(again.first?.1["status"] as? String == "completed")
    }

    @Test("extend, repaint, restyle and stems are jobs; each new track names its parent; a range outside the track is 400")
    func edits() throws {
        let library = try TemporaryDirectory()
        let server = try ServerProcess(library: library.url)
        let job = try server.generate(quickRequest(seed: 5, duration: 6))
        let track = try #require((job["results"] as? [[String: Any]])?.first?["id"] as? String)

        let extend = try HTTP.post("\(server.base)/v1/music/\(track)/extend", ["duration": 4, "seed": 1])
        #expect(extend.status == 202, "\(extend.text)")
        let extended = try server.waitForJob(try #require(extend.json["job_id"] as? String))
        #expect(extended["status"] as? String == "completed")
        #expect(extended["kind"] as? String == "extend")
        #expect(extended["parent_track_id"] as? String == track)
        let longer = try #require((extended["results"] as? [[String: Any]])?.first)
        #expect(abs((longer["duration"] as? Double ?? 0) - 10) < 0.1)
        #expect(try HTTP.get("\(server.base)/v1/music/\(try #require(longer["id"] as? String))").json["parent"] as? String == track)

        let repaint = try HTTP.post("\(server.base)/v1/music/\(track)/repaint", ["start": 1, "end": 3, "seed": 2])
        #expect(repaint.status == 202)
        #expect(try server.waitForJob(try #require(repaint.json["job_id"] as? String))["status"] as? String == "completed")
        let outside = try HTTP.post("\(server.base)/v1/music/\(track)/repaint", ["start": 4, "end": 60])
        #expect(outside.status == 400)
        #expect(outside.json["field"] as? String == "end")

        let restyle = try HTTP.post("\(server.base)/v1/music/\(track)/restyle", ["genre": "jazz"])
        #expect(restyle.status == 202, "\(restyle.text)")
        let restyled = try server.waitForJob(try #require(restyle.json["job_id"] as? String))
        let newTrack = try #require((restyled["results"] as? [[String: Any]])?.first?["id"] as? String)
        #expect(try HTTP.get("\(server.base)/v1/music/\(newTrack)").json["genre"] as? String == "jazz")
        let unknownGenre = try HTTP.post("\(server.base)/v1/music/\(track)/restyle", ["genre": "polka-metal"])
        #expect(unknownGenre.status == 400)
        #expect(unknownGenre.json["field"] as? String == "genre")

        let stems = try HTTP.post("\(server.base)/v1/music/\(track)/stems")
        #expect(stems.status == 202)
        #expect(try server.waitForJob(try #require(stems.json["job_id"] as? String))["status"] as? String == "completed")

        // The Composer cannot continue arbitrary audio: the upload route says so, naming the engine.
        let wav = try HTTP.get("\(server.base)/v1/music/\(track)/audio").body
        let upload = try HTTP.post("\(server.base)/v1/music/extend",
                                   ["prompt": "more of this", "duration": 5, "audio_base64": wav.base64EncodedString()])
        #expect(upload.status == 400)
        #expect((upload.json["message"] as? String)?.contains("continue") == true)
    }
}
