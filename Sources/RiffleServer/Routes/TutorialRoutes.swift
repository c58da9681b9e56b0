import Dispatch
import Foundation
import Hummingbird
import RiffleApp
import RiffleCore

/// The AudioCraft REST tutorial's API, so clients written for it work unchanged: synchronous
/// `POST /generate`, `POST /generate-async` with `GET /tasks/{task_id}`, `GET /audio/{filename}` and
/// `POST /generate-with-melody`. Errors are `{"error": "…"}` as that tutorial answers them.
enum TutorialRoutes {
    /// Whether `path` is one of the tutorial's (its errors take the tutorial's shape).
    static func owns(_ path: String) -> Bool {
        path == "/generate" || path == "/generate-async" || path == "/generate-with-melody"
            || path.hasPrefix("/tasks/") || path.hasPrefix("/audio/")
    }

    /// The fields the tutorial's generation requests carry.
    static let fields: Set<String> = ["prompt", "model_size", "duration", "temperature", "top_k", "top_p", "output_format",
                                      "return_type", "seed", "guidance_scale", "genre"]
}

extension APIServer {
    func addTutorialRoutes(to router: Router<APIRequestContext>) {
        router.post("generate") { request, context in
            var request = request
            let started = Date()
            let (generation, returnType) = try self.tutorialRequest(try await request.collectedBody(limit: self.options.maxBodyBytes))
            let submitted = try self.submit(GenerationSubmission(request: generation, webhook: nil, digest: ""), idempotencyKey: nil,
                                            caller: context.caller) { try self.startGeneration(generation, caller: context.caller) }
            let job = try await self.finishedJob(submitted.jobID)
            guard job.status == .completed, let take = try self.service.library.takes(ofJob: job.id).min(by: { $0.variation < $1.variation }) else {
                throw APIError(.internalServerError, "generation_failed", "generation failed: \(job.error ?? job.status.rawValue)")
            }
            var answer = TutorialResult(success: true, generationTime: (Date().timeIntervalSince(started) * 100).rounded() / 100,
                                        format: take.format, sampleRate: take.sampleRate, duration: take.duration,
                                        engine: job.engine.description, model: job.model, taskID: job.id)
            if returnType == "base64" {
                answer.audio = try Data(contentsOf: URL(fileURLWithPath: take.audioPath)).base64EncodedString()
            } else {
                answer.audioURL = "/audio/\(take.id).\(take.format)"
            }
            return try JSONCoding.response(answer)
        }
        router.post("generate-async") { request, context in
            var request = request
            let (generation, _) = try self.tutorialRequest(try await request.collectedBody(limit: self.options.maxBodyBytes))
            let submitted = try self.submit(GenerationSubmission(request: generation, webhook: nil, digest: ""), idempotencyKey: nil,
                                            caller: context.caller) { try self.startGeneration(generation, caller: context.caller) }
            return try JSONCoding.response(TaskStarted(taskID: submitted.jobID, status: "processing"))
        }
        router.get("tasks/:task") { _, context in
            let id = try context.parameters.require("task")
            guard let job = try? self.visibleJob(id, caller: context.caller) else { throw APIError.notFound("Task not found") }
            return try JSONCoding.response(try self.taskStatus(job))
        }
        router.get("audio/:file") { request, context in
            let name = try context.parameters.require("file")
            let url = URL(fileURLWithPath: name)
            guard let (take, _) = try? self.visibleTake(url.deletingPathExtension().lastPathComponent, caller: context.caller) else {
                throw APIError.notFound("File not found")
            }
            let stored = AudioFormat(name: take.format) ?? .wav
            let format = url.pathExtension.isEmpty ? stored : AudioFormat(name: url.pathExtension)
            guard let format else { throw APIError.notFound("File not found") }
            let path = format == stored ? take.audioPath : try self.transcoded(take, to: format)
            return try FileResponse.make(path: path, contentType: format.mediaType, request: request)
        }
        router.post("generate-with-melody") { request, _ -> Response in
            var request = request
            let upload = try await Upload.read(&request, limit: self.options.maxUploadBytes, filePart: "melody")
            guard upload.audio != nil else { throw APIError.badRequest("No melody file provided", field: "melody") }
            // No engine here conditions on a melody (MusicGen's melody models are not supported): say so, and what is.
            throw APIError.badRequest("No engine here conditions on a melody (engines: "
                                      + self.engineList().map(\.name).joined(separator: ", ")
                                      + "); use /generate, or POST /v1/music/extend to continue an audio file", field: "melody")
        }
    }

