import Foundation

/// What the mixing desk does to one part's stem after synthesis: clean-up filters, stereo width,
/// and the reference curve the take's tone is matched to.
///
/// Every stage is a linear, time-invariant filter applied to the stem alone, and mastering sums the
/// processed stems, so the mix stays exactly the sum of the stems. Written into the score by
/// ``Production`` so a take renders the same way again.
public struct StemMix: Sendable, Hashable, Codable {
    /// No processing at all.
    public static let neutral = StemMix()

    /// A 12 dB/octave high-pass at this many Hz that clears rumble from parts that have no business
    /// there; 0 for none.
    public var highPass: Double = 0
    /// A 12 dB/octave low-pass (a worn, vintage top); 0 for none.
    public var lowPass: Double = 0
    /// 0 (as synthesized) to 1: how much delayed mid goes into the sides, with opposite signs left
    /// and right. The left-right correlation of broadband material drops to about (1 - w²) / (1 + w²);
    /// L + R is untouched, so the part sums to mono exactly as before.
    public var width: Double = 0
    /// The widener's delay in milliseconds: 10-25 ms reads as a second player, not as an echo.
    public var widthDelay: Double = 17
    /// The band shares the whole mix is steered toward (see ``SpectralMatch``): the genre's curve
    /// with the prompt's hints, the same on every part of a take; `nil` leaves the tone as
    /// synthesized (and scores stored before it render as they did).
    public var reference: MixStyle.BandShares?

    public init() {}

    /// Whether the stem comes out as it went in.
    public var isNeutral: Bool {
        highPass <= 0 && lowPass <= 0 && width <= 0 && reference == nil
    }
}

extension StemMix {
    enum CodingKeys: String, CodingKey {
        case highPass, lowPass, width, widthDelay, reference
    }

    /// Every field optional, so a stage added later still reads older scores.
    public init(from decoder: any Decoder) throws {
        self.init()
        let container = try decoder.container(keyedBy: CodingKeys.self)
        highPass = try container.decodeIfPresent(Double.self, forKey: .highPass) ?? highPass
        lowPass = try container.decodeIfPresent(Double.self, forKey: .lowPass) ?? lowPass
        width = try container.decodeIfPresent(Double.self, forKey: .width) ?? width
        widthDelay = try container.decodeIfPresent(Double.self, forKey: .widthDelay) ?? widthDelay
        reference = try container.decodeIfPresent(MixStyle.BandShares.self, forKey: .reference)
    }
}

extension StemMix {
    /// The fixed filters (high-pass, low-pass) of this stem at `sampleRate`.
    func filters(sampleRate: Int) -> [Biquad] {
        var filters: [Biquad] = []
        if highPass > 0 { filters.append(.highPass(highPass, sampleRate: sampleRate)) }
        if lowPass > 0 { filters.append(.lowPass(lowPass, sampleRate: sampleRate)) }
        return filters
    }
}
