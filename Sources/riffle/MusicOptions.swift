import ArgumentParser
import RiffleCore

/// The musical facts a user can state outright instead of in the prompt; they beat the prompt.
struct MusicOptions: ParsableArguments {
    @Option(help: "A genre preset (see `riffle presets`).")
    var genre: String?

    @Option(parsing: .unconditional, help: "Tempo in BPM, 30 to 300 (in 6/8 and 12/8, dotted quarters).")
    var tempo: String?

    @Option(help: "Key, e.g. \"F# minor\", \"Bb\", \"Am\", \"D dorian\".")
    var key: String?

    @Option(name: .customLong("time-signature"), help: "One of \(TimeSignature.supportedList).")
    var timeSignature: String?

    /// Copies the options into `request`; values that do not parse go to `reader` under the
    /// request's field names.
    func apply(to request: inout GenerationRequest, reader: inout OptionReader) {
        request.genre = genre
        request.tempo = tempo.flatMap { reader.number($0, .tempo) }
        if let key {
            request.key = MusicalKey(key)
            if request.key == nil { reader.add("key", key, "is not recognised", allowed: "a key, for example \(MusicalKey.examples)") }
        }
        if let timeSignature {
            request.timeSignature = TimeSignature(timeSignature)
            if request.timeSignature == nil { reader.add("time_signature", timeSignature, "is not supported", allowed: "one of: \(TimeSignature.supportedList)") }
        }
    }
}
