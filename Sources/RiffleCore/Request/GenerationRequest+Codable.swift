import Foundation

extension CodingUserInfoKey {
    /// Give a decoder ``GenreNames`` under this key and decoding a ``GenerationRequest`` checks its genre too.
    public static let riffleKnownGenres = CodingUserInfoKey(rawValue: "riffle.knownGenres")!
}

extension GenerationRequest: Codable {
    /// The JSON names of the fields, as the common music-generation APIs spell them.
    public enum CodingKeys: String, CodingKey, CaseIterable {
        case prompt, duration, genre, tempo, key
        case timeSignature = "time_signature"
        case numVariations = "num_variations"
        case seed, temperature
        case topK = "top_k"
        case topP = "top_p"
        case guidanceScale = "guidance_scale"
        case sampleRate = "sample_rate"
        case format, engine, model
    }

    /// Decodes leniently: a field of the wrong type, an unknown field and every out-of-range value are
    /// all collected and thrown together as one ``RequestValidationError``.
    public init(from decoder: any Decoder) throws {
        var reader = try LenientReader(decoder)
        typealias D = Defaults
        let prompt = reader.value(.prompt, String.self)
        self.init(
            prompt: prompt ?? "",
            duration: reader.value(.duration, Double.self) ?? D.duration,
            genre: reader.value(.genre, String.self),
            tempo: reader.value(.tempo, Double.self),
            key: reader.parsed(.key, MusicalKey.init),
            timeSignature: reader.parsed(.timeSignature, TimeSignature.init),
            numVariations: reader.value(.numVariations, Int.self) ?? D.numVariations,
            seed: reader.value(.seed, Int64.self).flatMap { $0 == -1 ? nil : $0 },
            temperature: reader.value(.temperature, Double.self) ?? D.temperature,
            topK: reader.value(.topK, Int.self) ?? D.topK,
            topP: reader.value(.topP, Double.self) ?? D.topP,
            guidanceScale: reader.value(.guidanceScale, Double.self),
            sampleRate: reader.value(.sampleRate, Int.self) ?? D.sampleRate,
            format: reader.parsed(.format, AudioFormat.init(name:)) ?? D.format,
            engine: reader.value(.engine, String.self),
            model: reader.value(.model, String.self)
        )
        if prompt == nil, !reader.hasIssue(for: .prompt) {
            reader.issues.append(.init(field: "prompt", value: nil, problem: "is required",
                                       allowed: "text describing the music"))
        }
        // A field that failed to decode was replaced by its default: its range check would only repeat it.
        let knownGenres = decoder.userInfo[.riffleKnownGenres] as? GenreNames
        let rangeIssues = validationIssues(knownGenres: knownGenres).filter { issue in
            !reader.issues.contains { $0.field == issue.field }
        }
        let issues = reader.issues + rangeIssues
        if !issues.isEmpty { throw RequestValidationError(issues: issues) }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(prompt, forKey: .prompt)
        try container.encode(duration, forKey: .duration)
        try container.encodeIfPresent(genre, forKey: .genre)
        try container.encodeIfPresent(tempo, forKey: .tempo)
        try container.encodeIfPresent(key, forKey: .key)
        try container.encodeIfPresent(timeSignature, forKey: .timeSignature)
        try container.encode(numVariations, forKey: .numVariations)
        try container.encode(seed ?? -1, forKey: .seed)
        try container.encode(temperature, forKey: .temperature)
        try container.encode(topK, forKey: .topK)
        try container.encode(topP, forKey: .topP)
        try container.encodeIfPresent(guidanceScale, forKey: .guidanceScale)
        try container.encode(sampleRate, forKey: .sampleRate)
        try container.encode(format, forKey: .format)
        try container.encodeIfPresent(engine, forKey: .engine)
        try container.encodeIfPresent(model, forKey: .model)
    }
}

/// Reads a request's fields one at a time, recording a ``ValidationIssue`` instead of throwing.
private struct LenientReader {
    struct AnyKey: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(_ string: String) { stringValue = string }
        init?(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    typealias Field = GenerationRequest.CodingKeys
    let container: KeyedDecodingContainer<AnyKey>
    /// The values as written, when ``RequestJSON`` read the text (see `riffleRawValues`).
    let rawValues: [String: String]
    var issues: [ValidationIssue] = []

    init(_ decoder: any Decoder) throws {
        container = try decoder.container(keyedBy: AnyKey.self)
        rawValues = decoder.userInfo[.riffleRawValues] as? [String: String] ?? [:]
        let known = Set(Field.allCases.map(\.rawValue))
        for key in container.allKeys where !known.contains(key.stringValue) {
            issues.append(.init(field: key.stringValue, value: nil, problem: "is not a request field",
                                allowed: Field.allCases.map(\.rawValue).joined(separator: ", ")))
        }
    }

    func hasIssue(for field: Field) -> Bool {
        issues.contains { $0.field == field.rawValue }
    }

    /// The field's value; `nil` when absent or null, and an issue when it has the wrong type (or, for
    /// a whole-number field, is a number that is not whole or does not fit).
    mutating func value<T: Decodable>(_ field: Field, _ type: T.Type) -> T? {
        let key = AnyKey(field.rawValue)
        guard container.contains(key), (try? container.decodeNil(forKey: key)) == false else { return nil }
        if let value = try? container.decode(T.self, forKey: key) { return value }
        var problem = "has the wrong type", allowed = field.expected
        if T.self is any FixedWidthInteger.Type, let number = try? container.decode(Double.self, forKey: key) {
            problem = number.isFinite && number == number.rounded() ? "is out of range" : "is not a whole number"
            allowed = field.allowed
        }
        issues.append(.init(field: field.rawValue, value: rawText(key), problem: problem, allowed: allowed))
        return nil
    }

    /// A text field turned into a value by `parse`; an issue when it is not text or does not parse.
    mutating func parsed<T>(_ field: Field, _ parse: (String) -> T?) -> T? {
        guard let text = value(field, String.self) else { return nil }
        if let value = parse(text) { return value }
        issues.append(.init(field: field.rawValue, value: "\"\(text)\"", problem: "is not recognised", allowed: field.expected))
        return nil
    }

    /// The raw JSON value as the user wrote it, for messages.
    private func rawText(_ key: AnyKey) -> String {
        if let raw = rawValues[key.stringValue] { return raw }
        if let text = try? container.decode(String.self, forKey: key) { return "\"\(text)\"" }
        if let flag = try? container.decode(Bool.self, forKey: key) { return String(flag) }
        if let number = try? container.decode(Double.self, forKey: key) { return formatted(number) }
        return "(a list or an object)"
    }
}
