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

/// One stem's part: the instrument and its notes.
public struct ScoreTrack: Sendable, Hashable, Codable {
    public var name: String
    /// MIDI channel 0-15; General MIDI plays channel 9 as drums.
    public var channel: Int
    /// General MIDI program, 0-127 (ignored on the drum channel).
    public var program: Int
    public var notes: [ScoreNote]

    public init(name: String, channel: Int, program: Int, notes: [ScoreNote]) {
        self.name = name
        self.channel = channel
        self.program = program
        self.notes = notes
    }
}

/// Writes a Standard MIDI File, type 1: a conductor track with tempo and time signature, then one
/// track per stem with its name, program and notes.
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
        struct Event { var tick: Int; var isOn: Bool; var pitch: UInt8; var velocity: UInt8 }
        var timed: [Event] = []
        for note in track.notes {
            let start = max(Int((note.start * Double(ticksPerQuarter)).rounded()), 0)
            let end = max(Int(((note.start + note.length) * Double(ticksPerQuarter)).rounded()), start + 1)
            let pitch = UInt8(min(max(note.pitch, 0), 127))
            timed.append(Event(tick: start, isOn: true, pitch: pitch, velocity: UInt8(min(max(note.velocity, 1), 127))))
            timed.append(Event(tick: end, isOn: false, pitch: pitch, velocity: 0))
        }
        // At the same tick, note-offs go first so a repeated note is released before it strikes again.
        timed.sort { ($0.tick, $0.isOn ? 1 : 0, $0.pitch) < ($1.tick, $1.isOn ? 1 : 0, $1.pitch) }

        var bytes: [UInt8] = [0x00, 0xFF, 0x03] + lengthPrefixed(Array(track.name.utf8))
        if track.channel != 9 { bytes += [0x00, 0xC0 | channel, UInt8(min(max(track.program, 0), 127))] }
        var previous = 0
        for event in timed {
            bytes += variableLength(event.tick - previous)
            bytes += [(event.isOn ? 0x90 : 0x80) | channel, event.pitch, event.velocity]
            previous = event.tick
        }
        bytes += [0x00, 0xFF, 0x2F, 0x00]
        return bytes
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
