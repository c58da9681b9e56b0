import Foundation
import RiffleAudio
import RiffleTestSupport
import Testing

/// The `riffle` binary beside this test bundle in the build folder.
private let riffle = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("riffle")

/// Runs `riffle` with `arguments`, feeding `input` to its standard input.
private func run(_ arguments: [String], input: String = "") throws -> ProcessResult {
    try runProcess(riffle, arguments, input: input)
}

/// A short tone, 330 Hz at amplitude 0.4 in both channels, written as 24-bit WAV.
private func writeTone(to path: String, seconds: Double = 1, sampleRate: Int = 48000) throws {
    try AudioFileWriter.write(stereoSines(seconds: seconds, sampleRate: sampleRate, amplitude: 0.4, left: 330, right: 330),
                              to: path, options: AudioWriteOptions(format: .wav))
}

@Suite("The command line: happy paths, clear errors, exit statuses")
struct CommandLineTests {
    @Test("--help lists the commands; with no command and no terminal, it says the studio needs one")
    func help() throws {
        let result = try run(["--help"])
        #expect(result.status == 0)
        #expect(result.output.contains("USAGE: riffle <subcommand>"))
        #expect(result.output.contains("convert") && result.output.contains("studio"))
        let studio = try run([])
        #expect(studio.status == 2)
        #expect(studio.errors.contains("needs a terminal"))
    }

