import Foundation
import RiffleCore
import RiffleEngine

/// What makes two generations the same: the normalised request with its seed, the engine's name and
/// version, the SoundFont or model it renders with, and the files asked for. Change any one and the
/// library's takes no longer answer the request.
public struct CacheKey: Codable, Sendable, Hashable {
    public var request: GenerationRequest
    public var engine: EngineIdentity
    public var model: String
    public var outputs: TakeOutputs

    public init(request: GenerationRequest, engine: EngineIdentity, model: String, outputs: TakeOutputs) {
        self.request = request
        self.engine = engine
        self.model = model
        self.outputs = outputs
    }

    /// The key as the library stores and compares it: JSON with sorted keys.
    public var text: String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return (try? encoder.encode(self)).map { String(decoding: $0, as: UTF8.self) } ?? ""
    }
}
