import Foundation
import RiffleCore
import TOMLKit

/// How the Composer arranges a genre: the `[composer]` table of a preset file.
///
/// Every key is optional; a user preset without the table, or with part of it, gets ``standard``'s
/// value for whatever it leaves out. Presets/README.md documents the keys.
public struct ComposerStyle: Sendable, Hashable {
    /// Chord loops as Roman numerals over the key's scale ("I V vi IV"), the genre's usual harmony.
    public var loops: [ChordLoop]
    /// Loops for minor-like modes (minor, dorian, phrygian, locrian); ``loops`` when empty.
    public var minorLoops: [ChordLoop]
    /// Chords per bar: 0.5 (one every two bars), 1 or 2.
    public var chordsPerBar: Double
    /// The chance of a seventh on a chord whose numeral does not say.
    public var sevenths: Double
    /// How late the off-beat subdivisions fall: 0 straight, 0.33 a triplet swing, up to 0.6.
    public var swing: Double
    /// How busy the melody is, 0 (long notes) to 1 (a note on most steps).
    public var density: Double
    /// The sections of a full-length piece, in order; shorter takes drop from the middle.
    public var form: [SectionKind]
    /// The bass patterns the genre plays, likeliest first; each take draws one.
    public var bassPatterns: [BassPattern]
    /// The comping patterns, likeliest first; each take draws one.
    public var harmonyPatterns: [HarmonyPattern]
    /// The likeliest bass pattern.
    public var bass: BassPattern {
        get { bassPatterns[0] }
        set { bassPatterns = [newValue] }
    }
    /// The likeliest comping pattern.
    public var harmony: HarmonyPattern {
        get { harmonyPatterns[0] }
        set { harmonyPatterns = [newValue] }
    }
    public var texture: TexturePattern
    /// General MIDI programs per part, likeliest first.
    public var instruments: [Instrument.Role: [Int]]
    /// The GM drum kit (bank 128 program): 0 standard, 8 room, 16 power, 24 electronic, 25 TR-808,
    /// 32 jazz, 40 brush, 48 orchestral.
    public var drumKit: Int
    /// Drum patterns for one bar; a pattern whose length does not fit the metre is not used.
    public var grooves: [Groove]
    /// How loose the playing is: 0 is machine-tight, 1 is a relaxed human.
    public var humanize: Double
    /// Whether the grooves play only when the prompt asks for drums (classical, ambient): genres
    /// that usually have none still have a groove ready for "with drums".
    public var drumsOnRequest = false
    /// How the lead line moves: the `[composer.melody]` table.
    public var melody: MelodyStyle = .standard
    /// How the mix sounds: the `[composer.mix]` table.
    public var mix: MixStyle = .standard

    public enum BassPattern: String, Sendable, Hashable, Codable, CaseIterable {
        case root, rootFifth = "root-fifth", walking, octave, kick, reggae, sustained
        /// Root-led off-beat figure (funk, pop): pushes and anticipations around the beat.
        case syncopated
        /// Root on the beat, octave on the off-beat, short and bouncing (disco).
        case octavePump = "octave-pump"
        /// The Afro-Cuban tumbao: the "and" of two and beat four, anticipating the next chord.
        case tumbao
        /// Bossa nova: root and fifth in dotted-quarter-and-eighth pairs.
        case bossa
        /// Long sub notes on the kick, held to the next (trap's 808).
        case eightOhEight = "808"
    }

    public enum HarmonyPattern: String, Sendable, Hashable, Codable, CaseIterable {
        case block, comp, arpeggio, strum, power, skank
        /// The salsa piano montuno: broken octaves and chord tones in a syncopated two-bar figure.
        case montuno
        /// Short chord stabs on syncopated sixteenths (funk, house).
        case stab
        /// A chord on every off-beat (house, disco organ and piano).
        case offbeat
    }

    public enum TexturePattern: String, Sendable, Hashable, Codable, CaseIterable {
        case pad, arpeggio, none
    }

