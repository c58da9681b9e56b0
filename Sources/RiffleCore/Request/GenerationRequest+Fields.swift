extension GenerationRequest.CodingKeys {
    /// What the field holds, in a few words: what a value of the wrong type is told.
    public var expected: String {
        switch self {
        case .prompt: "text"
        case .duration: "a number of seconds"
        case .genre: "a preset name"
        case .tempo: "a number of BPM"
        case .key: "a key, for example \(MusicalKey.examples)"
        case .timeSignature: "one of: \(TimeSignature.supportedList)"
        case .numVariations, .topK: "a whole number"
        case .seed: "a 64-bit integer, or -1 for a random seed"
        case .temperature, .topP, .guidanceScale: "a number"
        case .sampleRate: "a whole number of Hz"
        case .format: "one of: \(AudioFormat.list)"
        case .engine: "an engine name: composer or musicgen"
        case .model: "an installed model's name (riffle models) or a snapshot folder"
        }
    }

    /// What the field holds and the range it must be in: what a value that is not even of the right
    /// form (a number too large for any number type, text that is not text) is told.
    public var allowed: String {
        typealias L = GenerationRequest.Limits
        func range<T: CustomStringConvertible>(_ bounds: ClosedRange<T>) -> String {
            "\(formatted(bounds.lowerBound)) to \(formatted(bounds.upperBound))"
        }
        return switch self {
        case .prompt: "text describing the music, 1 to \(L.promptLength) characters"
        case .duration: "a number of seconds, \(range(L.duration))"
        case .tempo: "a number of BPM, \(range(L.tempo))"
        case .numVariations: "a whole number, \(range(L.numVariations))"
        case .seed: "a whole number, \(range(L.seed)), or -1 for a random seed"
        case .temperature: "a number, \(range(L.temperature))"
        case .topK: "a whole number, \(range(L.topK)); 0 turns it off"
        case .topP: "a number, \(range(L.topP)); 0 turns it off"
        case .guidanceScale: "a number, \(range(L.guidanceScale))"
        case .sampleRate: "one of: " + L.sampleRates.map(String.init).joined(separator: ", ") + " Hz"
        case .genre, .key, .timeSignature, .format, .engine, .model: expected
        }
    }
}
