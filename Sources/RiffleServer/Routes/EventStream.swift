import Foundation
import HTTPTypes
import Hummingbird
import RiffleApp
import RiffleCore
import ServiceLifecycle

extension APIServer {
    /// A job's Server-Sent Events: `status` with the job as `GET /v1/jobs/{id}` shows it, first and at
    /// every change of status; `progress` (fraction, stage, ETA) a few times a second while it runs;
    /// `take` when a take is stored; then the stream ends with the job. A comment every 15 s keeps
    /// proxies from closing a quiet stream.
    func eventStream(of jobID: String, links: Links) -> Response {
        // Listening starts before the first snapshot, so nothing between the two is missed.
        let (events, stop) = board.listen(to: jobID)
        let body = ResponseBody { writer in
            defer { stop() }
            func send(_ event: String, _ json: some Encodable) async throws {
                let data = try JSONCoding.encoder.encode(json)
                try await writer.write(ByteBuffer(string: "event: \(event)\ndata: \(String(decoding: data, as: UTF8.self))\n\n"))
            }
            guard let job = try self.service.library.job(jobID) else { return try await writer.finish(nil) }
            try await send("status", try self.view(of: job, links: links))
            if job.status.isFinished, self.board.progress(of: jobID) == nil { return try await writer.finish(nil) }
            let heartbeat = Task {
                while !Task.isCancelled {
                    try await Task.sleep(for: .seconds(15))
                    stopIfClosed: do { try await writer.write(ByteBuffer(string: ": keep-alive\n\n")) } catch { break stopIfClosed }
                }
            }
            defer { heartbeat.cancel() }
            try await withGracefulShutdownHandler {
                for await event in events {
                    switch event {
                    case .progress(let progress):
                        try await send("progress", ProgressEvent(jobID: jobID, progress))
                    case .status:
                        if let now = try self.service.library.job(jobID) { try await send("status", try self.view(of: now, links: links)) }
                    case .takeStored(let takeID):
                        try await send("take", TakeEvent(jobID: jobID, trackID: takeID, url: links.track(takeID)))
                    case .removed(let reason):
                        try await send("removed", RemovedEvent(jobID: jobID, reason: reason))
                    }
                }
            } onGracefulShutdown: {
                stop()
            }
            try await writer.finish(nil)
        }
        return Response(status: .ok, headers: [.contentType: "text/event-stream", .cacheControl: "no-cache"], body: body)
    }
}

private struct ProgressEvent: Encodable {
    var jobID: String
    var status: String
    var progress: Double
    var stage: String
    var etaSeconds: Double?

    init(jobID: String, _ progress: JobBoard.Progress) {
        self.jobID = jobID
        status = progress.status.rawValue
        self.progress = progress.fraction
        stage = progress.stage
        etaSeconds = progress.secondsLeft
    }

    enum CodingKeys: String, CodingKey {
        case status, progress, stage
        case jobID = "job_id"
        case etaSeconds = "eta_seconds"
    }
}

private struct TakeEvent: Encodable {
    var jobID: String
    var trackID: String
    var url: String

    enum CodingKeys: String, CodingKey {
        case url
        case jobID = "job_id"
        case trackID = "track_id"
    }
}

private struct RemovedEvent: Encodable {
    var jobID: String
    var reason: String

    enum CodingKeys: String, CodingKey {
        case reason
        case jobID = "job_id"
    }
}
