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
        // The job's events and a heartbeat, in one stream for the writer.
        let (merged, feed) = AsyncStream<StreamItem>.makeStream(bufferingPolicy: .bufferingNewest(64))
        let forward = Task {
            for await event in events { feed.yield(.event(event)) }
            feed.finish()
        }
        let heartbeat = Task {
            while !Task.isCancelled {
                try? await Task.sleep(for: .seconds(15))
                feed.yield(.heartbeat)
            }
        }
        let body = ResponseBody { writer in
            defer {
                stop()
                forward.cancel()
                heartbeat.cancel()
            }
            guard let job = try self.service.library.job(jobID) else { return try await writer.finish(nil) }
            try await writer.write(try Self.event("status", try self.view(of: job, links: links)))
            if job.status.isFinished, self.board.progress(of: jobID) == nil { return try await writer.finish(nil) }
            try await withGracefulShutdownHandler {
                for await item in merged {
                    switch item {
                    case .heartbeat:
                        try await writer.write(ByteBuffer(string: ": keep-alive\n\n"))
                    case .event(.progress(let progress)):
                        try await writer.write(try Self.event("progress", ProgressEvent(jobID: jobID, progress)))
                    case .event(.status):
                        if let now = try self.service.library.job(jobID) {
                            try await writer.write(try Self.event("status", try self.view(of: now, links: links)))
                        }
                    case .event(.takeStored(let takeID)):
                        try await writer.write(try Self.event("take", TakeEvent(jobID: jobID, trackID: takeID, url: links.track(takeID))))
                    case .event(.removed(let reason)):
                        try await writer.write(try Self.event("removed", RemovedEvent(jobID: jobID, reason: reason)))
                    }
                }
            } onGracefulShutdown: {
                stop()
            }
            try await writer.finish(nil)
        }
        return Response(status: .ok, headers: [.contentType: "text/event-stream", .cacheControl: "no-cache"], body: body)
    }

    /// One Server-Sent Event: its name and its data as one line of JSON.
    static func event(_ name: String, _ value: some Encodable) throws -> ByteBuffer {
        let data = try JSONCoding.encoder.encode(value)
        return ByteBuffer(string: "event: \(name)\ndata: \(String(decoding: data, as: UTF8.self))\n\n")
    }
}

private enum StreamItem: Sendable {
    case event(JobBoard.Event)
    case heartbeat
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
