import RiffleCore

/// How a genre's mix sounds: the `[composer.mix]` table of a preset file.
///
/// Every key is optional; whatever a preset leaves out comes from ``standard``. ``Production`` turns
/// it (with the prompt's ``SoundHints``) into pan, reverb sends and bends in the score, and a
/// clean-up filter, a width and a reference curve per stem.
///
/// Where the reference curves (``target``) come from: general knowledge of mixing practice (a
/// kick-and-bass-led genre puts more of its energy below 60 Hz; acoustic genres less; cymbals,
/// breath and room put a few per cent above 8 kHz in modern productions and less in older or
/// darker ones), set by hand, then checked against what this engine's General MIDI renders can
/// reach. Published long-term average spectra of commercial recordings exist (studies of popular
/// music's LTAS), but their numbers were not available to check here, so the curves are not taken
/// from them and are no measurement of real records.
public struct MixStyle: Sendable, Hashable, Decodable {
    /// What a preset without the table gets: a plain pop-rock mix.
    public static let standard = MixStyle()

    /// Stereo position per part, -1 (left) to 1 (right).
    public var pan: [Instrument.Role: Double] = [.drums: 0, .bass: 0, .harmony: -0.35, .melody: 0.15, .texture: 0.2]
    /// How much the widener spreads each part, 0 (as synthesized) to 1 (see ``StemMix/width``).
    public var width: [Instrument.Role: Double] = [.drums: 0.2, .bass: 0, .harmony: 0.45, .melody: 0.15, .texture: 0.6]
    /// The room reverb's send on the lead and the texture (the parts that have a room), 0 to 1.
    public var reverb = 0.32
    /// High-pass corner in Hz on harmony, melody and texture: their lows only muddy the bass.
    public var lowCut = 90.0
    /// 0 (clean) to 1 (worn): rolls off both ends and narrows the image. The prompt's "vinyl" or
    /// "lo-fi" adds to it.
    public var vintage = 0.0
    /// The chance, 0 to 1, that a bass note slides into the next one (an 808 glide).
    public var glide = 0.0
    /// The chance, 0 to 1, that a long lead note is bent into (guitar) or scooped (sax, strings, brass).
    public var bends = 0.0
    /// How deep the pads' and strings' phrase swells are (expression), 0 (flat) to 1.
    public var swell = 0.3
    /// The genre's reference spectrum: shares of the mix's energy in five bands (normalised to sum
    /// to 1). The rendered take is EQ'd toward it (``SpectralMatch``).
    public var target = BandShares(sub: 0.06, low: 0.36, lowMid: 0.38, highMid: 0.16, air: 0.025)

    /// Shares of energy in the bands a mix engineer talks about.
    public struct BandShares: Sendable, Hashable, Codable {
        /// Below 60 Hz.
        public var sub: Double
        /// 60-250 Hz.
        public var low: Double
        /// 250 Hz-2 kHz.
        public var lowMid: Double
        /// 2-8 kHz.
        public var highMid: Double
        /// Above 8 kHz.
        public var air: Double

        public init(sub: Double, low: Double, lowMid: Double, highMid: Double, air: Double) {
            (self.sub, self.low, self.lowMid, self.highMid, self.air) = (sub, low, lowMid, highMid, air)
        }

        /// The band edges in Hz, between sub | low | low-mid | high-mid | air.
        public static let edges: [Double] = [60, 250, 2000, 8000]

        enum CodingKeys: String, CodingKey {
            case sub, low, air
            case lowMid = "low_mid"
            case highMid = "high_mid"
        }

        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            func share(_ key: CodingKeys) throws -> Double {
                let value = try container.decodeNumber(forKey: key)
                guard (0...1).contains(value) else {
                    throw DecodingError.dataCorruptedError(forKey: key, in: container, debugDescription: "a share runs from 0 to 1")
                }
                return value
            }
            self.init(sub: try share(.sub), low: try share(.low), lowMid: try share(.lowMid), highMid: try share(.highMid), air: try share(.air))
        }
    }

    public init() {}
}

extension MixStyle {
    enum CodingKeys: String, CodingKey {
        case pan, width, reverb, vintage, glide, bends, swell, target
        case lowCut = "low_cut"
    }

    /// A value per part; a part left out keeps the standard's.
    private struct PerRole: Decodable {
        var drums: Double?
        var bass: Double?
        var harmony: Double?
        var melody: Double?
        var texture: Double?

        enum CodingKeys: String, CodingKey { case drums, bass, harmony, melody, texture }

        /// Whole numbers too (`harmony = 0`): TOML keeps integers and floats apart.
        init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            func value(_ key: CodingKeys) throws -> Double? { container.contains(key) ? try container.decodeNumber(forKey: key) : nil }
            (drums, bass, harmony, melody, texture) = (try value(.drums), try value(.bass), try value(.harmony), try value(.melody), try value(.texture))
        }

        func merged(into values: [Instrument.Role: Double], range: ClosedRange<Double>) -> [Instrument.Role: Double]? {
            var values = values
            for (role, value) in [(Instrument.Role.drums, drums), (.bass, bass), (.harmony, harmony), (.melody, melody), (.texture, texture)] {
                guard let value else { continue }
                guard range.contains(value) else { return nil }
                values[role] = value
            }
            return values
        }
    }

    public init(from decoder: any Decoder) throws {
        self.init()
        let container = try decoder.container(keyedBy: CodingKeys.self)
        func number(_ key: CodingKeys, _ fallback: Double, in range: ClosedRange<Double>) throws -> Double {
            try container.decodeNumber(forKey: key, in: range, default: fallback)
        }
        func perRole(_ key: CodingKeys, _ fallback: [Instrument.Role: Double], in range: ClosedRange<Double>) throws -> [Instrument.Role: Double] {
            guard let table = try container.decodeIfPresent(PerRole.self, forKey: key) else { return fallback }
            guard let merged = table.merged(into: fallback, range: range) else {
                throw DecodingError.dataCorruptedError(forKey: key, in: container,
                    debugDescription: "values run from \(range.lowerBound) to \(range.upperBound)")
            }
            return merged
        }
        pan = try perRole(.pan, pan, in: -1...1)
        width = try perRole(.width, width, in: 0...1)
        reverb = try number(.reverb, reverb, in: 0...1)
        lowCut = try number(.lowCut, lowCut, in: 0...500)
        vintage = try number(.vintage, vintage, in: 0...1)
        glide = try number(.glide, glide, in: 0...1)
        bends = try number(.bends, bends, in: 0...1)
        swell = try number(.swell, swell, in: 0...1)
        target = try container.decodeIfPresent(BandShares.self, forKey: .target) ?? target
    }
}
