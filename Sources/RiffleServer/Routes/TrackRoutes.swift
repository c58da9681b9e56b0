import Foundation
import Hummingbird
import RiffleApp
import RiffleCore

extension APIServer {
    /// `GET`/`DELETE /v1/music/{track_id}`, `PUT …/rating`, `PUT …/pick`.
    func addTrackRoutes(to v1: RouterGroup<APIRequestContext>) {
        v1.get("music/:track") { request, context in
            let (take, job) = try self.visibleTake(try context.parameters.require("track"), caller: context.caller)
            return try JSONCoding.response(TrackView(take: take, job: job, links: Links(request: request, fallbackHost: self.options.host)))
        }
        v1.delete("music/:track") { _, context in
            let (take, _) = try self.visibleTake(try context.parameters.require("track"), caller: context.caller)
            try self.service.delete(take.id)
            self.forgetTranscodes(of: take.id)
            return Response(status: .noContent)
        }
        v1.put("music/:track/rating") { request, context in
            var request = request
            let (take, job) = try self.visibleTake(try context.parameters.require("track"), caller: context.caller)
            let object = try JSONCoding.object(try await request.collectedBody(limit: self.options.maxBodyBytes))
            guard let value = object["rating"], !isJSONBoolean(value), let stars = value as? Int, (1...5).contains(stars) else {
                throw APIError.badRequest("rating: \(object["rating"].map { "\($0)" } ?? "missing") is not allowed (allowed: 1 to 5)", field: "rating")
            }
            try self.service.rate(take.id, stars: stars)
            return try self.trackResponse(take.id, job: job, request: request)
        }
        v1.put("music/:track/pick") { request, context in
            let (take, job) = try self.visibleTake(try context.parameters.require("track"), caller: context.caller)
            try self.service.pick(take.id)
            return try self.trackResponse(take.id, job: job, request: request)
        }
    }

    func trackResponse(_ takeID: String, job: JobRecord?, request: Request) throws -> Response {
        guard let take = try service.library.take(takeID) else { throw APIError.notFound("no track \(takeID)") }
        return try JSONCoding.response(TrackView(take: take, job: job, links: Links(request: request, fallbackHost: options.host)))
    }

    /// A take the caller may see (see ``visibleJob(_:caller:)``), with its job.
    func visibleTake(_ id: String, caller: Caller?) throws -> (TakeRecord, JobRecord?) {
        guard let take = try service.library.take(id) else { throw APIError.notFound("no track \(id)") }
        if let caller, let owner = try service.library.apiJob(take.jobID)?.keyID, owner != caller.keyID {
            throw APIError.notFound("no track \(id)")
        }
        return (take, try service.library.job(take.jobID))
    }
}
