import Foundation
import RiffleCore

/// A note in a score, timed in quarter notes from the start.
public struct ScoreNote: Sendable, Hashable, Codable {
    /// Onset in quarter notes from the start of the take.
    public var start: Double
    /// Length in quarter notes.
    public var length: Double
    /// MIDI note number, 0-127 (60 is middle C).
    public var pitch: Int
    /// MIDI velocity, 1-127.
    public var velocity: Int

    public init(start: Double, length: Double, pitch: Int, velocity: Int) {
        self.start = start
        self.length = length
        self.pitch = pitch
        self.velocity = velocity
    }
}

/// A controller change in a score, timed in quarter notes from the start: what a player does
/// besides striking notes.
public struct ScoreController: Sendable, Hashable, Codable {
    public enum Kind: String, Sendable, Hashable, Codable {
        /// CC10, 0 (hard left) to 127 (hard right), 64 centre.
        case pan
        /// CC11, 0-127: a swell within the part's level.
        case expression
        /// CC64, 0-63 up, 64-127 down.
        case sustain
        /// CC91, 0-127: how much of the part goes to the room reverb.
        case reverbSend
        /// The pitch wheel, -8192 to 8191 (0 is no bend), scaled by ``bendRange``.
        case pitchBend
        /// How many semitones a full pitch-wheel throw bends (RPN 0; GM's default is 2).
        case bendRange
    }

    /// Quarter notes from the start of the take.
    public var time: Double
    public var kind: Kind
    public var value: Int

    public init(time: Double, kind: Kind, value: Int) {
        self.time = time
        self.kind = kind
        self.value = value
    }

    /// The value clamped to what the kind allows.
    public var clampedValue: Int {
        switch kind {
        case .pitchBend: min(max(value, -8192), 8191)
        case .bendRange: min(max(value, 0), 24)
        default: min(max(value, 0), 127)
        }
    }
}

/// One stem's part: the instrument and its notes.
public struct ScoreTrack: Sendable, Hashable, Codable {
    public var name: String
    /// MIDI channel 0-15; General MIDI plays channel 9 as drums.
    public var channel: Int
    /// General MIDI program, 0-127 (ignored on the drum channel).
    public var program: Int
    public var notes: [ScoreNote]
    public var controllers: [ScoreController]

    public init(name: String, channel: Int, program: Int, notes: [ScoreNote], controllers: [ScoreController] = []) {
        self.name = name
        self.channel = channel
        self.program = program
        self.notes = notes
        self.controllers = controllers
    }
}

/// Writes a Standard MIDI File, type 1: a conductor track with tempo and time signature, then one
/// track per stem with its name, program, controllers (pan, expression, sustain, reverb send, pitch
/// bend and its range as RPN 0) and notes.
///
/// Hand-written because it is small and exact: no Debian library writes SMF without a sequencer
/// attached, and the format is a fixed byte layout.
public enum StandardMIDIFile {
    /// Ticks per quarter note: fine enough for humanised timing (1 tick is about 1 ms at 120 BPM).
    public static let ticksPerQuarter = 480

    /// The file's bytes.
    /// - Parameter quarterNotesPerMinute: the tempo in quarter notes, however the metre counts its beat.
    public static func data(tracks: [ScoreTrack], quarterNotesPerMinute: Double, timeSignature: TimeSignature) -> Data {
        var file = Data()
        file.append(contentsOf: Array("MThd".utf8))
        file.append(contentsOf: bigEndian(UInt32(6)))
        file.append(contentsOf: bigEndian(UInt16(1)))
        file.append(contentsOf: bigEndian(UInt16(tracks.count + 1)))
        file.append(contentsOf: bigEndian(UInt16(ticksPerQuarter)))
        file.append(chunk(conductor(quarterNotesPerMinute: quarterNotesPerMinute, timeSignature: timeSignature)))
        for track in tracks { file.append(chunk(events(of: track))) }
        return file
    }

    private static func conductor(quarterNotesPerMinute: Double, timeSignature: TimeSignature) -> [UInt8] {
        let microsecondsPerQuarter = UInt32((60_000_000 / quarterNotesPerMinute).rounded())
        let tempo = bigEndian(microsecondsPerQuarter)
        let denominatorPower = UInt8(timeSignature.beatUnit.trailingZeroBitCount)
        // Metronome: a click per beat (24 MIDI clocks per quarter), or per dotted quarter in compound metres.
        let clocksPerClick: UInt8 = timeSignature.isCompound ? 36 : UInt8(24 * 4 / timeSignature.beatUnit)
        var bytes: [UInt8] = []
        bytes += [0x00, 0xFF, 0x03] + lengthPrefixed(Array("Riffle".utf8))
        bytes += [0x00, 0xFF, 0x51, 0x03, tempo[1], tempo[2], tempo[3]]
        bytes += [0x00, 0xFF, 0x58, 0x04, UInt8(timeSignature.beatsPerBar), denominatorPower, clocksPerClick, 8]
        bytes += [0x00, 0xFF, 0x2F, 0x00]
        return bytes
    }

