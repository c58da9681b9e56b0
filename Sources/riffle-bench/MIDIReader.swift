import Foundation

/// Reads back the notes of a Standard MIDI File, as someone checking a take from outside would:
/// one entry per track with its name, program and notes in seconds.
///
/// Only what Riffle writes needs reading (type 1, one tempo, running status not used).
struct MIDIReader {
    struct Note { var start: Double; var length: Double; var pitch: Int; var velocity: Int }
    struct Track { var name = ""; var channel = 0; var program = 0; var notes: [Note] = []; var controllers = 0; var bends = 0 }

    var tracks: [Track] = []
    var quarterNotesPerMinute = 120.0

    init?(_ data: Data) {
        let bytes = [UInt8](data)
        guard bytes.count > 14, bytes.starts(with: Array("MThd".utf8)) else { return nil }
        let division = Int(bytes[12]) << 8 | Int(bytes[13])
        var position = 14
        var raw: [[(tick: Int, status: UInt8, data: [UInt8], meta: UInt8?)]] = []
        while position + 8 <= bytes.count {
            let length = bytes[(position + 4)..<(position + 8)].reduce(0) { $0 << 8 | Int($1) }
            var cursor = position + 8
            let end = min(bytes.count, cursor + length)
            var tick = 0
            var events: [(tick: Int, status: UInt8, data: [UInt8], meta: UInt8?)] = []
            func variable() -> Int {
                var value = 0
                while cursor < end {
                    let byte = bytes[cursor]
                    cursor += 1
                    value = value << 7 | Int(byte & 0x7F)
                    if byte & 0x80 == 0 { break }
                }
                return value
            }
            var running: UInt8 = 0
            while cursor < end {
                tick += variable()
                var status = bytes[cursor]
                if status & 0x80 != 0 { cursor += 1; running = status } else { status = running }
                if status == 0xFF {
                    let type = bytes[cursor]
                    cursor += 1
                    let size = variable()
                    events.append((tick, status, Array(bytes[cursor..<min(end, cursor + size)]), type))
                    cursor += size
                } else {
                    let size = (status & 0xF0 == 0xC0 || status & 0xF0 == 0xD0) ? 1 : 2
                    events.append((tick, status, Array(bytes[cursor..<min(end, cursor + size)]), nil))
                    cursor += size
                }
            }
            raw.append(events)
            position = end
        }
        // The tempo, from the conductor track.
        for event in raw.first ?? [] where event.meta == 0x51 && event.data.count == 3 {
            let micros = event.data.reduce(0) { $0 << 8 | Int($1) }
            quarterNotesPerMinute = 60_000_000 / Double(micros)
        }
        let secondsPerTick = 60 / quarterNotesPerMinute / Double(division)
        for events in raw.dropFirst() {
            var track = Track()
            var open: [Int: (tick: Int, velocity: Int)] = [:]
            for event in events {
                if event.meta == 0x03 { track.name = String(decoding: event.data, as: UTF8.self) }
                guard event.meta == nil else { continue }
                track.channel = Int(event.status & 0x0F)
                switch event.status & 0xF0 {
                case 0xC0: track.program = Int(event.data[0])
                case 0xB0: track.controllers += 1
                case 0xE0: track.bends += 1
                case 0x90 where event.data[1] > 0: open[Int(event.data[0])] = (event.tick, Int(event.data[1]))
                case 0x80, 0x90:
                    if let start = open.removeValue(forKey: Int(event.data[0])) {
                        track.notes.append(Note(start: Double(start.tick) * secondsPerTick,
                                                length: Double(event.tick - start.tick) * secondsPerTick,
                                                pitch: Int(event.data[0]), velocity: start.velocity))
                    }
                default: break
                }
            }
            track.notes.sort { $0.start < $1.start }
            tracks.append(track)
        }
    }

    func track(_ name: String) -> Track? { tracks.first { $0.name == name } }
}