    /// What a preset without a `[composer]` table sounds like: plain pop-rock.
    public static let standard = ComposerStyle(
        loops: ["I V vi IV", "I IV V IV", "vi IV I V", "I vi IV V"].compactMap(ChordLoop.init),
        minorLoops: ["i VI III VII", "i iv VI V", "i VII VI VII"].compactMap(ChordLoop.init),
        chordsPerBar: 1, sevenths: 0.1, swing: 0, density: 0.5,
        form: [.intro, .verse, .chorus, .verse, .chorus, .bridge, .chorus, .outro],
        bass: .rootFifth, harmony: .block, texture: .pad,
        instruments: [.bass: [33], .harmony: [0], .melody: [73], .texture: [48]],
        drumKit: 0,
        grooves: [Groove(kick: "x.......x.x.....", snare: "....x.......x...", hat: "x.x.x.x.x.x.x.x.")],
        humanize: 0.5)

    public init(loops: [ChordLoop], minorLoops: [ChordLoop], chordsPerBar: Double, sevenths: Double, swing: Double,
                density: Double, form: [SectionKind], bass: BassPattern, harmony: HarmonyPattern,
                texture: TexturePattern, instruments: [Instrument.Role: [Int]], drumKit: Int, grooves: [Groove],
                humanize: Double) {
        self.loops = loops
        self.minorLoops = minorLoops
        self.chordsPerBar = chordsPerBar
        self.sevenths = sevenths
        self.swing = swing
        self.density = density
        self.form = form
        self.bassPatterns = [bass]
        self.harmonyPatterns = [harmony]
        self.texture = texture
        self.instruments = instruments
        self.drumKit = drumKit
        self.grooves = grooves
        self.humanize = humanize
    }

    /// The loops for `mode`.
    public func loops(for mode: MusicalKey.Mode) -> [ChordLoop] {
        let minorLike: Set<MusicalKey.Mode> = [.minor, .dorian, .phrygian, .locrian]
        return minorLike.contains(mode) && !minorLoops.isEmpty ? minorLoops : loops
    }

    /// Bars in a main section: 8, or the loops' length when every loop is longer (twelve-bar blues).
    public func phraseBars(for mode: MusicalKey.Mode) -> Int {
        let lengths = loops(for: mode).map { Int((Double($0.chords.count) / chordsPerBar).rounded(.up)) }
        return max(8, lengths.min() ?? 8)
    }

    /// The grooves that fit a bar of `steps` sixteenths: every lane a whole number of such bars.
    public func grooves(fitting steps: Int) -> [Groove] {
        grooves.filter { groove in groove.lanes.allSatisfy { $0.pattern.count % steps == 0 } }
    }

    /// The grooves that can play in `metre` (see ``Groove/fits(_:)``).
    public func grooves(fitting metre: TimeSignature) -> [Groove] {
        grooves.filter { $0.fits(metre) }
    }
}

// MARK: Reading the preset file

extension ComposerStyle {
    /// The style in `preset`'s file, or ``standard`` when it has none.
    /// - Throws: a message naming the file and the field when the table is there but wrong.
    public static func load(for preset: GenrePreset) throws -> ComposerStyle {
        guard let file = preset.sourceFile else { return .standard }
        let text = try String(contentsOf: file, encoding: .utf8)
        do {
            return try TOMLDecoder().decode(PresetFile.self, from: text).composer ?? .standard
        } catch {
            throw StyleError(message: "\(file.path): \(readableDecodingError(error))")
        }
    }

    struct StyleError: Error, CustomStringConvertible {
        let message: String
        var description: String { message }
    }

    private struct PresetFile: Decodable {
        var composer: ComposerStyle?
    }
}

extension ComposerStyle: Decodable {
    enum CodingKeys: String, CodingKey {
        case loops, form, bass, harmony, texture, instruments, grooves, swing, density, sevenths, humanize, melody, mix
        case drumsOnRequest = "drums_on_request"
        case minorLoops = "minor_loops"
        case chordsPerBar = "chords_per_bar"
        case drumKit = "drum_kit"
    }