    private static func events(of track: ScoreTrack) -> [UInt8] {
        let channel = UInt8(track.channel & 0x0F)
        // Order at one tick: controllers first (a bend or pedal meant for a note is set before it
        // strikes), then note-offs (a repeated note is released before it strikes again), then note-ons.
        struct Event { var tick: Int; var order: Int; var sequence: Int; var bytes: [UInt8] }
        var timed: [Event] = []
        func tick(_ quarters: Double) -> Int { max(Int((quarters * Double(ticksPerQuarter)).rounded()), 0) }
        for (index, controller) in track.controllers.enumerated() {
            timed.append(Event(tick: tick(controller.time), order: 0, sequence: index, bytes: controllerBytes(controller, channel: channel)))
        }
        for note in track.notes {
            let start = tick(note.start)
            let end = max(tick(note.start + note.length), start + 1)
            let pitch = UInt8(min(max(note.pitch, 0), 127))
            timed.append(Event(tick: start, order: 2, sequence: Int(pitch), bytes: [0x90 | channel, pitch, UInt8(min(max(note.velocity, 1), 127))]))
            timed.append(Event(tick: end, order: 1, sequence: Int(pitch), bytes: [0x80 | channel, pitch, 0]))
        }
        timed.sort { ($0.tick, $0.order, $0.sequence) < ($1.tick, $1.order, $1.sequence) }

        var bytes: [UInt8] = [0x00, 0xFF, 0x03] + lengthPrefixed(Array(track.name.utf8))
        if track.channel != 9 { bytes += [0x00, 0xC0 | channel, UInt8(min(max(track.program, 0), 127))] }
        var previous = 0
        for event in timed {
            // A multi-message controller (RPN) carries zero deltas between its messages.
            var first = true
            for message in stride(from: 0, to: event.bytes.count, by: 3) {
                bytes += variableLength(first ? event.tick - previous : 0)
                bytes += event.bytes[message..<message + 3]
                first = false
            }
            previous = event.tick
        }
        bytes += [0x00, 0xFF, 0x2F, 0x00]
        return bytes
    }

    /// One controller as channel messages, three bytes each.
    static func controllerBytes(_ controller: ScoreController, channel: UInt8) -> [UInt8] {
        let value = controller.clampedValue
        func cc(_ number: UInt8, _ value: Int) -> [UInt8] { [0xB0 | channel, number, UInt8(value & 0x7F)] }
        switch controller.kind {
        case .pan: return cc(10, value)
        case .expression: return cc(11, value)
        case .sustain: return cc(64, value)
        case .reverbSend: return cc(91, value)
        case .pitchBend:
            let wheel = value + 8192
            return [0xE0 | channel, UInt8(wheel & 0x7F), UInt8((wheel >> 7) & 0x7F)]
        case .bendRange:
            // RPN 0 (pitch-bend sensitivity): select it, set semitones and cents, then deselect
            // (RPN 127/127) so a later data entry changes nothing by accident.
            return cc(101, 0) + cc(100, 0) + cc(6, value) + cc(38, 0) + cc(101, 127) + cc(100, 127)
        }
    }

    private static func chunk(_ body: [UInt8]) -> Data {
        Data(Array("MTrk".utf8) + bigEndian(UInt32(body.count)) + body)
    }

    private static func lengthPrefixed(_ bytes: [UInt8]) -> [UInt8] {
        variableLength(bytes.count) + bytes
    }

    /// MIDI's variable-length quantity: 7 bits a byte, most significant first, high bit set on all but the last.
    static func variableLength(_ value: Int) -> [UInt8] {
        var value = max(value, 0)
        var bytes = [UInt8(value & 0x7F)]
        value >>= 7
        while value > 0 {
            bytes.insert(UInt8(value & 0x7F) | 0x80, at: 0)
            value >>= 7
        }
        return bytes
    }

    private static func bigEndian<T: FixedWidthInteger>(_ value: T) -> [UInt8] {
        withUnsafeBytes(of: value.bigEndian) { Array($0) }
    }
}