    @Test("check-request fills in every default")
    func checkRequestValid() throws {
        let result = try run(["check-request", "-"], input: #"{"prompt": "dusty lo-fi, rhodes", "genre": "lofi", "seed": 7}"#)
        #expect(result.status == 0, "\(result.errors)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(result.output.utf8)) as? [String: Any])
        #expect(object["duration"] as? Double == 30)
        #expect(object["num_variations"] as? Int == 4)
        #expect(object["format"] as? String == "flac")
        #expect(object["seed"] as? Int == 7)
    }

    @Test("check-request reports every problem and exits 2")
    func checkRequestInvalid() throws {
        let result = try run(["check-request", "-"], input: #"{"prompt": "", "duration": 301, "genre": "polka", "top_p": 3}"#)
        #expect(result.status == 2)
        #expect(result.errors.contains("4 problems"))
        #expect(result.errors.contains("duration: 301 is out of range (allowed: 5 to 300 seconds)"))
        #expect(result.errors.contains("genre: \"polka\" is not a known preset (allowed: one of: afrobeat, ambient, blues,"))
        #expect(result.errors.contains("top_p: 3 is out of range"))
    }

    @Test("check-request on text that is not JSON exits 2 and says so")
    func checkRequestNotJSON() throws {
        let result = try run(["check-request", "-"], input: "prompt = techno")
        #expect(result.status == 2)
        #expect(result.errors.contains("not a JSON object"))
    }

    @Test("convert writes the format asked for, at the rate asked for")
    func convert() throws {
        let temporary = try TemporaryDirectory()
        let directory = temporary.url
        let input = directory.appendingPathComponent("in.wav").path
        let output = directory.appendingPathComponent("out/take.flac").path
        try writeTone(to: input)

        let result = try run(["convert", input, output, "--sample-rate", "44100", "--bit-depth", "16"])
        #expect(result.status == 0, "\(result.errors)")
        let info = try AudioFileReader.info(of: output)
        #expect(info.format == .flac)
        #expect(info.encoding == .pcm16)
        #expect(info.sampleRate == 44100)
        #expect(info.frameCount == 44100)
    }

    @Test("bad options exit 2 naming the option, the value and what is allowed", arguments: [
        (["convert", "a.wav", "b.flac", "--bit-depth", "20"], "--bit-depth 20 is not supported (allowed: 16, 24, 32)"),
        (["convert", "a.wav", "b.aiff"], "is not a format Riffle writes (allowed: wav, flac, ogg, mp3)"),
        (["convert", "a.wav", "b.flac", "--bit-depth", "32"], "flac cannot store 32-bit float samples (allowed: 16-bit, 24-bit)"),
        (["waveform", "a.wav", "--style", "sparkles"], "--style sparkles is not a style (allowed: braille, blocks, ascii)"),
        (["convert", "a.wav"], "Missing expected argument '<output>'"),
    ])
    func badOptions(arguments: [String], message: String) throws {
        let result = try run(arguments)
        #expect(result.status == 2)
        #expect(result.errors.contains(message), "\(result.errors)")
    }

    @Test("a file that cannot be read exits 4 naming the file and why")
    func unreadableFile() throws {
        let temporary = try TemporaryDirectory()
        let directory = temporary.url
        let bogus = directory.appendingPathComponent("lyrics.wav").path
        try "la la la".write(toFile: bogus, atomically: true, encoding: .utf8)

        let info = try run(["info", bogus])
        #expect(info.status == 4)
        #expect(info.errors.contains("\(bogus): not an audio file Riffle can read"), "\(info.errors)")

        let missing = try run(["convert", directory.appendingPathComponent("nope.wav").path, directory.appendingPathComponent("x.flac").path])
        #expect(missing.status == 4)
        #expect(missing.errors.contains("nope.wav: no such file"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path) == ["lyrics.wav"])
    }

    @Test("info reports format, length and loudness, also as JSON")
    func info() throws {
        let temporary = try TemporaryDirectory()
        let directory = temporary.url
        let path = directory.appendingPathComponent("tone.wav").path
        try writeTone(to: path, seconds: 2)

        let text = try run(["info", path])
        #expect(text.status == 0)
        #expect(text.output.contains("wav 24-bit, 48000 Hz, stereo, 0:02.000"))

        let json = try run(["info", "--json", path])
        let reports = try #require(try JSONSerialization.jsonObject(with: Data(json.output.utf8)) as? [[String: Any]])
        let loudness = try #require(reports.first?["integrated_lufs"] as? Double)
        // BS.1770: -0.691 + 10·log10(sum of the channels' mean squares); a 0.4 sine has mean square 0.08,
        // K-weighting is close to flat at 330 Hz, so two such channels read about -8.65 LUFS.
        #expect(abs(loudness - -8.65) < 0.3, "measured \(loudness) LUFS")
        #expect(reports.first?["sample_rate"] as? Int == 48000)
    }

    @Test("waveform draws the file at the width asked for")
    func waveform() throws {
        let temporary = try TemporaryDirectory()
        let directory = temporary.url
        let path = directory.appendingPathComponent("tone.wav").path
        try writeTone(to: path)
        let result = try run(["waveform", path, "--width", "50", "--height", "4"])
        #expect(result.status == 0)
        let lines = result.output.split(separator: "\n", omittingEmptySubsequences: false).dropLast()
        #expect(lines.count == 5, "4 rows and the time axis")
        #expect(lines.allSatisfy { $0.count == 50 })
        #expect(lines.last?.hasPrefix("0:00") == true)
    }

    @Test("presets lists the built-in genres")
    func presets() throws {
        let result = try run(["presets"])
        #expect(result.status == 0)
        for genre in ["modern-pop", "drum-and-bass", "cinematic", "lo-fi", "rnb"] {
            #expect(result.output.contains(genre))
        }
    }

    @Test("interpret shows what the prompt means, as JSON too")
    func interpret() throws {
        let result = try run(["interpret", "--json", "dark trap at 142 bpm in C# minor with 808s and bells"])
        #expect(result.status == 0, "\(result.errors)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(result.output.utf8)) as? [String: Any])
        #expect((object["genre"] as? [String: Any])?["value"] as? String == "trap")
        #expect((object["bpm"] as? [String: Any])?["value"] as? Double == 142)
        #expect((object["key"] as? [String: Any])?["value"] as? String == "C# minor")
        #expect((object["instruments"] as? [[String: Any]])?.compactMap { $0["name"] as? String } == ["808", "bells"])

        let text = try run(["interpret", "folk waltz with banjo", "--tempo", "96"])
        #expect(text.output.contains("tempo           96 BPM  (request)"))
        #expect(text.output.contains("time signature  3/4  (prompt)"))
    }

    @Test("interpret rejects bad options, all at once")
    func interpretBadInput() throws {
        let result = try run(["interpret", "x", "--key", "H", "--tempo", "900", "--genre", "polka"])
        #expect(result.status == 2)
        #expect(result.errors.contains("3 problems"))
    }
}

@Suite("riffle generate", .enabled(if: FileManager.default.fileExists(atPath: "/usr/share/sounds/sf2/FluidR3_GM.sf2"), "needs fluid-soundfont-gm"))
struct GenerateCommandTests {
    @Test("writes each take with its MIDI and stems, and reports them as JSON")
    func generate() throws {
        let temporary = try TemporaryDirectory()
        let result = try run(["generate", "chill lo-fi with rhodes, 80 bpm in D minor", "--duration", "6", "--variations", "2",
                              "--seed", "41", "--format", "wav", "--stems", "--library", temporary.path("library"),
                              "--out", temporary.path("out"), "--json"])
        #expect(result.status == 0, "\(result.errors)")
        let report = try #require(try JSONSerialization.jsonObject(with: Data(result.output.utf8)) as? [String: Any])
        #expect(report["status"] as? String == "completed")
        let jobID = try #require(report["job_id"] as? String)
        let results = try #require(report["results"] as? [[String: Any]])
        // Best first: the order is the quality score's, each take keeping its own seed.
        #expect(Set(results.compactMap { $0["id"] as? String }) == ["\(jobID)-1", "\(jobID)-2"])
        #expect(Set(results.compactMap { $0["seed"] as? Int }) == [41, 42])
        let scores = results.compactMap { $0["score"] as? Double }
        #expect(scores.count == 2 && scores == scores.sorted(by: >), "\(scores)")
        for take in results {
            let path = try #require(take["path"] as? String)
            #expect(path.hasPrefix(temporary.path("out")), "--out gets copies")
            let info = try AudioFileReader.info(of: path)
            #expect(info.sampleRate == 44100 && info.channelCount == 2)
            #expect(abs(Double(info.frameCount ?? 0) / 44100 - 6) < 0.001)
            let midi = try #require(take["midi_path"] as? String)
            #expect(try Data(contentsOf: URL(fileURLWithPath: midi)).prefix(4) == Data("MThd".utf8))
            let stems = try #require(take["stems"] as? [String: String])
            #expect(Set(stems.keys) == ["drums", "bass", "harmony", "melody", "texture"])
            #expect(stems.values.allSatisfy { FileManager.default.fileExists(atPath: $0) })
        }
        let metadata = try #require(report["metadata"] as? [String: Any])
        let interpretation = try #require(metadata["interpretation"] as? [String: Any])
        #expect(interpretation["genre"] as? String == "lo-fi")
        #expect(interpretation["bpm"] as? Double == 80)
        #expect(interpretation["key"] as? String == "D minor")
    }

    @Test("bad input exits 2 naming the field; a SoundFont that cannot be read exits 4", arguments: [
        (["--duration", "2"], 2, "duration"), (["--format", "aac"], 2, "format"), (["--variations", "9"], 2, "num_variations"),
        (["--key", "H major"], 2, "key"), (["--soundfont", "/nonexistent/font.sf2"], 4, "/nonexistent/font.sf2"),
    ])
    func badInput(arguments: [String], status: Int32, mentions: String) throws {
        let temporary = try TemporaryDirectory()
        let result = try run(["generate", "techno", "--library", temporary.path("library"), "--out", temporary.path("out")] + arguments)
        #expect(result.status == status, "\(result.errors)")
        #expect(result.errors.contains(mentions), "\(result.errors)")
        #expect(!FileManager.default.fileExists(atPath: temporary.path("out")), "nothing written")
    }
}

@Suite("The library from the command line", .enabled(if: FileManager.default.fileExists(atPath: "/usr/share/sounds/sf2/FluidR3_GM.sf2"), "needs fluid-soundfont-gm"))
struct LibraryCommandTests {
    @Test("generate, list, show, rate, pick, export to every format, delete; the same request again comes from the cache")
    func roundTrip() throws {
        let temporary = try TemporaryDirectory()
        let library = ["--library", temporary.path("library")]
        let first = try run(["generate", "bright house 124 bpm", "--duration", "5", "--variations", "2", "--seed", "9", "--json"] + library)
        #expect(first.status == 0, "\(first.errors)")
        let report = try #require(try JSONSerialization.jsonObject(with: Data(first.output.utf8)) as? [String: Any])
        let job = try #require(report["job_id"] as? String)
        #expect(report["cached"] as? Bool == false)

        let again = try run(["generate", "bright house 124 bpm", "--duration", "5", "--variations", "2", "--seed", "9", "--json"] + library)
        let cached = try #require(try JSONSerialization.jsonObject(with: Data(again.output.utf8)) as? [String: Any])
        #expect(cached["job_id"] as? String == job && cached["cached"] as? Bool == true)
        let forced = try run(["generate", "bright house 124 bpm", "--duration", "5", "--variations", "1", "--seed", "9", "--force", "--json"] + library)
        #expect(forced.status == 0)

        #expect(try run(["rate", "\(job)-1", "5"] + library).status == 0)
        #expect(try run(["pick", "\(job)-2"] + library).status == 0)
        let shown = try run(["show", job, "--json"] + library)
        let summary = try #require(try JSONSerialization.jsonObject(with: Data(shown.output.utf8)) as? [String: Any])
        let takes = try #require(summary["takes"] as? [[String: Any]])
        #expect(takes.first { $0["id"] as? String == "\(job)-1" }?["rating"] as? Int == 5)
        #expect(takes.filter { $0["picked"] as? Bool == true }.map { $0["id"] as? String } == ["\(job)-2"])

        let list = try run(["list"] + library)
        #expect(list.output.contains(job) && list.output.contains("★★★★★"))
        for format in ["wav", "flac", "ogg", "mp3"] {
            let out = temporary.path("export.\(format)")
            #expect(try run(["export", "\(job)-1", "--out", out] + library).status == 0)
            if toolIsInstalled("ffprobe") {
                let probe = try runTool("ffprobe", ["-v", "error", "-show_entries", "format=duration", "-of", "csv=p=0", out])
                #expect(abs((Double(probe.output.trimmingCharacters(in: .whitespacesAndNewlines)) ?? 0) - 5) < 0.1, "\(format)")
            }
        }
        #expect(try run(["delete", "\(job)-1"] + library).status == 0)
        #expect(try run(["show", "\(job)-1"] + library).status == 3)
        #expect(try run(["delete", job] + library).status == 0)
        #expect(!(try run(["list"] + library).output.contains(job)))
    }

    @Test("an unknown id exits 3 and says so, in every command", arguments: [["show", "j00000000"], ["rate", "j00000000-1", "3"],
                                                                               ["pick", "j00000000-1"], ["delete", "j00000000"],
                                                                               ["export", "j00000000-1", "--out", "/tmp/riffle-never.wav"]])
    func unknownIDs(arguments: [String]) throws {
        let temporary = try TemporaryDirectory()
        let result = try run(arguments + ["--library", temporary.path("library")])
        #expect(result.status == 3)
        #expect(result.errors.contains("no job or take with id j00000000"))
    }

    @Test("Ctrl-C cancels the running job cleanly: exit 130, the job recorded as cancelled")
    func interrupt() throws {
        let temporary = try TemporaryDirectory()
        let process = Process()
        process.executableURL = riffle
        process.arguments = ["generate", "epic cinematic", "--duration", "300", "--variations", "8", "--library", temporary.path("library")]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        Thread.sleep(forTimeInterval: 2)
        let asked = Date()
        process.interrupt()
        process.waitUntilExit()
        #expect(process.terminationStatus == 130)
        #expect(Date().timeIntervalSince(asked) < 5, "stopped promptly")
        let list = try run(["list", "--library", temporary.path("library")])
        #expect(list.output.contains("cancelled"))
    }
}

@Suite("Crash safety", .enabled(if: FileManager.default.fileExists(atPath: "/usr/share/sounds/sf2/FluidR3_GM.sf2"), "needs fluid-soundfont-gm"))
struct CrashSafetyTests {
    @Test("kill -9 in the middle of a batch leaves a library that opens, with every finished take playable")
    func killNine() throws {
        let temporary = try TemporaryDirectory()
        let library = temporary.path("library")
        let process = Process()
        process.executableURL = riffle
        // Long takes, so the batch is still going when the second is registered (a take takes well
        // under a second to make).
        process.arguments = ["generate", "rock anthem", "--duration", "90", "--variations", "8", "--stems", "--library", library]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        // Wait until a take or two is registered, then kill it without warning.
        let deadline = Date().addingTimeInterval(60)
        while Date() < deadline {
            Thread.sleep(forTimeInterval: 0.3)
            let list = try run(["list", "--json", "--library", library])
            if let jobs = try? JSONSerialization.jsonObject(with: Data(list.output.utf8)) as? [[String: Any]],
               let takes = jobs.first?["takes"] as? [Any], takes.count >= 2 { break }
        }
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        #expect(process.terminationReason == .uncaughtSignal)

        let list = try run(["list", "--json", "--library", library])
        #expect(list.status == 0, "\(list.errors)")
        let jobs = try #require(try JSONSerialization.jsonObject(with: Data(list.output.utf8)) as? [[String: Any]])
        let job = try #require(jobs.first?["job"] as? [String: Any])
        #expect(job["status"] as? String == "interrupted")
        let takes = try #require(jobs.first?["takes"] as? [[String: Any]])
        #expect(takes.count >= 2 && takes.count < 8)
        for take in takes {
            let audio = try AudioFileReader.read(try #require(take["path"] as? String))
            #expect(abs(audio.duration - 90) < 0.001, "a registered take is complete")
        }
        let leftovers = FileManager.default.enumerator(atPath: library + "/takes")?.compactMap { $0 as? String }
            .filter { $0.contains(".partial-") } ?? []
        #expect(leftovers.isEmpty, "half-written files are cleared: \(leftovers)")
    }
}

@Suite("Edits from the command line", .enabled(if: FileManager.default.fileExists(atPath: "/usr/share/sounds/sf2/FluidR3_GM.sf2"), "needs fluid-soundfont-gm"))
struct EditCommandTests {
    /// A generated take's id and the library's arguments.
    private func makeTake(_ temporary: TemporaryDirectory) throws -> (String, [String]) {
        let library = ["--library", temporary.path("library")]
        let result = try run(["generate", "uplifting pop 120 bpm in G major", "--duration", "12", "--variations", "1", "--seed", "3", "--json"] + library)
        #expect(result.status == 0, "\(result.errors)")
        let report = try #require(try JSONSerialization.jsonObject(with: Data(result.output.utf8)) as? [String: Any])
        let results = try #require(report["results"] as? [[String: Any]])
        return (try #require(results.first?["id"] as? String), library)
    }

    private func edit(_ arguments: [String]) throws -> [String: Any] {
        let result = try run(arguments + ["--json"])
        #expect(result.status == 0, "\(result.errors)")
        let report = try #require(try JSONSerialization.jsonObject(with: Data(result.output.utf8)) as? [String: Any])
        return try #require((report["results"] as? [[String: Any]])?.first)
    }

    @Test("repaint changes the range and leaves the audio outside it and its crossfade as it was")
    func repaint() throws {
        let temporary = try TemporaryDirectory()
        let (id, library) = try makeTake(temporary)
        let repainted = try edit(["repaint", id, "--from", "4", "--to", "6", "--prompt", "dark", "--seed", "9"] + library)
        let original = try AudioFileReader.read(temporary.path("library/takes/\(id.split(separator: "-")[0])/take-1.flac"))
        let edited = try AudioFileReader.read(try #require(repainted["path"] as? String))
        #expect(edited.frameCount == original.frameCount)
        // 120 BPM: two-second bars, so 4-6 s is bar 3 alone; the crossfade reaches 0.1 s either side.
        let before = Int(3.9 * 44100) * 2, after = Int(6.1 * 44100) * 2
        #expect(firstDifference(Array(edited.samples[..<before]), Array(original.samples[..<before])) == nil)
        #expect(firstDifference(Array(edited.samples[after...]), Array(original.samples[after...])) == nil)
        #expect(firstDifference(Array(edited.samples[before..<after]), Array(original.samples[before..<after])) != nil)
        let shown = try run(["show", try #require(repainted["id"] as? String), "--json"] + library)
        #expect(shown.output.contains("\"parent_take_id\" : \"\(id)\""))
    }

    @Test("extend makes the take longer; restyle makes it another genre; stems writes five files")
    func extendRestyleStems() throws {
        let temporary = try TemporaryDirectory()
        let (id, library) = try makeTake(temporary)
        let extended = try edit(["extend", id, "--seconds", "6"] + library)
        #expect(abs((extended["duration"] as? Double ?? 0) - 18) < 0.001)
        let restyleResult = try run(["restyle", id, "--genre", "jazz", "--json"] + library)
        #expect(restyleResult.status == 0, "\(restyleResult.errors)")
        let restyled = try #require(try JSONSerialization.jsonObject(with: Data(restyleResult.output.utf8)) as? [String: Any])
        let metadata = try #require(restyled["metadata"] as? [String: Any])
        #expect((metadata["interpretation"] as? [String: Any])?["genre"] as? String == "jazz")
        let stems = try run(["stems", id, "--json"] + library)
        let paths = try #require(try JSONSerialization.jsonObject(with: Data(stems.output.utf8)) as? [String: String])
        #expect(Set(paths.keys) == ["drums", "bass", "harmony", "melody", "texture"])
        #expect(try paths.values.allSatisfy { abs(try AudioFileReader.read($0).duration - 12) < 0.001 })
    }

    @Test("an edit that does not fit the take exits 2 and leaves no job behind", arguments: [
        ["repaint", "--from", "10", "--to", "20"], ["extend", "--seconds", "299"], ["restyle", "--genre", "polka"],
    ])
    func badEdits(arguments: [String]) throws {
        let temporary = try TemporaryDirectory()
        let (id, library) = try makeTake(temporary)
        let result = try run([arguments[0], id] + Array(arguments.dropFirst()) + library)
        #expect(result.status == 2, "\(result.errors)")
        let list = try run(["list", "--json"] + library)
        let jobs = try #require(try JSONSerialization.jsonObject(with: Data(list.output.utf8)) as? [Any])
        #expect(jobs.count == 1)
    }
}

@Suite("Many jobs at once: batch, grid, resume", .enabled(if: FileManager.default.fileExists(atPath: "/usr/share/sounds/sf2/FluidR3_GM.sf2"), "needs fluid-soundfont-gm"))
struct ManyJobsTests {
    @Test("batch makes one job per prompt line and ranks all the takes by score")
    func batch() throws {
        let temporary = try TemporaryDirectory()
        let prompts = temporary.path("prompts.txt")
        try "# comment\ndark techno 130 bpm\n\nchill lo-fi in F major\n".write(toFile: prompts, atomically: true, encoding: .utf8)
        let result = try run(["batch", prompts, "--duration", "5", "--variations", "2", "--library", temporary.path("library"), "--json"])
        #expect(result.status == 0, "\(result.errors)")
        let ranked = try #require(try JSONSerialization.jsonObject(with: Data(result.output.utf8)) as? [[String: Any]])
        #expect(ranked.count == 4)
        #expect(Set(ranked.compactMap { $0["job_id"] as? String }).count == 2)
        let scores = ranked.compactMap { ($0["take"] as? [String: Any])?["score"] as? Double }
        #expect(scores == scores.sorted(by: >), "best first")
    }

    @Test("grid makes every combination, with parameters set and other words added to the prompt")
    func grid() throws {
        let temporary = try TemporaryDirectory()
        let result = try run(["grid", "house", "--vary", "tempo=120,126", "--vary", "mood=dark,bright", "--duration", "5",
                              "--variations", "1", "--library", temporary.path("library"), "--json"])
        #expect(result.status == 0, "\(result.errors)")
        let ranked = try #require(try JSONSerialization.jsonObject(with: Data(result.output.utf8)) as? [[String: Any]])
        #expect(Set(ranked.compactMap { $0["label"] as? String }) == ["tempo=120 mood=dark", "tempo=120 mood=bright",
                                                                      "tempo=126 mood=dark", "tempo=126 mood=bright"])
        let list = try run(["list", "--library", temporary.path("library")])
        #expect(list.output.contains("house, dark") && list.output.contains("house, bright"))
        let bad = try run(["grid", "house", "--vary", "tempo=20,126", "--library", temporary.path("library")])
        #expect(bad.status == 2 && bad.errors.contains("tempo: 20 is out of range"))
        let malformed = try run(["grid", "house", "--vary", "tempo", "--library", temporary.path("library")])
        #expect(malformed.status == 2 && malformed.errors.contains("NAME=VALUE"))
    }

    @Test("a cancelled job resumes: the missing takes are made with their own seeds, the others stay")
    func resume() throws {
        let temporary = try TemporaryDirectory()
        let library = ["--library", temporary.path("library")]
        let process = Process()
        process.executableURL = riffle
        process.arguments = ["generate", "folk song", "--duration", "8", "--variations", "6", "--seed", "100"] + library
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        var job = ""
        let deadline = Date().addingTimeInterval(60)
        while Date() < deadline {
            Thread.sleep(forTimeInterval: 0.2)
            let list = try run(["list", "--json"] + library)
            if let jobs = try? JSONSerialization.jsonObject(with: Data(list.output.utf8)) as? [[String: Any]],
               let takes = jobs.first?["takes"] as? [Any], !takes.isEmpty {
                job = ((jobs.first?["job"] as? [String: Any])?["id"] as? String) ?? ""
                break
            }
        }
        process.interrupt()
        process.waitUntilExit()
        let before = try run(["show", job, "--json"] + library)
        let kept = try #require(try JSONSerialization.jsonObject(with: Data(before.output.utf8)) as? [String: Any])
        #expect((kept["job"] as? [String: Any])?["status"] as? String == "cancelled")
        let keptTakes = try #require(kept["takes"] as? [[String: Any]])
        #expect(keptTakes.count < 6)

        let resumed = try run(["resume", job, "--json"] + library)
        #expect(resumed.status == 0, "\(resumed.errors)")
        let after = try #require(try JSONSerialization.jsonObject(with: Data(try run(["show", job, "--json"] + library).output.utf8)) as? [String: Any])
        #expect((after["job"] as? [String: Any])?["status"] as? String == "completed")
        let takes = try #require(after["takes"] as? [[String: Any]])
        #expect(Set(takes.compactMap { $0["seed"] as? Int }) == Set(100..<106))
        for take in keptTakes {
            #expect(takes.contains { $0["id"] as? String == take["id"] as? String && $0["path"] as? String == take["path"] as? String })
        }
        #expect(try run(["resume", job] + library).status == 2, "a completed job is not resumed")
    }
}

@Suite("riffle play", .enabled(if: FileManager.default.fileExists(atPath: "/usr/share/sounds/sf2/FluidR3_GM.sf2"), "needs fluid-soundfont-gm"))
struct PlayCommandTests {
    @Test("plays the take's own samples into an ALSA file sink; an unknown device exits 4 naming it")
    func play() throws {
        let temporary = try TemporaryDirectory()
        let library = ["--library", temporary.path("library")]
        let made = try run(["generate", "reggae 80 bpm", "--duration", "5", "--variations", "1", "--json"] + library)
        let report = try #require(try JSONSerialization.jsonObject(with: Data(made.output.utf8)) as? [String: Any])
        let take = try #require((report["results"] as? [[String: Any]])?.first)
        let id = try #require(take["id"] as? String)
        let sink = temporary.path("out.raw")
        let played = try run(["play", id, "--device", "file:'\(sink)',raw"] + library)
        #expect(played.status == 0, "\(played.errors)")
        let raw = try Data(contentsOf: URL(fileURLWithPath: sink))
        let samples = raw.withUnsafeBytes { Array($0.bindMemory(to: Float.self)) }
        let expected = try AudioFileReader.read(try #require(take["path"] as? String)).samples
        #expect(firstDifference(samples, expected) == nil)

        let missing = try run(["play", id, "--device", "nosuchdevice"] + library)
        #expect(missing.status == 4)
        #expect(missing.errors.contains("cannot open the audio device \"nosuchdevice\""))
        #expect(!missing.errors.contains("ALSA lib"), "ALSA's own diagnostics stay quiet")
    }
}
