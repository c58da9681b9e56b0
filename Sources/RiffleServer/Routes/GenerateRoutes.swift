import Crypto
import Foundation
import HTTPTypes
import Hummingbird
import RiffleApp
import RiffleCore

extension APIServer {
    /// `POST /v1/music/generate`: 202 and a job id; the batch runs on the service's queue.
    func addGenerateRoutes(to v1: RouterGroup<APIRequestContext>) {
        v1.post("music/generate") { request, context in
            var request = request
            let body = try await request.collectedBody(limit: self.options.maxBodyBytes)
            let submission = try self.parseGeneration(body)
            let submitted = try self.submit(submission, idempotencyKey: request.headers[.idempotencyKey], caller: context.caller) {
                try self.startGeneration(submission.request, caller: context.caller)
            }
            return try self.accepted(submitted, links: Links(request: request, fallbackHost: self.options.host))
        }
    }

    /// A generation request with the server's own fields.
    struct GenerationSubmission: Sendable {
        var request: GenerationRequest
        var webhook: WebhookRequest?
        /// A digest of the body, so a reused Idempotency-Key with another body is refused.
        var digest: String
    }

    /// The fields of a body that the server reads itself rather than the request model.
    static let serverFields: Set<String> = ["webhook_url", "webhook_events"]

    /// The request in `body`, every problem in one 400 naming the first field at fault.
    func parseGeneration(_ body: Data) throws -> GenerationSubmission {
        let object = try JSONCoding.object(body)
        let request: GenerationRequest
        do {
            request = try RequestJSON.decode(body, knownGenres: catalog.genreNames, otherFields: Self.serverFields)
        } catch let error as RequestValidationError {
            throw APIError.badRequest(error.description, field: error.fields.first)
        } catch {
            throw APIError.badRequest("the body is not valid JSON: \(error)")
        }
        let webhook = try WebhookRequest(object, allowPrivate: options.allowPrivateWebhooks)
        return GenerationSubmission(request: request, webhook: webhook, digest: Self.digest(of: request, webhook: webhook))
    }