    private struct Programs: Decodable {
        var bass: [Int]?
        var harmony: [Int]?
        var melody: [Int]?
        var texture: [Int]?
    }

    public init(from decoder: any Decoder) throws {
        let standard = ComposerStyle.standard
        let container = try decoder.container(keyedBy: CodingKeys.self)
        func number(_ key: CodingKeys, _ fallback: Double, in range: ClosedRange<Double>) throws -> Double {
            try container.decodeNumber(forKey: key, in: range, default: fallback)
        }
        func loops(_ key: CodingKeys) throws -> [ChordLoop]? {
            guard let texts = try container.decodeIfPresent([String].self, forKey: key) else { return nil }
            return try texts.map { text in
                guard let loop = ChordLoop(text) else {
                    throw DecodingError.dataCorruptedError(forKey: key, in: container,
                        debugDescription: "\"\(text)\" is not a row of Roman numerals such as \"I V vi IV\"")
                }
                return loop
            }
        }
        self.loops = try loops(.loops) ?? standard.loops
        self.minorLoops = try loops(.minorLoops) ?? (container.contains(.loops) ? [] : standard.minorLoops)
        self.chordsPerBar = try number(.chordsPerBar, standard.chordsPerBar, in: 0.5...2)
        self.sevenths = try number(.sevenths, standard.sevenths, in: 0...1)
        self.swing = try number(.swing, standard.swing, in: 0...0.6)
        self.density = try number(.density, standard.density, in: 0...1)
        self.humanize = try number(.humanize, standard.humanize, in: 0...1)
        self.drumKit = Int(try number(.drumKit, Double(standard.drumKit), in: 0...127))
        self.form = try container.decodeIfPresent([SectionKind].self, forKey: .form) ?? standard.form
        // One pattern name or a list of them, likeliest first.
        func patterns<T: Decodable>(_ key: CodingKeys, _ fallback: [T]) throws -> [T] {
            guard container.contains(key) else { return fallback }
            if (try? container.decode(String.self, forKey: key)) != nil { return [try container.decode(T.self, forKey: key)] }
            let list = try container.decode([T].self, forKey: key)
            guard !list.isEmpty else {
                throw DecodingError.dataCorruptedError(forKey: key, in: container, debugDescription: "list at least one pattern")
            }
            return list
        }
        self.bassPatterns = try patterns(.bass, standard.bassPatterns)
        self.harmonyPatterns = try patterns(.harmony, standard.harmonyPatterns)
        self.texture = try container.decodeIfPresent(TexturePattern.self, forKey: .texture) ?? standard.texture
        let programs = try container.decodeIfPresent(Programs.self, forKey: .instruments)
        var instruments = standard.instruments
        for (role, list) in [(Instrument.Role.bass, programs?.bass), (.harmony, programs?.harmony),
                             (.melody, programs?.melody), (.texture, programs?.texture)] {
            guard let list, !list.isEmpty else { continue }
            guard list.allSatisfy({ (0...127).contains($0) }) else {
                throw DecodingError.dataCorruptedError(forKey: .instruments, in: container,
                    debugDescription: "\(role.rawValue): GM programs run from 0 to 127")
            }
            instruments[role] = list
        }
        self.instruments = instruments
        self.grooves = try container.decodeIfPresent([Groove].self, forKey: .grooves) ?? standard.grooves
        self.drumsOnRequest = try container.decodeIfPresent(Bool.self, forKey: .drumsOnRequest) ?? false
        self.melody = try container.decodeIfPresent(MelodyStyle.self, forKey: .melody) ?? standard.melody
        self.mix = try container.decodeIfPresent(MixStyle.self, forKey: .mix) ?? standard.mix
        if form.isEmpty {
            throw DecodingError.dataCorruptedError(forKey: .form, in: container, debugDescription: "list at least one section")
        }
    }
}
