import RiffleCore

/// How a genre's mix sounds: the `[composer.mix]` table of a preset file.
///
/// Every key is optional; whatever a preset leaves out comes from ``standard``.
public struct MixStyle: Sendable, Hashable, Decodable {
    /// What a preset without the table gets.
    public static let standard = MixStyle()

    public init() {}

    public init(from decoder: any Decoder) throws {
        self.init()
    }
}
