import Foundation
@testable import RiffleComposer
import RiffleCore
import RiffleTestSupport
import Testing

@Suite("Standard MIDI Files load in a real MIDI reader")
struct StandardMIDIFileTests {
    private let bass = ScoreTrack(name: "bass", channel: 1, program: 33, notes: [
        ScoreNote(start: 0, length: 1, pitch: 36, velocity: 100),
        ScoreNote(start: 1, length: 0.5, pitch: 36, velocity: 90),   // repeated pitch, back to back
        ScoreNote(start: 1.5, length: 2.5, pitch: 43, velocity: 110),
    ])
    private let drums = ScoreTrack(name: "drums", channel: 9, program: 0, notes: [
        ScoreNote(start: 0, length: 0.25, pitch: 36, velocity: 120),
        ScoreNote(start: 0.5, length: 0.25, pitch: 42, velocity: 70),
        ScoreNote(start: 1, length: 0.25, pitch: 38, velocity: 110),
    ])

    @Test("variable-length quantities", arguments: [(0, [0x00]), (127, [0x7F]), (128, [0x81, 0x00]), (8192, [0xC0, 0x00]),
                                                     (0x0FFF_FFFF, [0xFF, 0xFF, 0xFF, 0x7F])])
    func variableLength(value: Int, bytes: [UInt8]) {
        #expect(StandardMIDIFile.variableLength(value) == bytes)
    }

    @Test("type 1: a conductor track and one track per stem, with tempo, metre, programs and notes")
    func readsBackInMido() throws {
        try #require(toolIsInstalled("python3"))
        let directory = try TemporaryDirectory()
        let path = directory.path("take.mid")
        try StandardMIDIFile.data(tracks: [bass, drums], quarterNotesPerMinute: 126, timeSignature: TimeSignature("6/8")!)
            .write(to: URL(fileURLWithPath: path))

        let script = """
        import json, sys, mido
        f = mido.MidiFile(sys.argv[1])
        out = {"type": f.type, "ticks": f.ticks_per_beat, "tracks": []}
        for track in f.tracks:
            t, events = 0, []
            for m in track:
                t += m.time
                if m.type == "set_tempo": events.append(["tempo", t, m.tempo])
                elif m.type == "time_signature": events.append(["metre", t, m.numerator, m.denominator])
                elif m.type == "program_change": events.append(["program", t, m.channel, m.program])
                elif m.type == "note_on" and m.velocity > 0: events.append(["on", t, m.channel, m.note, m.velocity])
                elif m.type in ("note_off", "note_on"): events.append(["off", t, m.channel, m.note])
                elif m.type == "track_name": events.append(["name", t, m.name])
            out["tracks"].append(events)
        print(json.dumps(out))
        """
        let result = try runTool("python3", ["-c", script, path])
        try #require(result.status == 0, "mido could not read the file: \(result.errors)")
        let parsed = try #require(try JSONSerialization.jsonObject(with: Data(result.output.utf8)) as? [String: Any])
        #expect(parsed["type"] as? Int == 1)
        #expect(parsed["ticks"] as? Int == 480)
        let tracks = try #require(parsed["tracks"] as? [[[Any]]])
        #expect(tracks.count == 3)

        let conductor = tracks[0].map { $0.map { "\($0)" } }
        #expect(conductor.contains(["tempo", "0", "476190"]), "60,000,000 / 126 µs per quarter")
        #expect(conductor.contains(["metre", "0", "6", "8"]))

        let bassEvents = tracks[1].map { $0.map { "\($0)" } }
        #expect(bassEvents == [
            ["name", "0", "bass"], ["program", "0", "1", "33"],
            ["on", "0", "1", "36", "100"], ["off", "480", "1", "36"], ["on", "480", "1", "36", "90"],
            ["off", "720", "1", "36"], ["on", "720", "1", "43", "110"], ["off", "1920", "1", "43"],
        ])
        let drumEvents = tracks[2].map { $0.map { "\($0)" } }
        #expect(!drumEvents.contains { $0.first == "program" }, "the GM drum channel takes no program change")
        #expect(drumEvents.filter { $0.first == "on" }.map { $0[3] } == ["36", "42", "38"])
        #expect(drumEvents.allSatisfy { $0.first == "name" || $0[2] == "9" })
    }

    @Test("controllers: pan, expression, sustain, reverb send, pitch bend and its range (RPN 0) read back in order")
    func controllersReadBackInMido() throws {
        try #require(toolIsInstalled("python3"))
        let directory = try TemporaryDirectory()
        let path = directory.path("take.mid")
        var glide = bass
        glide.controllers = [
            ScoreController(time: 0, kind: .bendRange, value: 12),
            ScoreController(time: 0, kind: .pan, value: 20),
            ScoreController(time: 0, kind: .reverbSend, value: 0),
            ScoreController(time: 1.5, kind: .pitchBend, value: 4096),   // with the note at 1.5: before it
            ScoreController(time: 2, kind: .pitchBend, value: -8192),
            ScoreController(time: 2.5, kind: .expression, value: 90),
            ScoreController(time: 3, kind: .sustain, value: 127),
            ScoreController(time: 4, kind: .sustain, value: 0),
        ]
        try StandardMIDIFile.data(tracks: [glide], quarterNotesPerMinute: 120, timeSignature: TimeSignature("4/4")!)
            .write(to: URL(fileURLWithPath: path))
        let script = """
        import json, sys, mido
        f = mido.MidiFile(sys.argv[1])
        t, events = 0, []
        for m in f.tracks[1]:
            t += m.time
            if m.type == "control_change": events.append(["cc", t, m.channel, m.control, m.value])
            elif m.type == "pitchwheel": events.append(["bend", t, m.channel, m.pitch])
            elif m.type == "note_on" and m.velocity > 0: events.append(["on", t, m.note])
        print(json.dumps(events))
        """
        let result = try runTool("python3", ["-c", script, path])
        try #require(result.status == 0, "mido could not read the file: \(result.errors)")
        let parsed = try #require(try JSONSerialization.jsonObject(with: Data(result.output.utf8)) as? [[Any]])
        let events: [[String]] = parsed.map { $0.map { "\($0)" } }
        #expect(Array(events.prefix(6)) == [[String]]([
            ["cc", "0", "1", "101", "0"], ["cc", "0", "1", "100", "0"], ["cc", "0", "1", "6", "12"], ["cc", "0", "1", "38", "0"],
            ["cc", "0", "1", "101", "127"], ["cc", "0", "1", "100", "127"],
        ]), "RPN 0 sets a 12-semitone bend range, then deselects")
        #expect(events.contains(["cc", "0", "1", "10", "20"]) && events.contains(["cc", "0", "1", "91", "0"]))
        let bendAt720 = try #require(events.firstIndex(of: ["bend", "720", "1", "4096"]))
        let noteAt720 = try #require(events.firstIndex(of: ["on", "720", "43"]))
        #expect(bendAt720 < noteAt720, "a bend meant for a note is set before the note strikes")
        #expect(events.contains(["bend", "960", "1", "-8192"]))
        #expect(events.contains(["cc", "1200", "1", "11", "90"]))
        #expect(events.contains(["cc", "1440", "1", "64", "127"]) && events.contains(["cc", "1920", "1", "64", "0"]))
    }
}
