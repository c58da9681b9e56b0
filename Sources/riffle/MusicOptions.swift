import ArgumentParser
import RiffleCore

/// The musical facts a user can state outright instead of in the prompt; they beat the prompt.
struct MusicOptions: ParsableArguments {
    @Option(help: "A genre preset (see `riffle presets`).")
    var genre: String?

    @Option(help: "Tempo in BPM, 30 to 300 (in 6/8 and 12/8, dotted quarters).")
    var tempo: Double?

    @Option(help: "Key, e.g. \"F# minor\", \"Bb\", \"Am\", \"D dorian\".")
    var key: String?

    @Option(name: .customLong("time-signature"), help: "One of \(TimeSignature.supportedList).")
    var timeSignature: String?

    /// Copies the options into `request`; problems come back with the request's field names.
    func apply(to request: inout GenerationRequest) -> [ValidationIssue] {
        var issues: [ValidationIssue] = []
        request.genre = genre
        request.tempo = tempo
        if let key {
            request.key = MusicalKey(key)
            if request.key == nil { issues.append(.init(field: "key", value: "\"\(key)\"", problem: "is not recognised", allowed: "a key, for example \(MusicalKey.examples)")) }
        }
        if let timeSignature {
            request.timeSignature = TimeSignature(timeSignature)
            if request.timeSignature == nil { issues.append(.init(field: "time_signature", value: "\"\(timeSignature)\"", problem: "is not supported", allowed: "one of: \(TimeSignature.supportedList)")) }
        }
        return issues
    }
}
