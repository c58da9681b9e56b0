import Foundation

/// The one rule that turns what a user asked for into the request every front end stores, caches
/// and hands to an engine.
///
/// The command line, the studio and the server all pass their requests through here, so the same
/// prompt and options give the same stored request however they arrived:
/// - the prompt loses surrounding white space;
/// - a genre is checked against the presets and stored under its canonical name ("dnb" → the drum
///   and bass preset's name);
/// - guidance left unset becomes the genre preset's (the genre named, else the one the prompt reads
///   as), else ``GenerationRequest/Defaults/guidanceScale``;
/// - every field is validated, and all problems are reported together.
///
/// The seed is left as given: whether a request names its seed decides whether it may be answered
/// from the cache, so the caller resolves it afterwards.
public struct RequestNormaliser: Sendable {
    public let catalog: PresetCatalog
    private let interpreter: PromptInterpreter

    public init(catalog: PresetCatalog) {
        self.catalog = catalog
        interpreter = PromptInterpreter(catalog: catalog)
    }

    /// `request` in its normal form, or every problem with it.
    public func normalise(_ request: GenerationRequest) throws(RequestValidationError) -> GenerationRequest {
        var normal = request
        normal.prompt = request.prompt.trimmingCharacters(in: .whitespacesAndNewlines)
        try normal.validate(knownGenres: catalog.genreNames)
        if let genre = normal.genre { normal.genre = catalog.genreNames.resolveName(genre) }
        if normal.guidanceScale == nil {
            let genre = interpreter.interpret(normal).genre.value
            normal.guidanceScale = catalog.preset(named: genre)?.guidanceScale ?? GenerationRequest.Defaults.guidanceScale
        }
        return normal
    }
}

extension GenerationRequest {
    /// The request as JSON with sorted keys: the form the library stores and cache keys compare.
    public var canonicalJSON: String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        // Every field is a plain value: encoding cannot fail.
        return (try? encoder.encode(self)).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
    }
}