    /// The tutorial's body as a request; `model_size` picks an installed MusicGen of that size
    /// (musicgen-small, …), else the default engine.
    func tutorialRequest(_ body: Data) throws -> (GenerationRequest, String) {
        var object = try JSONCoding.object(body)
        let fields = try Fields(object, allowed: TutorialRoutes.fields)
        let returnType = try fields.string("return_type", allowed: "url or base64") ?? "url"
        guard returnType == "url" || returnType == "base64" else {
            throw APIError.badRequest("return_type: \(returnType) is not allowed (allowed: url, base64)", field: "return_type")
        }
        if let size = try fields.string("model_size", allowed: "small, medium, large, melody") {
            let name = "musicgen-\(size.lowercased())"
            if installedModels().contains(name) {
                object["engine"] = "musicgen"
                object["model"] = name
            }
        }
        object["format"] = object.removeValue(forKey: "output_format")
        for key in ["model_size", "return_type"] { object.removeValue(forKey: key) }
        if object["duration"] == nil { object["duration"] = 10 }
        let request: GenerationRequest
        do {
            request = try RequestJSON.decode(try JSONSerialization.data(withJSONObject: object.filter { !($0.value is NSNull) }),
                                             knownGenres: catalog.genreNames)
        } catch let error as RequestValidationError {
            let issue = error.issues[0]
            let field = issue.field == "format" ? "output_format" : issue.field
            throw APIError.badRequest(error.issues.map { "\($0)" }.joined(separator: "; ").replacingOccurrences(of: "format:", with: "output_format:"),
                                      field: field)
        }
        return (request, returnType)
    }

    /// The MusicGen models installed in the library's models folder, by name.
    func installedModels() -> Set<String> {
        Set(((try? ModelStore(library: service.library.directory).installed()) ?? []).map(\.name))
    }

    /// Waits for job `id` off the server's event loops (generation takes seconds to minutes).
    func finishedJob(_ id: String) async throws -> JobRecord {
        try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global().async {
                do {
                    switch try self.service.wait(id) {
                    case .finished(let job): continuation.resume(returning: job)
                    case .rejected(let reason): continuation.resume(throwing: APIError.badRequest(reason))
                    }
                } catch {
                    continuation.resume(throwing: error)
                }
            }
        }
    }

    /// `GET /tasks/{id}`'s answer: processing while pending or running.
    func taskStatus(_ job: JobRecord) throws -> TaskStatus {
        let status = board.progress(of: job.id)?.status ?? job.status
        switch status {
        case .pending, .processing:
            return TaskStatus(status: "processing", progress: board.progress(of: job.id)?.fraction ?? 0)
        case .completed:
            let take = try service.library.takes(ofJob: job.id).min(by: { $0.variation < $1.variation })
            let url = take.map { "/audio/\($0.id).\($0.format)" }
            var seconds: Double?
            if let started = job.startedAt, let finished = job.finishedAt { seconds = finished.timeIntervalSince(started) }
            return TaskStatus(status: "completed", result: take.map {
                TutorialResult(success: true, generationTime: seconds.map { ($0 * 100).rounded() / 100 } ?? 0, audioURL: url, format: $0.format,
                               sampleRate: $0.sampleRate, duration: $0.duration, engine: job.engine.description, model: job.model, taskID: job.id)
            }, audioURL: url)
        case .failed, .cancelled, .interrupted:
            return TaskStatus(status: "failed", error: job.error ?? "the job was \(status.rawValue)")
        }
    }
}

struct TutorialResult: Encodable, Sendable {
    var success: Bool
    var generationTime: Double
    var audioURL: String?
    var audio: String?
    var format: String
    var sampleRate: Int
    var duration: Double
    /// Which engine made it: `model_size` asks for a MusicGen that may not be installed.
    var engine: String
    var model: String?
    var taskID: String

    enum CodingKeys: String, CodingKey {
        case success, audio, format, duration, engine, model
        case generationTime = "generation_time"
        case audioURL = "audio_url"
        case sampleRate = "sample_rate"
        case taskID = "task_id"
    }
}

struct TaskStarted: Encodable, Sendable {
    var taskID: String
    var status: String

    enum CodingKeys: String, CodingKey {
        case status
        case taskID = "task_id"
    }
}

struct TaskStatus: Encodable, Sendable {
    var status: String
    var progress: Double?
    var result: TutorialResult?
    var audioURL: String?
    var error: String?

    enum CodingKeys: String, CodingKey {
        case status, progress, result, error
        case audioURL = "audio_url"
    }
}
