import Foundation
import RiffleCore

/// A composed piece: its form, harmony and one part per stem, timed in quarter notes.
///
/// The Composer keeps the score with the take, so that edits (repaint, extend, restyle) work on the
/// music rather than on audio.
public struct Score: Sendable, Hashable, Codable {
    public var key: MusicalKey
    /// Beats per minute as the user counts them (see ``TimeSignature/beatLengthInQuarters``).
    public var bpm: Double
    public var timeSignature: TimeSignature
    /// The genre preset it was arranged for.
    public var genre: String
    /// The take's length in seconds: the last chord rings until then.
    public var duration: Double
    public var sections: [Section]
    /// The harmony, one entry per chord change.
    public var chords: [Chord]
    /// One part per stem, in ``Instrument/Role`` order.
    public var parts: [Part]
    /// The chord progression of each kind of section, which a restyle keeps.
    var progressions: [SectionKind: [ChordSymbol]] = [:]
    /// The melodic idea of each kind of section, which a restyle keeps.
    var motifs: [SectionKind: MelodyWriter.Motif] = [:]

    public struct Section: Sendable, Hashable, Codable {
        public var kind: SectionKind
        public var startBar: Int
        public var bars: Int
        public var endBar: Int { startBar + bars }
    }

    public struct Chord: Sendable, Hashable, Codable {
        /// Quarter notes from the start.
        public var start: Double
        public var length: Double
        public var symbol: ChordSymbol
        /// Pitch classes relative to the key's tonic, root first.
        public var intervals: [Int]
    }

    public struct Part: Sendable, Hashable, Codable {
        public var role: Instrument.Role
        /// General MIDI program; for drums, the kit.
        public var program: Int
        public var notes: [ScoreNote]
        /// What a player does besides the notes (pan, pedal, expression, bends), in time order; the
        /// render and the MIDI file play them alike.
        public var controllers: [ScoreController] = []
        /// How the part's stem is treated after synthesis (EQ, stereo width): what a mixing desk does.
        public var mix = StemMix.neutral

        enum CodingKeys: String, CodingKey { case role, program, notes, controllers, mix }

        /// How much of the part goes to the room, 0 to 1: its first reverb send (CC91), or none.
        var reverbSend: Double {
            controllers.first { $0.kind == .reverbSend }.map { Double($0.clampedValue) / 127 } ?? 0
        }

        /// GM plays drums on channel 10 (9 counting from 0); other parts get a channel each.
        public var channel: Int { role == .drums ? 9 : (Instrument.Role.allCases.firstIndex(of: role) ?? 0) }
    }

    /// Quarter notes per minute, whatever the metre counts as its beat.
    public var quarterNotesPerMinute: Double { bpm * timeSignature.beatLengthInQuarters }
    /// A bar's length in quarter notes.
    public var barLength: Double { timeSignature.barLengthInQuarters }
    /// Seconds per quarter note.
    public var secondsPerQuarter: Double { 60 / quarterNotesPerMinute }
    public var bars: Int { sections.last?.endBar ?? 0 }

    /// Seconds from the start of `quarter`.
    public func seconds(atQuarter quarter: Double) -> Double { quarter * secondsPerQuarter }

    /// The part for `role`.
    public func part(_ role: Instrument.Role) -> Part? { parts.first { $0.role == role } }

    /// The file a MIDI player or DAW opens: tempo, metre and one track per part.
    public func midiFile() -> Data {
        let tracks = parts.map {
            ScoreTrack(name: $0.role.rawValue, channel: $0.channel, program: $0.program, notes: $0.notes, controllers: $0.controllers)
        }
        return StandardMIDIFile.data(tracks: tracks, quarterNotesPerMinute: quarterNotesPerMinute, timeSignature: timeSignature)
    }
}

extension Score.Part {

    /// Scores stored before parts had controllers and a mix decode with none.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        role = try container.decode(Instrument.Role.self, forKey: .role)
        program = try container.decode(Int.self, forKey: .program)
        notes = try container.decode([ScoreNote].self, forKey: .notes)
        controllers = try container.decodeIfPresent([ScoreController].self, forKey: .controllers) ?? []
        mix = try container.decodeIfPresent(StemMix.self, forKey: .mix) ?? .neutral
    }
}

extension TimeSignature {
    /// How many quarter notes the counted beat lasts: a dotted quarter in compound metres (6/8, 12/8
    /// are felt in two and four), a quarter otherwise. A tempo in BPM counts these beats.
    public var beatLengthInQuarters: Double { isCompound ? 1.5 : 1 }

    /// A bar's length in quarter notes: 4 for 4/4, 3 for 6/8, 3.5 for 7/8.
    public var barLengthInQuarters: Double { Double(beatsPerBar) * 4 / Double(beatUnit) }

    /// Sixteenth notes per bar, the Composer's rhythmic grid.
    public var stepsPerBar: Int { beatsPerBar * 16 / beatUnit }

    /// Sixteenths per felt beat: 6 in compound metres, 4 otherwise (7/8 groups its eighths 2+2+3).
    public var stepsPerBeat: Int { isCompound ? 6 : 4 }

    /// The steps where the bar's beats fall, strongest first in the bar's order.
    public var beatSteps: [Int] {
        if beatsPerBar == 7 && beatUnit == 8 { return [0, 4, 8] }
        return Array(stride(from: 0, to: stepsPerBar, by: stepsPerBeat))
    }
}
