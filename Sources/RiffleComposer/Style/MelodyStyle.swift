import RiffleCore

/// How a genre's lead line moves: the `[composer.melody]` table of a preset file.
///
/// Every key is optional; whatever a preset leaves out comes from ``standard``.
public struct MelodyStyle: Sendable, Hashable, Decodable {
    /// What a preset without the table gets.
    public static let standard = MelodyStyle()

    public init() {}

    public init(from decoder: any Decoder) throws {
        self.init()
    }
}
