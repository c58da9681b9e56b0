import Foundation
import RiffleTestSupport
import Testing

/// The `riffle` binary beside this test bundle in the build folder.
private let riffle = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("riffle")

private func run(_ arguments: [String], input: String = "") throws -> ProcessResult {
    try runProcess(riffle, arguments, input: input)
}

@Suite("Hostile options: negative numbers taken, only decimal numbers read, every problem reported at once")
struct OptionInputTests {
    @Test("--seed -1, as documented, is taken; so is any negative number, and then checked")
    func negativeNumbers() throws {
        let temporary = try TemporaryDirectory()
        let seed = try run(["generate", "x", "--seed", "-1", "--duration", "2", "--library", temporary.path("library")])
        #expect(seed.status == 2)
        #expect(seed.errors.contains("duration: 2 is out of range") && !seed.errors.contains("Missing value"), "\(seed.errors)")
        let tempo = try run(["interpret", "x", "--tempo", "-40"])
        #expect(tempo.status == 2)
        #expect(tempo.errors.contains("tempo: -40 is out of range (allowed: 30 to 300 BPM)"), "\(tempo.errors)")
    }

    @Test("every bad option is reported at once, each naming its field, the value and what is allowed")
    func everyOptionAtOnce() throws {
        let temporary = try TemporaryDirectory()
        let result = try run(["generate", "x", "--tempo", "-5", "--duration", "abc", "--seed", "-7", "--variations", "2.5",
                              "--genre", "Jazz!", "--key", "H", "--format", "aac", "--out", "", "--library", temporary.path("library")])
        #expect(result.status == 2)
        for message in ["invalid request, 8 problems", #"duration: "abc" is not a number (allowed: a number of seconds, 5 to 300)"#,
                        "num_variations: 2.5 is not a whole number", #"key: "H" is not recognised"#, #"format: "aac" is not supported"#,
                        #"genre: "Jazz!" is not a known preset"#, "tempo: -5 is out of range", "seed: -7 is out of range",
                        #"out: "" is empty (allowed: a folder to export the takes into)"#] {
            #expect(result.errors.contains(message), "\(message) in \(result.errors)")
        }
        #expect(!FileManager.default.fileExists(atPath: temporary.path("library")), "nothing opened or written")
    }

    @Test("only plain decimal numbers are numbers: hex, nan and inf are not", arguments: [
        (["--duration", "0x10"], #"duration: "0x10" is not a number"#), (["--temperature", "nan"], #"temperature: "nan" is not a number"#),
        (["--guidance", "inf"], #"guidance_scale: "inf" is not a number"#), (["--top-k", "1e400"], "top_k: 1e400 is out of range"),
        (["--seed", "9223372036854775808"], "seed: 9223372036854775808 is out of range"),
    ])
    func strictNumbers(arguments: [String], message: String) throws {
        let temporary = try TemporaryDirectory()
        let result = try run(["generate", "x"] + arguments + ["--library", temporary.path("library")])
        #expect(result.status == 2)
        #expect(result.errors.contains(message), "\(result.errors)")
    }

    @Test("the edits, convert and waveform check their numbers the same way, all at once", arguments: [
        (["extend", "j00000000-1", "--seconds", "0"], ["seconds: 0 is out of range (allowed: more than 0 seconds, as long as the take stays at most 300 s long)"]),
        (["extend", "j00000000-1", "--seconds", "-3", "--seed", "-9"], ["2 problems", "seconds: -3 is out of range", "seed: -9 is out of range"]),
        (["repaint", "j00000000-1", "--from", "-1", "--to", "x"], [#"to: "x" is not a number"#]),
        (["convert", "a.wav", "b.flac", "--bit-depth", "-3", "--sample-rate", "0x10", "--quality", "nan"],
         ["--bit-depth -3 is not supported (allowed: 16, 24, 32)", #"--sample-rate "0x10" is not a number (allowed: 8000 to 192000 Hz)"#,
          #"--quality "nan" is not a number (allowed: 0 to 1)"#]),
        (["waveform", "a.wav", "--width", "-5", "--height", "abc"], ["--width -5 is out of range (allowed: 1 to 2000)", #"--height "abc" is not a number"#]),
        (["export", "j00000000-1", "--out", ""], [#"out: "" is empty (allowed: the path of the file to write)"#]),
        (["convert", "a.wav", "", "--format", "wav"], [#"output "" is empty"#]),
    ])
    func otherCommands(arguments: [String], messages: [String]) throws {
        let temporary = try TemporaryDirectory()
        let library = arguments[0] == "convert" || arguments[0] == "waveform" ? [] : ["--library", temporary.path("library")]
        let result = try run(arguments + library)
        #expect(result.status == 2)
        for message in messages { #expect(result.errors.contains(message), "\(message) in \(result.errors)") }
    }

    @Test("a file that is not a SoundFont is refused by its header: exit 4, no GLib CRITICAL line")
    func notASoundFont() throws {
        let temporary = try TemporaryDirectory()
        let font = temporary.path("font.sf2")
        try "not a soundfont".write(toFile: font, atomically: true, encoding: .utf8)
        let result = try run(["generate", "x", "--duration", "5", "--variations", "1", "--soundfont", font, "--library", temporary.path("library")])
        #expect(result.status == 4)
        #expect(result.errors.contains("cannot load the SoundFont \(font): not a SoundFont"), "\(result.errors)")
        #expect(!result.errors.contains("CRITICAL"), "\(result.errors)")
    }
}
