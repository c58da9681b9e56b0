import Foundation
import Hummingbird
import RiffleApp
import RiffleCore
import RiffleEngine

extension APIServer {
    /// `POST /v1/music/{track_id}/repaint|extend|restyle|stems` and `POST /v1/music/extend` (uploaded
    /// audio): each a job, answered 202 like a generation.
    func addEditRoutes(to v1: RouterGroup<APIRequestContext>) {
        v1.post("music/:track/repaint") { request, context in
            try await self.edit(request, context, allowed: ["start", "end", "prompt"]) { fields, duration in
                let start = try fields.requiredNumber("start", allowed: "seconds from the track's start, 0 to \(duration)")
                let end = try fields.requiredNumber("end", allowed: "seconds after start, up to \(duration)")
                guard start >= 0, start < end, end <= duration + 1e-6 else {
                    throw APIError.badRequest("end: the range \(start)–\(end) s does not fit the track (allowed: 0 ≤ start < end ≤ \(duration))",
                                              field: start < 0 || start >= duration ? "start" : "end")
                }
                return .repaint(from: start, to: end, prompt: try fields.string("prompt", allowed: "text for the repainted range"))
            }
        }
        v1.post("music/:track/extend") { request, context in
            try await self.edit(request, context, allowed: ["duration"]) { fields, duration in
                let maximum = GenerationRequest.Limits.duration.upperBound - duration
                let seconds = try fields.requiredNumber("duration", allowed: "seconds to add, more than 0 and at most \(maximum)")
                guard seconds > 0, seconds <= maximum else {
                    throw APIError.badRequest("duration: \(seconds) is out of range (allowed: more than 0 and at most \(maximum) seconds, "
                                              + "so the track stays within \(GenerationRequest.Limits.duration.upperBound) s)", field: "duration")
                }
                return .extend(seconds: seconds)
            }
        }
        v1.post("music/:track/restyle") { request, context in
            try await self.edit(request, context, allowed: ["genre"]) { fields, _ in
                let names = self.catalog.presets.map(\.name)
                guard let genre = try fields.string("genre", allowed: names.joined(separator: ", ")) else {
                    throw APIError.badRequest("genre: is required (allowed: one of: \(names.joined(separator: ", ")))", field: "genre")
                }
                guard let resolved = self.catalog.genreNames.resolveName(genre) else {
                    throw APIError.badRequest("genre: \(genre) is not a preset (allowed: one of: \(names.joined(separator: ", ")))", field: "genre")
                }
                return .restyle(genre: resolved)
            }
        }
        v1.post("music/:track/stems") { request, context in
            let (take, _) = try self.visibleTake(try context.parameters.require("track"), caller: context.caller)
            let submission = GenerationSubmission(request: try self.parentRequest(of: take), webhook: nil, digest: "stems \(take.id)")
            let submitted = try self.submit(submission, idempotencyKey: request.headers[.idempotencyKey], caller: context.caller, seconds: 0) {
                try self.service.stemsJob(of: take.id)
            }
            return try self.accepted(submitted, links: Links(request: request, fallbackHost: self.options.host))
        }
        v1.post("music/extend") { request, context in
            var request = request
            let upload = try await Upload.read(&request, limit: self.options.maxUploadBytes, filePart: "audio")
            guard let audio = upload.audio else {
                throw APIError.badRequest("audio: is required (allowed: a multipart file part named audio, or audio_base64 in JSON)", field: "audio")
            }
            var fields = upload.fields
            let start = try Fields(fields, allowed: Set(fields.keys)).number("continuation_start", allowed: "seconds into the audio") ?? 0
            fields["continuation_start"] = nil
            let body = try JSONSerialization.data(withJSONObject: fields)
            // `duration` is how much to add, as in the AudioCraft APIs; the take also keeps the audio from the start on.
            let submission = try self.parseGeneration(body)
            let seconds = submission.request.duration
            let submitted = try self.submit(submission, idempotencyKey: request.headers[.idempotencyKey], caller: context.caller,
                                            seconds: seconds) {
                try self.service.continueAudio(audio, from: start, seconds: seconds, request: submission.request,
                                               seed: submission.request.seed)
            }
            return try self.accepted(submitted, links: Links(request: request, fallbackHost: self.options.host))
        }
    }

    /// The request that made `take`.
    func parentRequest(of take: TakeRecord) throws -> GenerationRequest {
        guard let job = try service.library.job(take.jobID) else { throw APIError.notFound("no track \(take.id)") }
        return job.request
    }

    /// An edit of the track in the path: the body's fields (plus `seed`, `webhook_url`, `webhook_events`)
    /// read by `make`, which is given the track's duration.
    private func edit(_ request: Request, _ context: APIRequestContext, allowed: Set<String>,
                      make: (Fields, Double) throws -> TakeEdit) async throws -> Response {
        var request = request
        let (take, _) = try visibleTake(try context.parameters.require("track"), caller: context.caller)
        let body = try await request.collectedBody(limit: options.maxBodyBytes)
        let object = body.isEmpty ? [:] : try JSONCoding.object(body)
        let fields = try Fields(object, allowed: allowed.union(["seed"]).union(Self.serverFields))
        let edit = try make(fields, take.duration)
        let seed = try fields.seed()
        var parent = try parentRequest(of: take)
        parent.duration = take.duration
        let webhook = try WebhookRequest(object, allowPrivate: options.allowPrivateWebhooks)
        let submission = GenerationSubmission(request: parent, webhook: webhook,
                                              digest: "\(take.id) \(edit) seed \(seed.map(String.init) ?? "random") "
                                                  + Self.digest(of: parent, webhook: webhook))
        let seconds: Double = switch edit {
        case .extend(let added): added
        case .repaint(let from, let to, _): to - from
        case .restyle: take.duration
        }
        let submitted = try submit(submission, idempotencyKey: request.headers[.idempotencyKey], caller: context.caller, seconds: seconds) {
            try self.service.edit(take.id, edit, seed: seed)
        }
        return try accepted(submitted, links: Links(request: request, fallbackHost: options.host))
    }
}
