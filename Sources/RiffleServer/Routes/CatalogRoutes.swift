import Foundation
import Hummingbird
import RiffleApp
import RiffleCore

extension APIServer {
    /// `GET /health`, `/openapi.json`, `/metrics`, `/v1/presets`, `/v1/engines`.
    func addCatalogRoutes(to router: Router<APIRequestContext>) {
        router.get("health") { _, _ in
            try JSONCoding.response(Health(status: "healthy", version: RiffleVersion.current, engines: self.engineList().map(\.name),
                                           activeJobs: self.board.activeCount))
        }
        router.get("openapi.json") { _, _ in
            Response(status: .ok, headers: [.contentType: "application/json"], body: ResponseBody(byteBuffer: ByteBuffer(data: self.document.json)))
        }
        router.get("openapi.yaml") { _, _ in
            Response(status: .ok, headers: [.contentType: "application/yaml"], body: ResponseBody(byteBuffer: ByteBuffer(data: self.document.yaml)))
        }
        router.get("metrics") { _, _ in
            Response(status: .ok, headers: [.contentType: "text/plain; version=0.0.4"],
                     body: ResponseBody(byteBuffer: ByteBuffer(bytes: self.metrics.exposition(library: self.service.library, board: self.board))))
        }
        router.get("v1/presets") { _, _ in
            try JSONCoding.response(PresetList(data: self.catalog.presets.map(PresetView.init)))
        }
        router.get("v1/engines") { _, _ in
            try JSONCoding.response(EngineList(data: self.engineList()))
        }
    }
}

/// Riffle's version, as `/health` reports it.
public enum RiffleVersion {
    public static let current = "0.13.0"
}

private struct Health: Encodable {
    var status: String
    var version: String
    var engines: [String]
    var activeJobs: Int

    enum CodingKeys: String, CodingKey {
        case status, version, engines
        case activeJobs = "active_jobs"
    }
}

private struct PresetList: Encodable {
    var data: [PresetView]
}

private struct EngineList: Encodable {
    var data: [EngineDescription]
}

/// A genre preset as `GET /v1/presets` lists it.
private struct PresetView: Encodable {
    var name: String
    var title: String
    var aliases: [String]
    var description: String
    var tempo: GenrePreset.TempoRange
    var timeSignatures: [String]
    var guidanceScale: Double

    init(_ preset: GenrePreset) {
        name = preset.name
        title = preset.title
        aliases = preset.aliases
        description = preset.description
        tempo = preset.tempo
        timeSignatures = preset.timeSignatures.map(\.description)
        guidanceScale = preset.guidanceScale
    }

    enum CodingKeys: String, CodingKey {
        case name, title, aliases, description, tempo
        case timeSignatures = "time_signatures"
        case guidanceScale = "guidance_scale"
    }
}