    /// What identifies a request for Idempotency-Key: its fields, not its bytes (the order of a JSON
    /// object's keys, or its spacing, does not make another request).
    static func digest(of request: GenerationRequest, webhook: WebhookRequest?) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        var text = (try? encoder.encode(request)).map { String(decoding: $0, as: UTF8.self) } ?? request.prompt
        if let webhook { text += " " + webhook.url + " " + webhook.events.joined(separator: ",") }
        return SHA256.hash(data: Data(text.utf8)).map { String(format: "%02x", $0) }.joined()
    }

    /// Runs `start` (which queues the job and returns its id) within the caller's limits, once per
    /// Idempotency-Key, and records what the server must remember of the job.
    func submit(_ submission: GenerationSubmission, idempotencyKey: String?, caller: Caller?,
                seconds: Double? = nil, start: () throws -> String) throws -> SubmittedJob {
        let request = submission.request
        let audioSeconds = seconds ?? request.duration * Double(request.numVariations)
        return try admission.withLock { _ in
            if let idempotencyKey {
                guard idempotencyKey.count <= 255 else {
                    throw APIError.badRequest("Idempotency-Key: longer than 255 characters", field: "Idempotency-Key")
                }
                if let earlier = try service.library.apiJob(keyID: caller?.keyID, idempotencyKey: idempotencyKey) {
                    guard earlier.requestDigest == submission.digest else {
                        throw APIError(.conflict, "idempotency_conflict",
                                       "Idempotency-Key \(idempotencyKey) was used for another request; use a new key for a new request")
                    }
                    return try describeSubmitted(earlier.jobID, fresh: false)
                }
            }
            try admit(duration: request.duration, audioSeconds: audioSeconds, caller: caller)
            let jobID: String
            do { jobID = try start() } catch let error as AppError { throw APIError(error) }
            let fresh = try service.library.apiJob(jobID) == nil
            if fresh {
                do {
                    try service.library.insert(APIJob(jobID: jobID, keyID: caller?.keyID, webhookURL: submission.webhook?.url,
                                                      webhookEvents: submission.webhook?.events ?? [], idempotencyKey: idempotencyKey,
                                                      requestDigest: submission.digest, chargedSeconds: audioSeconds, createdAt: Date()),
                                               monthlyLimitSeconds: caller?.limits.monthlyMinutes.map { $0 * 60 })
                } catch let quota as QuotaExceeded {
                    // Another server on this library spent the minutes since the check: the job does not run.
                    try? service.delete(jobID)
                    throw APIError(.paymentRequired_, "quota_exceeded",
                                   quotaMessage(used: quota.usedSeconds, asked: quota.requestedSeconds, minutes: quota.limitSeconds / 60))
                }
            }
            return try describeSubmitted(jobID, fresh: fresh)
        }
    }

    /// Queues `request`, or answers it from the cache with the same seed's finished job, unless that job
    /// belongs to another key (which this caller may not see): then it is made again for this one.
    func startGeneration(_ request: GenerationRequest, caller: Caller?) throws -> String {
        let submission = try service.generate(request)
        if submission.cached, let owner = try service.library.apiJob(submission.jobID)?.keyID, owner != caller?.keyID {
            return try service.generate(request, force: true).jobID
        }
        return submission.jobID
    }

    /// A job just submitted (`fresh`: it is pending, whatever its queue has done since) or found again
    /// (an Idempotency-Key, the cache: as it is now), as the 202 describes it.
    func describeSubmitted(_ jobID: String, fresh: Bool) throws -> SubmittedJob {
        guard let job = try service.library.job(jobID) else { throw APIError.notFound("no job \(jobID)") }
        let status = fresh ? .pending : (board.progress(of: job.id)?.status ?? job.status)
        return SubmittedJob(jobID: job.id, status: status.rawValue,
                            estimatedTime: estimatedSeconds(for: job), createdAt: job.createdAt, url: "")
    }

    func accepted(_ submitted: SubmittedJob, links: Links) throws -> Response {
        var submitted = submitted
        submitted.url = links.job(submitted.jobID)
        return try JSONCoding.response(submitted, status: .accepted, headers: [.location: submitted.url])
    }

    /// Seconds job `job` should take, from the speed of this engine's recent takes (seconds of work per
    /// second of audio); `nil` when none has been made yet.
    func estimatedSeconds(for job: JobRecord) -> Double? {
        guard !job.status.isFinished else { return 0 }
        guard let recent = try? service.library.jobs(limit: 50) else { return nil }
        let ratios = recent.filter { $0.engine == job.engine && $0.status == .completed }.prefix(10).compactMap { done -> Double? in
            guard let started = done.startedAt, let finished = done.finishedAt else { return nil }
            let audio = done.request.duration * Double(done.kind == .generate ? done.request.numVariations : 1)
            return audio > 0 ? finished.timeIntervalSince(started) / audio : nil
        }
        guard !ratios.isEmpty else { return nil }
        let perSecond = ratios.reduce(0, +) / Double(ratios.count)
        let audio = job.request.duration * Double(job.kind == .generate ? job.request.numVariations : 1)
        return (perSecond * audio * 10).rounded() / 10
    }
}

extension HTTPField.Name {
    static let idempotencyKey = HTTPField.Name("Idempotency-Key")!
}

extension HTTPResponse.Status {
    /// 402: a key's monthly minutes are spent (HTTPTypes names no constant for it).
    static let paymentRequired_ = HTTPResponse.Status(code: 402, reasonPhrase: "Payment Required")
}

/// `webhook_url` and `webhook_events` of a request: where to POST the job's end, and for which ends.
struct WebhookRequest: Sendable, Hashable {
    /// The events a job may be asked to send.
    static let events = ["complete", "failed"]

    var url: String
    var events: [String]

    /// `nil` when the body names no webhook; a 400 naming the field when it names a bad one.
    init?(_ object: [String: Any], allowPrivate: Bool) throws {
        guard let value = object["webhook_url"], !(value is NSNull) else {
            if object["webhook_events"] != nil, !(object["webhook_events"] is NSNull) {
                throw APIError.badRequest("webhook_events: given without webhook_url (allowed: with a webhook_url)", field: "webhook_events")
            }
            return nil
        }
        guard let url = value as? String else {
            throw APIError.badRequest("webhook_url: must be a string (allowed: an http or https URL)", field: "webhook_url")
        }
        do {
            _ = try WebhookAddressPolicy.check(url, allowPrivate: allowPrivate)
        } catch {
            throw APIError.badRequest("webhook_url: \(error)", field: "webhook_url")
        }
        self.url = url
        if let given = object["webhook_events"], !(given is NSNull) {
            guard let list = given as? [String], !list.isEmpty, list.allSatisfy(Self.events.contains) else {
                throw APIError.badRequest("webhook_events: \(given) is not allowed (allowed: a list of: \(Self.events.joined(separator: ", ")))",
                                          field: "webhook_events")
            }
            events = Array(Set(list)).sorted()
        } else {
            events = Self.events
        }
    }
}
