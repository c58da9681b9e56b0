import Foundation
import RiffleApp
import RiffleCore

/// The webhooks of jobs submitted through the API: when a job that asked for one completes or fails,
/// its delivery (`{event, job_id, results}`, Standard Webhooks signed) goes into the library and the
/// dispatcher sends and retries it, across restarts.
///
/// Deliveries are signed with the submitting key's `whsec_` secret; a server run without keys signs
/// with the library's own secret (``localSecret``), which `riffle serve` prints when it starts.
final class JobWebhooks: Sendable {
    let dispatcher: WebhookDispatcher
    let library: Library
    /// The secret for jobs submitted without a key, kept in the library folder (mode 0600).
    let localSecret: String

    init(library: Library, allowPrivate: Bool, schedule: WebhookDispatcher.RetrySchedule, log: @escaping @Sendable (String) -> Void) throws {
        self.library = library
        dispatcher = WebhookDispatcher(library: library, allowPrivate: allowPrivate, schedule: schedule, log: log)
        localSecret = try Self.loadLocalSecret(in: library.directory)
    }

    /// The payload's `results`: the job's takes with where to fetch them.
    struct Payload: Encodable {
        var event: String
        var jobID: String
        var status: String
        var error: String?
        var results: [JobView.Result]

        enum CodingKeys: String, CodingKey {
            case event, status, error, results
            case jobID = "job_id"
        }
    }

    /// Queues job `jobID`'s webhook, if it asked for one for this ending (`complete` covers completed,
    /// `failed` covers failed, cancelled and refused jobs).
    /// - Parameter takes: the job's results (``APIServer/resultTakes(of:own:)``), read only when a webhook is due.
    func jobFinished(_ jobID: String, status: JobStatus, error: String?, links: Links, takes: () -> [TakeSummary]) {
        guard let apiJob = try? library.apiJob(jobID), let url = apiJob.webhookURL else { return }
        let event = status == .completed ? "complete" : "failed"
        guard apiJob.webhookEvents.isEmpty || apiJob.webhookEvents.contains(event) else { return }
        let takes = takes()
        let results = takes.sorted { $0.variation < $1.variation }.map { JobView.Result($0, links: links) }
        let payload = Payload(event: event, jobID: jobID, status: status.rawValue, error: error, results: results)
        guard let body = try? JSONCoding.encoder.encode(payload) else { return }
        var secret = localSecret
        if let keyID = apiJob.keyID, let key = try? library.apiKeys(includingRevoked: true).first(where: { $0.id == keyID }) {
            secret = key.webhookSecret
        }
        _ = try? dispatcher.enqueue(jobID: jobID, keyID: apiJob.keyID, url: url, event: event, payload: body, secret: secret)
    }

    /// The library's webhook secret, made on first use.
    static func loadLocalSecret(in directory: URL) throws -> String {
        let file = directory.appendingPathComponent("webhook-secret")
        if let text = try? String(contentsOf: file, encoding: .utf8), text.hasPrefix("whsec_") {
            return text.trimmingCharacters(in: .whitespacesAndNewlines)
        }
        let secret = APIKeySecret.newWebhookSecret()
        let partial = file.path + ".partial"
        guard FileManager.default.createFile(atPath: partial, contents: Data((secret + "\n").utf8), attributes: [.posixPermissions: 0o600]),
              rename(partial, file.path) == 0 else {
            throw ServerStartError("cannot write the webhook secret to \(file.path)")
        }
        return secret
    }
}
