import Foundation
import RiffleTestSupport
import Testing

/// A multipart/form-data body: text fields, then one file part.
func multipartBody(boundary: String, fields: [(String, String)], file: (name: String, data: Data)) -> Data {
    var body = Data()
    for (name, value) in fields {
        body.append(Data("--\(boundary)\r\nContent-Disposition: form-data; name=\"\(name)\"\r\n\r\n\(value)\r\n".utf8))
    }
    body.append(Data("--\(boundary)\r\nContent-Disposition: form-data; name=\"\(file.name)\"; filename=\"upload.wav\"\r\nContent-Type: audio/wav\r\n\r\n".utf8))
    body.append(file.data)
    body.append(Data("\r\n--\(boundary)--\r\n".utf8))
    return body
}

@Suite("riffle serve with an installed MusicGen (the tiny reference checkpoint)")
struct MusicGenRouteTests {
    @Test("uploaded audio is continued from continuation_start, as multipart or base64; model_size picks the installed model")
    func continuationAndModelSize() throws {
        let library = try TemporaryDirectory()
        let added = try runRiffle(["models", "add", FakeHub.fixtures.appendingPathComponent("tiny-mono").path, "--name", "musicgen-small",
                                   "--library", library.url.path])
        #expect(added.status == 0, "\(added.errors)")
        let server = try ServerProcess(library: library.url)

        let boundary = "riffle-continuation"
        let body = multipartBody(boundary: boundary,
                                 fields: [("prompt", "dub techno with tape delay"), ("duration", "5"), ("continuation_start", "0.5"),
                                          ("engine", "musicgen"), ("seed", "3"), ("sample_rate", "32000")],
                                 file: ("audio", sineWAV(seconds: 2)))
        let submitted = try HTTP.send("POST", "\(server.base)/v1/music/extend", body: body,
                                      headers: ["Content-Type": "multipart/form-data; boundary=\(boundary)"])
        #expect(submitted.status == 202, "\(submitted.text)")
        let job = try server.waitForJob(try #require(submitted.json["job_id"] as? String))
        #expect(job["status"] as? String == "completed", "\(job)")
        let result = try #require((job["results"] as? [[String: Any]])?.first)
        // 1.5 s kept from the upload, then 5 s more.
        #expect(abs((result["duration"] as? Double ?? 0) - 6.5) < 0.05)
        #expect((job["metadata"] as? [String: Any])?["engine"] as? String == "musicgen 1")

        let inline = try HTTP.post("\(server.base)/v1/music/extend",
                                   ["prompt": "more", "duration": 5, "engine": "musicgen", "seed": 4, "sample_rate": 32000,
                                    "audio_base64": sineWAV(seconds: 1).base64EncodedString()])
        #expect(inline.status == 202, "\(inline.text)")
        #expect(try server.waitForJob(try #require(inline.json["job_id"] as? String))["status"] as? String == "completed")
        let late = try HTTP.post("\(server.base)/v1/music/extend",
                                 ["prompt": "more", "duration": 5, "engine": "musicgen", "continuation_start": 3,
                                  "audio_base64": sineWAV(seconds: 1).base64EncodedString()])
        #expect(late.status == 400)
        #expect(late.json["field"] as? String == "continuation_start")

        let tutorial = try HTTP.post("\(server.base)/generate", ["prompt": "lofi", "model_size": "small", "duration": 5])
        #expect(tutorial.status == 200, "\(tutorial.text)")
        #expect((tutorial.json["engine"] as? String)?.hasPrefix("musicgen") == true)
        #expect(tutorial.json["model"] as? String != nil)
    }
}
