import Foundation
import HTTPTypes
import Hummingbird
import RiffleApp
import RiffleCore

extension APIServer {
    /// `GET /v1/jobs`, `GET /v1/jobs/{id}`, cancel, retry, and the job's Server-Sent Events.
    func addJobRoutes(to v1: RouterGroup<APIRequestContext>) {
        v1.get("jobs") { request, context in
            try JSONCoding.response(try self.jobPage(request, caller: context.caller))
        }
        v1.get("jobs/:id") { request, context in
            let job = try self.visibleJob(try context.parameters.require("id"), caller: context.caller)
            return try JSONCoding.response(try self.view(of: job, links: Links(request: request, fallbackHost: self.options.host)))
        }
        v1.post("jobs/:id/cancel") { request, context in
            let job = try self.visibleJob(try context.parameters.require("id"), caller: context.caller)
            try self.service.cancel(job.id)
            _ = try? self.service.wait(job.id)
            let now = try self.visibleJob(job.id, caller: context.caller)
            return try JSONCoding.response(try self.view(of: now, links: Links(request: request, fallbackHost: self.options.host)))
        }
        v1.post("jobs/:id/retry") { request, context in
            let job = try self.visibleJob(try context.parameters.require("id"), caller: context.caller)
            guard job.kind == .generate else {
                throw APIError.conflict("job \(job.id) is a \(job.kind.rawValue): post the edit again instead of retrying it")
            }
            if let caller = context.caller { try self.admitConcurrency(caller: caller) }
            _ = try self.service.resume(job.id)
            return try self.accepted(try self.describeSubmitted(job.id, fresh: true), links: Links(request: request, fallbackHost: self.options.host))
        }
        v1.get("jobs/:id/events") { request, context in
            let job = try self.visibleJob(try context.parameters.require("id"), caller: context.caller)
            return self.eventStream(of: job.id, links: Links(request: request, fallbackHost: self.options.host))
        }
    }

    /// A job the caller may see: its own, or one made outside the API (the studio's, the command
    /// line's); another key's jobs are answered 404, as if they did not exist.
    func visibleJob(_ id: String, caller: Caller?) throws -> JobRecord {
        guard let job = try service.library.job(id) else { throw APIError.notFound("no job \(id)") }
        if let caller, let owner = try service.library.apiJob(id)?.keyID, owner != caller.keyID {
            throw APIError.notFound("no job \(id)")
        }
        return job
    }

    func view(of job: JobRecord, links: Links) throws -> JobView {
        let takes = try resultTakes(of: job)
        return JobView(job: job, takes: takes, interpretation: try interpretation(of: job, hasTakes: !takes.isEmpty),
                       live: board.progress(of: job.id), webhookURL: try service.library.apiJob(job.id)?.webhookURL, links: links)
    }

    /// The takes a job's `results` list: its own, or for a stems job (which makes no take) the track
    /// whose stems it made, once they are there.
    func resultTakes(of job: JobRecord, own: [TakeSummary]? = nil) throws -> [TakeSummary] {
        if job.kind == .stems {
            guard job.status == .completed, let parent = job.parentTakeID, let take = try service.library.take(parent) else { return [] }
            return [TakeSummary(take)]
        }
        if let own { return own }
        return try service.library.takeSummaries(ofJobs: [job.id])[job.id] ?? []
    }

    /// How the engine read the job's request, from its first take; kept once read, since a take's
    /// interpretation never changes (a status poll would otherwise decode it every time).
    func interpretation(of job: JobRecord, hasTakes: Bool) throws -> Interpretation? {
        guard hasTakes else { return nil }
        let key = job.kind == .stems ? job.parentTakeID ?? job.id : job.id
        if let known = interpretations.withLock({ $0[key] }) { return known }
        let read = job.kind == .stems ? try service.library.take(key)?.interpretation : try service.library.interpretation(ofJob: job.id)
        if let read {
            interpretations.withLock { cache in
                // A bounded cache: forgetting everything now and then is enough for a status poll's working set.
                if cache.count >= 1024 { cache.removeAll() }
                cache[key] = read
            }
        }
        return read
    }

    /// Jobs newest first, `limit` a page (1 to 100, 20 by default), after the job `after`, of one
    /// `status` when given.
    func jobPage(_ request: Request, caller: Caller?) throws -> JobPage {
        let limit = try request.query("limit", in: 1...100, default: 20)
        var status: JobStatus?
        if let text = request.query("status") {
            guard let parsed = JobStatus(rawValue: text) else {
                throw APIError.badRequest("status: \(text) is not a job status (allowed: one of: "
                                          + JobStatus.allCases.map(\.rawValue).joined(separator: ", ") + ")", field: "status")
            }
            status = parsed
        }
        var jobs = try service.library.jobs()
        let owners = try service.library.apiJobs(forJobs: jobs.map(\.id))
        jobs = jobs.filter { job in
            (status == nil || (board.progress(of: job.id)?.status ?? job.status) == status)
                && (caller == nil || owners[job.id]?.keyID == nil || owners[job.id]?.keyID == caller?.keyID)
        }
        if let after = request.query("after") {
            guard let index = jobs.firstIndex(where: { $0.id == after }) else {
                throw APIError.badRequest("after: \(after) is not a job in this listing (allowed: a next_cursor from the last page)", field: "after")
            }
            jobs.removeFirst(index + 1)
        }
        let page = Array(jobs.prefix(limit))
        let takes = try service.library.takeSummaries(ofJobs: page.map(\.id))
        let links = Links(request: request, fallbackHost: options.host)
        let views = try page.map { job in
            let results = try resultTakes(of: job, own: takes[job.id] ?? [])
            return JobView(job: job, takes: results, interpretation: try interpretation(of: job, hasTakes: !results.isEmpty),
                           live: board.progress(of: job.id), webhookURL: owners[job.id]?.webhookURL, links: links)
        }
        return JobPage(data: views, hasMore: jobs.count > limit, nextCursor: jobs.count > limit ? page.last?.id : nil)
    }
}
