import Foundation
import RiffleAudio
import RiffleTestSupport
import Testing

/// The `riffle` binary beside this test bundle in the build folder.
private let riffle = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("riffle")

/// The studio in a shell that, once riffle ends, says how it exited and whether the terminal echoes and
/// reads lines again (stty prints -echo / -icanon when they are off).
private func studio(library: String, device: String = "null") -> String {
    "\(riffle.path) --library \(library) --device \"\(device)\"; echo RIFFLE_EXIT=$?; " +
        "stty -a | tr ' ' '\\n' | grep -E '^-?(echo|icanon)$' | tr '\\n' ' '; echo STTY_DONE; sleep 120"
}

/// Whether the pane's stty report says the terminal is back in its normal modes.
private func terminalRestored(_ screen: String) -> Bool {
    let words = screen.split(whereSeparator: \.isWhitespace)
    return words.contains("echo") && words.contains("icanon") && !words.contains("-echo") && !words.contains("-icanon")
}

@Suite("The studio's terminal handling, driven in tmux", .serialized)
struct StudioTerminalTests {
    @Test("a 2500-character paste shows whole (bracketed) or as typed, cut at 2000 with the count; a pasted newline does not generate; the next key is read")
    func paste() throws {
        try #require(toolIsInstalled("tmux"), "tmux is needed for this test: `make test-deps` installs it")
        let folder = try TemporaryDirectory()
        let session = try TmuxSession(command: studio(library: folder.path("library")))
        defer { session.kill() }
        try session.wait(for: "the studio to open") { $0.contains("No jobs yet") }

        // Bracketed, as a terminal's paste key sends it: a newline in it is a new line, not Enter.
        try session.paste("dreamy lo-fi\nwith rhodes", bracketed: true)
        let twoLines = try session.wait(for: "the paste on two lines") { $0.contains("│dreamy lo-fi ") && $0.contains("│with rhodes ") }
        #expect(twoLines.contains("24/2000") && twoLines.contains("No jobs yet"), "nothing was generated:\n\(twoLines)")
        try session.keys("C-u", "BSpace", "C-u")
        try session.wait(for: "the prompt to empty") { !$0.contains("/2000") }

        let words = ["dark", "techno", "rhodes", "piano", "strings", "dreamy", "minor", "breakdown", "rolling", "bassline"]
        let long = (0..<400).map { words[$0 % words.count] }.joined(separator: " ").prefix(2500)
        for bracketed in [true, false] {
            try session.paste(String(long), bracketed: bracketed)
            let screen = try session.wait(for: "the paste (bracketed: \(bracketed))") { $0.contains("2000/2000") }
            #expect(screen.contains(bracketed ? "Pasted 2000 of 2500 characters: the prompt holds at most 2000"
                                              : "The prompt is full: it holds at most 2000 characters"), "\(screen)")
            try session.keys("BSpace")
            try session.wait(for: "the next key to be read") { $0.contains("1999/2000") }
            try session.keys("C-u")
            try session.wait(for: "the prompt to empty") { !$0.contains("/2000") }
        }
        try session.keys("C-c")
        let after = try session.wait(for: "riffle to exit") { $0.contains("STTY_DONE") }
        #expect(after.contains("RIFFLE_EXIT=0") && terminalRestored(after), "\(after)")
    }

    @Test("CJK, emoji and a combining accent typed into the prompt show as typed, and the prompt's frame stays whole")
    func wideCharacters() throws {
        try #require(toolIsInstalled("tmux"), "tmux is needed for this test: `make test-deps` installs it")
        let folder = try TemporaryDirectory()
        let session = try TmuxSession(command: "LANG=C.UTF-8 " + studio(library: folder.path("library")))
        defer { session.kill() }
        try session.wait(for: "the studio to open") { $0.contains("No jobs yet") }
        try session.type("夢のような lo-fi 🎹 cafe\u{301} rhodes")
        let screen = try session.wait(for: "the text in the prompt") { $0.contains("🎹 café rhodes") && $0.contains("understood:") }
        let row = try #require(screen.split(separator: "\n").first { $0.contains("夢のような") }.map(String.init))
        #expect(row.contains("夢のような lo-fi 🎹 café rhodes"), "the accent stays on its letter: \(row)")
        // The pane's right edge is where the prompt's frame has it, not pushed off by the wide characters.
        #expect(row.trimmingCharacters(in: .whitespaces).hasSuffix("│"), "\(row)")
        #expect(screen.contains("understood:"))
        try session.keys("C-c")
        try session.wait(for: "riffle to exit") { $0.contains("STTY_DONE") }
    }

    @Test("an xterm SGR mouse report, as the terminal sends it for a click, focuses the pane clicked, whatever kmous the TERM has",
          arguments: ["tmux-256color", "xterm-256color"])
    func mouseClick(term: String) throws {
        try #require(toolIsInstalled("tmux"), "tmux is needed for this test: `make test-deps` installs it")
        let folder = try TemporaryDirectory()
        let session = try TmuxSession(command: "TERM=\(term) " + studio(library: folder.path("library")))
        defer { session.kill() }
        try session.wait(for: "the studio to open") { $0.contains("No jobs yet") }
        // A press and release of the left button on the Jobs pane (column 60, row 12, counted from 1)...
        try session.type("\u{1b}[<0;60;12M\u{1b}[<0;60;12m")
        try session.wait(for: "the jobs pane's keys") { $0.contains("1-5 rate") }
        // ...and on the third genre (the list is alphabetical: Afrobeat, Ambient, Blues).
        try session.type("\u{1b}[<0;5;5M\u{1b}[<0;5;5m")
        let screen = try session.wait(for: "the genre highlighted") { $0.contains("Enter use genre") }
        #expect(screen.contains("│› Blues"), "\(screen)")
        try session.keys("C-c")
        let after = try session.wait(for: "riffle to exit") { $0.contains("STTY_DONE") }
        #expect(after.contains("RIFFLE_EXIT=0") && terminalRestored(after), "\(after)")
    }

    @Test("the prompt history outlives the session: ↑ in a new studio brings back the library's last prompt")
    func historyAcrossLaunches() throws {
        try #require(toolIsInstalled("tmux"), "tmux is needed for this test: `make test-deps` installs it")
        let folder = try TemporaryDirectory()
        let library = folder.path("library")
        let made = try runProcess(riffle, ["generate", "sparse piano in the rain", "--duration", "5", "--variations", "1", "--library", library])
        try #require(made.status == 0, "\(made.errors)")
        let session = try TmuxSession(command: studio(library: library))
        defer { session.kill() }
        try session.wait(for: "the studio to open with the job") { $0.contains("take 1") }
        try session.keys("Up")
        try session.wait(for: "the last prompt, from the library") { $0.contains("│sparse piano in the rain") }
        try session.keys("C-c")
        try session.wait(for: "riffle to exit") { $0.contains("STTY_DONE") }
    }

    @Test("Export asks where and in what format: the take goes to the file typed, encoded as its extension says, with its MIDI")
    func exportWhereAsked() throws {
        try #require(toolIsInstalled("tmux"), "tmux is needed for this test: `make test-deps` installs it")
        let folder = try TemporaryDirectory()
        let library = folder.path("library"), target = folder.path("mixes/best.wav")
        let made = try runProcess(riffle, ["generate", "calm piano", "--duration", "5", "--variations", "1", "--library", library])
        try #require(made.status == 0, "\(made.errors)")
        let session = try TmuxSession(command: studio(library: library))
        defer { session.kill() }
        try session.wait(for: "the studio to open with the take") { $0.contains("take 1") }
        try session.keys("Tab", "Tab", "Tab", "m")
        try session.wait(for: "the menu") { $0.contains("Actions ·") }
        try session.keys("Down", "Down", "Down", "Enter")
        try session.wait(for: "the export line") { $0.contains("Tab format · Enter export · Esc cancel") }
        try session.keys("C-u")
        try session.type(String(target.dropLast(4)) + ".flac")
        try session.keys("Tab", "Tab", "Tab")  // flac → ogg → mp3 → wav
        try session.wait(for: "the path typed, in WAV") { $0.contains("best.wav▏") }
        try session.keys("Enter")
        try session.wait(for: "the export to finish") { $0.contains("Exported") }
        let audio = try AudioFileReader.read(target)
        #expect(abs(audio.duration - 5) < 0.1)
        #expect(FileManager.default.fileExists(atPath: folder.path("mixes/best.mid")))
        let header = try #require(FileManager.default.contents(atPath: target)).prefix(4)
        #expect(header == Data("RIFF".utf8), "a WAV file")
        try session.keys("C-c")
        try session.wait(for: "riffle to exit") { $0.contains("STTY_DONE") }
    }

    @Test("F2 lists the Composer and each folder of the library's models folder with a config.json (sized through links, mono or stereo, a broken one with why); a broken model is refused, a whole one chosen")
    func enginePicker() throws {
        try #require(toolIsInstalled("tmux"), "tmux is needed for this test: `make test-deps` installs it")
        let folder = try TemporaryDirectory()
        let library = folder.path("library"), models = folder.path("library/models")
        let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Fixtures/musicgen")
        let files = FileManager.default
        // A whole snapshot whose weights are a link into a blob store, as the hub's cache lays them out.
        try files.createDirectory(atPath: models + "/tiny-stereo", withIntermediateDirectories: true)
        try files.createDirectory(atPath: folder.path("blobs"), withIntermediateDirectories: true)
        for name in ["config.json", "spiece.model"] {
            try files.copyItem(atPath: fixtures.appendingPathComponent("tiny-stereo/\(name)").path, toPath: models + "/tiny-stereo/\(name)")
        }
        try files.copyItem(atPath: fixtures.appendingPathComponent("tiny-stereo/model.safetensors").path, toPath: folder.path("blobs/weights"))
        try files.createSymbolicLink(atPath: models + "/tiny-stereo/model.safetensors", withDestinationPath: folder.path("blobs/weights"))
        // A download that stopped after the config, and a folder that is no model at all.
        try files.createDirectory(atPath: models + "/half", withIntermediateDirectories: true)
        try files.copyItem(atPath: fixtures.appendingPathComponent("tiny-mono/config.json").path, toPath: models + "/half/config.json")
        try files.createDirectory(atPath: models + "/notes", withIntermediateDirectories: true)
        try Data("not a model".utf8).write(to: URL(fileURLWithPath: models + "/notes/README"))

        let session = try TmuxSession(command: studio(library: library))
        defer { session.kill() }
        try session.wait(for: "the studio to open") { $0.contains("No jobs yet") && $0.contains("Composer · F2") }
        try session.keys("F2")
        let screen = try session.wait(for: "the picker with the models") { $0.contains("MusicGen · tiny-stereo") }
        #expect(screen.contains("Composer (built in) ●"), "\(screen)")
        #expect(screen.contains("MusicGen · tiny-stereo · 2 MB · stereo"), "the linked weights are counted: \(screen)")
        #expect(screen.contains("MusicGen · half · 2 kB · mono  (no model.safetensors in its folder)"), "\(screen)")
        #expect(!screen.contains("notes") && !screen.contains("riffle models pull"), "\(screen)")
        // Sorted by name: Composer, half, tiny-stereo. The half download cannot be chosen; the whole one can.
        try session.keys("End", "Up", "Enter")
        try session.wait(for: "the refusal") { $0.contains("MusicGen · half cannot be used: no model.safetensors in its folder") }
        try session.keys("Down", "Enter")
        try session.wait(for: "the choice in the prompt's frame") { !$0.contains("Engine for new jobs") && $0.contains("MusicGen · tiny-stereo") }
        try session.keys("C-c")
        let after = try session.wait(for: "riffle to exit") { $0.contains("STTY_DONE") }
        #expect(after.contains("RIFFLE_EXIT=0"), "\(after)")
    }

    @Test("on a terminal too small for the studio q quits, as the screen says, and nothing was typed")
    func tooSmall() throws {
        try #require(toolIsInstalled("tmux"), "tmux is needed for this test: `make test-deps` installs it")
        let folder = try TemporaryDirectory()
        let session = try TmuxSession(command: studio(library: folder.path("library")))
        defer { session.kill() }
        try session.wait(for: "the studio to open") { $0.contains("No jobs yet") }
        try session.resize(width: 60, height: 20)
        try session.wait(for: "the too-small screen") { $0.contains("Enlarge it, or q to quit.") }
        try session.type("x")
        try session.keys("q")
        let after = try session.wait(for: "riffle to exit") { $0.contains("STTY_DONE") }
        #expect(after.contains("RIFFLE_EXIT=0") && terminalRestored(after), "\(after)")
    }

    @Test("SIGPIPE does not end the studio: a FIFO's reader going away is said as \"no sound\", kill -PIPE is ignored, and the terminal comes back")
    func brokenPipe() throws {
        try #require(toolIsInstalled("tmux"), "tmux is needed for this test: `make test-deps` installs it")
        let folder = try TemporaryDirectory()
        let library = folder.path("library"), fifo = folder.path("device.fifo")
        let made = try runProcess(riffle, ["generate", "calm piano", "--duration", "5", "--variations", "1", "--library", library])
        try #require(made.status == 0, "\(made.errors)")
        try #require(mkfifo(fifo, 0o600) == 0)
        // The device is a FIFO. Its first reader sees the studio's probe of the device open and close it; the
        // second takes 100 kB of what plays (half a second) and goes away, so the next write meets no reader.
        let reader = "(cat \(fifo) > /dev/null; head -c 100000 \(fifo) > /dev/null) & "
        let session = try TmuxSession(command: reader + studio(library: library, device: "file:'\(fifo)',raw"))
        defer { session.kill() }
        try session.wait(for: "the studio to open with the take") { $0.contains("take 1") }
        try session.keys("Tab", "Tab", "Tab")
        try session.wait(for: "the jobs pane") { $0.contains("1-5 rate") }
        try session.keys("Space")
        try session.wait(for: "playback to fail, said in the status bar") { $0.contains("No sound: playback on") }

        // Sent from outside, SIGPIPE is ignored too: the studio still answers keys.
        let shell = try session.pid()
        let studioPID = try #require(childProcesses(of: shell).first { processName($0) == "riffle" }, "riffle's process")
        #expect(Foundation.kill(studioPID, SIGPIPE) == 0)
        try session.keys("?")
        try session.wait(for: "the help, after SIGPIPE") { $0.contains("this help; any key or click closes it") }
        try session.keys("Escape", "C-c")
        let after = try session.wait(for: "riffle to exit") { $0.contains("STTY_DONE") }
        #expect(after.contains("RIFFLE_EXIT=0") && terminalRestored(after), "\(after)")
    }
}

