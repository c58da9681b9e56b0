import Foundation
import RiffleTestSupport
import Testing

@Suite("riffle serve: the AudioCraft REST tutorial's API, as its clients call it")
struct TutorialClientTests {
    @Test("synchronous /generate returns a URL or base64 audio, says which engine made it; /audio serves the file")
    func synchronousGenerate() throws {
        let library = try TemporaryDirectory()
        let server = try ServerProcess(library: library.url)
        let health = try HTTP.get("\(server.base)/health")
        #expect(health.status == 200)
        #expect(health.json["status"] as? String == "healthy")

        let byURL = try HTTP.post("\(server.base)/generate", ["prompt": "upbeat jazz piano", "model_size": "small", "duration": 5,
                                                              "temperature": 1.0, "top_k": 250, "top_p": 0.0, "output_format": "wav"])
        #expect(byURL.status == 200, "\(byURL.text)")
        #expect(byURL.json["success"] as? Bool == true)
        #expect(byURL.json["generation_time"] is Double)
        #expect(byURL.json["format"] as? String == "wav")
        // No MusicGen is installed here: the default engine made it, and the answer says so.
        #expect((byURL.json["engine"] as? String)?.hasPrefix("composer") == true)
        let url = try #require(byURL.json["audio_url"] as? String)
        #expect(url.hasPrefix("/audio/"))
        let file = try HTTP.get(server.base + url)
        #expect(file.status == 200)
        #expect(file.body.prefix(4) == Data("RIFF".utf8))

        let inline = try HTTP.post("\(server.base)/generate", ["prompt": "ambient drone", "duration": 5, "return_type": "base64",
                                                               "output_format": "flac"])
        #expect(inline.status == 200, "\(inline.text)")
        let encoded = try #require(inline.json["audio"] as? String)
        let audio = try #require(Data(base64Encoded: encoded))
        #expect(audio.prefix(4) == Data("fLaC".utf8))
        #expect(inline.json["audio_url"] == nil)
    }

    @Test("generate-async gives a task id; /tasks answers processing, then completed with the audio URL")
    func asynchronousTask() throws {
        let library = try TemporaryDirectory()
        let server = try ServerProcess(library: library.url)
        let started = try HTTP.post("\(server.base)/generate-async", ["prompt": "lofi beat", "duration": 5])
        #expect(started.status == 200, "\(started.text)")
        #expect(started.json["status"] as? String == "processing")
        let task = try #require(started.json["task_id"] as? String)
        var status: [String: Any] = [:]
        let deadline = Date().addingTimeInterval(120)
        repeat {
            status = try HTTP.get("\(server.base)/tasks/\(task)").json
            if status["status"] as? String != "processing" { break }
            Thread.sleep(forTimeInterval: 0.2)
        } while Date() < deadline
        #expect(status["status"] as? String == "completed")
        let url = try #require(status["audio_url"] as? String)
        #expect(try HTTP.get(server.base + url).status == 200)
        #expect((status["result"] as? [String: Any])?["audio_url"] as? String == url)
    }

    @Test("the tutorial's errors are {\"error\": …} with 400 and 404")
    func tutorialErrors() throws {
        let library = try TemporaryDirectory()
        let server = try ServerProcess(library: library.url)
        let missing = try HTTP.get("\(server.base)/tasks/nope")
        #expect(missing.status == 404)
        #expect(missing.json["error"] as? String == "Task not found")
        #expect(missing.json["code"] == nil)
        let noFile = try HTTP.get("\(server.base)/audio/nothing.wav")
        #expect(noFile.status == 404)
        #expect(noFile.json["error"] is String)
        let noPrompt = try HTTP.post("\(server.base)/generate", ["duration": 5])
        #expect(noPrompt.status == 400)
        #expect((noPrompt.json["error"] as? String)?.contains("prompt") == true)
        let badFormat = try HTTP.post("\(server.base)/generate", ["prompt": "x y", "output_format": "aac"])
        #expect(badFormat.status == 400)
        #expect((badFormat.json["error"] as? String)?.contains("output_format") == true)

        // Multipart with a melody: no engine conditions on one, and the answer says so.
        let boundary = "riffle-test-boundary"
        var body = Data()
        body.append(Data("--\(boundary)\r\nContent-Disposition: form-data; name=\"prompt\"\r\n\r\nbossa nova\r\n".utf8))
        body.append(Data("--\(boundary)\r\nContent-Disposition: form-data; name=\"melody\"; filename=\"m.wav\"\r\nContent-Type: audio/wav\r\n\r\n".utf8))
        body.append(sineWAV(seconds: 1))
        body.append(Data("\r\n--\(boundary)--\r\n".utf8))
        let melody = try HTTP.send("POST", "\(server.base)/generate-with-melody", body: body,
                                   headers: ["Content-Type": "multipart/form-data; boundary=\(boundary)"])
        #expect(melody.status == 400)
        #expect((melody.json["error"] as? String)?.contains("melody") == true)
    }
}
