import Hummingbird

/// Absolute URLs of the server's resources, as the client reached it (its Host header), so a client can
/// follow them as they are.
struct Links: Sendable {
    let base: String

    init(base: String) {
        self.base = base
    }

    init(request: Request, fallbackHost: String) {
        let host = request.head.authority ?? fallbackHost
        base = "http://" + host
    }

    func job(_ id: String) -> String { "\(base)/v1/jobs/\(id)" }
    func track(_ id: String) -> String { "\(base)/v1/music/\(id)" }
    func audio(_ id: String, format: String? = nil) -> String {
        "\(base)/v1/music/\(id)/audio" + (format.map { "?format=\($0)" } ?? "")
    }
    func download(_ id: String, format: String) -> String { "\(base)/v1/music/\(id)/audio?format=\(format)&download=true" }
    func waveform(_ id: String) -> String { "\(base)/v1/music/\(id)/waveform" }
    func midi(_ id: String) -> String { "\(base)/v1/music/\(id)/midi" }
    func stem(_ id: String, _ name: String) -> String { "\(base)/v1/music/\(id)/stems/\(name)" }
}