@Suite("riffle and a reader that goes away")
struct BrokenPipeTests {
    @Test("riffle play into a FIFO whose reader goes away ends with an error naming the device, not killed by SIGPIPE (141)")
    func playIntoAClosedFIFO() throws {
        let folder = try TemporaryDirectory()
        let library = folder.path("library"), fifo = folder.path("device.fifo")
        let made = try runProcess(riffle, ["generate", "calm piano", "--duration", "5", "--variations", "1", "--library", library, "--json"])
        try #require(made.status == 0, "\(made.errors)")
        let answer = try #require(try JSONSerialization.jsonObject(with: Data(made.output.utf8)) as? [String: Any])
        let job = try #require(answer["job_id"] as? String)
        try #require(mkfifo(fifo, 0o600) == 0)
        let reader = Process()
        reader.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        reader.arguments = ["sh", "-c", "head -c 100000 \(fifo) > /dev/null"]
        try reader.run()
        let played = try runProcess(riffle, ["play", "\(job)-1", "--library", library, "--device", "file:'\(fifo)',raw"])
        reader.waitUntilExit()
        #expect(played.status == 4, "status \(played.status): \(played.errors)")
        #expect(played.errors.contains("playback on \"file:'\(fifo)',raw\" failed"), "\(played.errors)")
    }
}

/// The processes whose parent is `pid`, from /proc.
private func childProcesses(of pid: Int32) -> [Int32] {
    let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
    return entries.compactMap(Int32.init).filter { child in
        guard let stat = try? String(contentsOfFile: "/proc/\(child)/stat", encoding: .utf8), let close = stat.lastIndex(of: ")") else { return false }
        // After the name in parentheses: the state, then the parent's pid.
        let fields = stat[stat.index(after: close)...].split(separator: " ")
        return fields.count > 1 && Int32(fields[1]) == pid
    }
}

private func processName(_ pid: Int32) -> String {
    ((try? String(contentsOfFile: "/proc/\(pid)/comm", encoding: .utf8)) ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
}
