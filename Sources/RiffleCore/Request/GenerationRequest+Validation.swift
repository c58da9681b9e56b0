import Foundation

extension GenerationRequest {
    /// Every problem with this request; empty when it is valid.
    ///
    /// - Parameter knownGenres: the presets a `genre` may name; `nil` skips that check (for code that
    ///   validates before the presets are loaded).
    public func validationIssues(knownGenres: GenreNames?) -> [ValidationIssue] {
        var issues: [ValidationIssue] = []
        typealias L = Limits

        let trimmed = prompt.trimmingCharacters(in: .whitespacesAndNewlines)
        if trimmed.isEmpty {
            issues.append(.init(field: "prompt", value: prompt.isEmpty ? nil : "\"\(prompt)\"",
                                problem: "is blank", allowed: "text describing the music, 1 to \(L.promptLength) characters"))
        } else if prompt.count > L.promptLength {
            issues.append(.init(field: "prompt", value: "(\(prompt.count) characters)",
                                problem: "is too long", allowed: "at most \(L.promptLength) characters"))
        }
        check(&issues, "duration", duration, L.duration, unit: "seconds")
        if let genre, let knownGenres, knownGenres.resolveName(genre) == nil {
            issues.append(.init(field: "genre", value: "\"\(genre)\"", problem: "is not a known preset",
                                allowed: "one of: " + knownGenres.names.joined(separator: ", ")))
        }
        if let tempo { check(&issues, "tempo", tempo, L.tempo, unit: "BPM") }
        check(&issues, "num_variations", numVariations, L.numVariations, unit: "takes")
        if let seed, !L.seed.contains(seed) {
            issues.append(.init(field: "seed", value: String(seed), problem: "is out of range",
                                allowed: "0 to \(L.seed.upperBound), or -1 for a random seed"))
        }
        check(&issues, "temperature", temperature, L.temperature)
        check(&issues, "top_k", topK, L.topK, unit: "(0 turns it off)")
        check(&issues, "top_p", topP, L.topP, unit: "(0 turns it off)")
        if let guidanceScale { check(&issues, "guidance_scale", guidanceScale, L.guidanceScale) }
        if !L.sampleRates.contains(sampleRate) {
            issues.append(.init(field: "sample_rate", value: String(sampleRate), problem: "is not supported",
                                allowed: "one of: " + L.sampleRates.map(String.init).joined(separator: ", ") + " Hz"))
        }
        if let engine, engine.isEmpty || engine.count > L.engineNameLength || !engine.allSatisfy({ $0.isASCII && ($0.isLowercase || $0.isNumber || $0 == "-") }) {
            issues.append(.init(field: "engine", value: "\"\(engine.prefix(60))\"", problem: "is not an engine name",
                                allowed: GenerationRequest.CodingKeys.engine.allowed))
        }
        if let model, model.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty || model.count > L.modelLength || model.contains("\0") {
            issues.append(.init(field: "model", value: model.count > 60 ? "(\(model.count) characters)" : "\"\(model)\"", problem: "is not a model name or folder",
                                allowed: GenerationRequest.CodingKeys.model.allowed))
        }
        if engine == "composer", model != nil {
            issues.append(.init(field: "model", value: "\"\(model!.prefix(60))\"", problem: "names a MusicGen model, but the engine is the composer",
                                allowed: "no model with the composer (it uses a SoundFont)"))
        }
        return issues
    }

    /// Throws every problem at once; returns quietly when the request is valid.
    public func validate(knownGenres: GenreNames?) throws(RequestValidationError) {
        let issues = validationIssues(knownGenres: knownGenres)
        if !issues.isEmpty { throw RequestValidationError(issues: issues) }
    }
}

private func check<T: Comparable & CustomStringConvertible>(
    _ issues: inout [ValidationIssue], _ field: String, _ value: T, _ range: ClosedRange<T>, unit: String = ""
) {
    let allowed = "\(formatted(range.lowerBound)) to \(formatted(range.upperBound))" + (unit.isEmpty ? "" : " \(unit)")
    if let number = value as? Double, !number.isFinite {
        issues.append(.init(field: field, value: formatted(value), problem: "is not a finite number", allowed: allowed))
    } else if !range.contains(value) {
        issues.append(.init(field: field, value: formatted(value), problem: "is out of range", allowed: allowed))
    }
}

/// Numbers as a user would write them: 30 rather than 30.0.
func formatted<T: CustomStringConvertible>(_ value: T) -> String {
    if let number = value as? Double, number.isFinite, number == number.rounded(), abs(number) < 1e15 {
        return String(Int64(number))
    }
    return value.description
}
