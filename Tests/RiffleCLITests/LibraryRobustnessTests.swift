import Foundation
import RiffleAudio
import RiffleTestSupport
import Testing

/// The `riffle` binary beside this test bundle in the build folder.
private let riffle = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("riffle")
private let soundFontInstalled = FileManager.default.fileExists(atPath: "/usr/share/sounds/sf2/FluidR3_GM.sf2")

private func run(_ arguments: [String]) throws -> ProcessResult {
    try runProcess(riffle, arguments)
}

private func json(_ text: String) throws -> Any {
    try JSONSerialization.jsonObject(with: Data(text.utf8))
}

/// `arguments` as shell words.
private func words(_ arguments: [String]) -> String {
    arguments.map(shellQuoted).joined(separator: " ")
}

/// The shell line that runs riffle with `arguments` (shell words) and keeps how it went in
/// `folder`/`name`.{out,err,status}.
private func step(_ name: String, _ arguments: String, in folder: String) -> String {
    let base = shellQuoted(folder + "/" + name)
    return "\(shellQuoted(riffle.path)) \(arguments) > \(base).out 2> \(base).err; echo $? > \(base).status"
}

/// The shell line that checkpoints the library's database and closes it, as the last connection to
/// close does: the write-ahead log is folded in and it and the shared-memory index are removed.
private func checkpoint(_ library: String) -> String {
    #"python3 -c "import sqlite3, sys; c = sqlite3.connect(sys.argv[1]); c.execute('PRAGMA wal_checkpoint(TRUNCATE)'); c.close()" "#
        + shellQuoted(library + "/riffle.sqlite")
}

/// How a step of a namespace script went.
private struct Step {
    var status: Int32
    var output: String
    var errors: String
}

private func result(_ name: String, in folder: String) throws -> Step {
    func read(_ suffix: String) throws -> String { try String(contentsOfFile: "\(folder)/\(name).\(suffix)", encoding: .utf8) }
    return Step(status: Int32(try read("status").trimmingCharacters(in: .whitespacesAndNewlines)) ?? -1,
                output: try read("out"), errors: try read("err"))
}

/// Files a writer left half-done under `folder`.
private func partialFiles(under folder: String) -> [String] {
    (FileManager.default.enumerator(atPath: folder)?.compactMap { $0 as? String } ?? []).filter { $0.contains(".partial-") }
}

/// Makes a take in a new library: its job id, take id and the library's arguments.
private func oneTake(in library: String, seconds: Int = 5) throws -> (job: String, take: String) {
    let made = try run(["generate", "calm piano", "--duration", "\(seconds)", "--variations", "1", "--sample-rate", "22050",
                        "--seed", "3", "--json", "--library", library])
    #expect(made.status == 0, "\(made.errors)")
    let report = try #require(try json(made.output) as? [String: Any])
    let job = try #require(report["job_id"] as? String)
    let take = try #require((report["results"] as? [[String: Any]])?.first?["id"] as? String)
    return (job, take)
}

@Suite("Two Riffles on one library", .enabled(if: soundFontInstalled, "needs fluid-soundfont-gm"))
struct SharedLibraryTests {
    @Test("two `resume J` at once: one runs the job, the other is refused; the job ends complete with every take")
    func twoResumes() throws {
        let temporary = try TemporaryDirectory()
        let library = ["--library", temporary.path("library")]
        let made = try run(["generate", "folk song", "--duration", "6", "--variations", "4", "--seed", "40", "--json"] + library)
        #expect(made.status == 0, "\(made.errors)")
        let job = try #require((try json(made.output) as? [String: Any])?["job_id"] as? String)
        // Three takes gone: the job is missing them, as one whose takes failed is.
        for take in 2...4 { #expect(try run(["delete", "\(job)-\(take)"] + library).status == 0) }

        let resumes = (0..<2).map { _ in
            let process = Process()
            process.executableURL = riffle
            process.arguments = ["resume", job] + library
            process.standardOutput = Pipe()
            process.standardError = Pipe()
            return process
        }
        for process in resumes { try process.run() }
        let outcomes = resumes.map { process in
            let errors = (process.standardError as? Pipe)?.fileHandleForReading.readDataToEndOfFile() ?? Data()
            _ = (process.standardOutput as? Pipe)?.fileHandleForReading.readDataToEndOfFile()
            process.waitUntilExit()
            return (status: process.terminationStatus, errors: String(decoding: errors, as: UTF8.self))
        }
        #expect(outcomes.map(\.status).sorted() == [0, 2], "\(outcomes)")
        let refused = try #require(outcomes.first { $0.status == 2 })
        #expect(refused.errors.contains("is being resumed by another Riffle (pid") || refused.errors.contains("is completed"),
                "\(refused.errors)")

        let shown = try #require(try json(try run(["show", job, "--json"] + library).output) as? [String: Any])
        let record = try #require(shown["job"] as? [String: Any])
        #expect(record["status"] as? String == "completed" && record["error"] == nil, "\(record)")
        let takes = try #require(shown["takes"] as? [[String: Any]])
        #expect(Set(takes.compactMap { $0["seed"] as? Int }) == Set(40..<44))
        for take in takes {
            #expect(abs(try AudioFileReader.read(try #require(take["path"] as? String)).duration - 6) < 0.001)
        }
        #expect(partialFiles(under: temporary.path("library")).isEmpty)
    }
}

@Suite("A library that cannot be written: read-only, or on a full disk",
       .enabled(if: soundFontInstalled, "needs fluid-soundfont-gm"),
       .enabled(if: mountNamespacesWork, "needs unshare and mounts in a user namespace"))
struct UnwritableLibraryTests {
    @Test("on a read-only mount, list, show, export and play work; rate and generate say the library is read-only (exit 4)")
    func readOnly() throws {
        let temporary = try TemporaryDirectory()
        let library = temporary.path("library")
        let (job, take) = try oneTake(in: library)
        let out = temporary.path("out")
        try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
        // Every connection closed cleanly first (no -shm or -wal left, as after any clean exit), then read-only.
        let script = """
            \(checkpoint(library))
            mount --bind \(shellQuoted(library)) \(shellQuoted(library))
            mount -o remount,bind,ro \(shellQuoted(library))
            set +e
            \(step("list", words(["list", "--json", "--library", library]), in: out))
            \(step("show", words(["show", job, "--library", library]), in: out))
            \(step("export", words(["export", take, "--out", out + "/exported.wav", "--library", library]), in: out))
            \(step("play", words(["play", take, "--device", "file:'\(out)/played.raw',raw", "--library", library]), in: out))
            \(step("rate", words(["rate", take, "4", "--library", library]), in: out))
            \(step("generate", words(["generate", "calm piano", "--duration", "5", "--library", library]), in: out))
            """
        let namespace = try runInMountNamespace(script)
        #expect(namespace.status == 0, "\(namespace.errors)")
        for name in ["list", "show", "export", "play"] {
            let step = try result(name, in: out)
            #expect(step.status == 0, "\(name): \(step.errors)")
        }
        #expect(try result("list", in: out).output.contains(take))
        #expect(try result("show", in: out).output.contains("job \(job): completed"))
        #expect(abs(try AudioFileReader.read(out + "/exported.wav").duration - 5) < 0.001)
        #expect((try FileManager.default.attributesOfItem(atPath: out + "/played.raw")[.size] as? Int ?? 0) > 0)
        for name in ["rate", "generate"] {
            let step = try result(name, in: out)
            #expect(step.status == 4 && step.errors.contains("riffle: the library at \(library) is read-only"), "\(name): \(step.errors)")
        }
    }

    @Test("on a full disk, list, show and export work; rate and generate say there is no space left (exit 4)")
    func fullDisk() throws {
        let temporary = try TemporaryDirectory()
        let library = temporary.path("library")
        let out = temporary.path("out")
        for folder in [library, out] { try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true) }
        // The take is made on the small disk; then every connection is closed cleanly (no -shm or -wal
        // left, as after any clean exit) and the disk filled to the last block.
        let script = """
            mount -t tmpfs -o size=4m tmpfs \(shellQuoted(library))
            \(step("generate", words(["generate", "calm piano", "--duration", "5", "--variations", "1", "--sample-rate", "22050", "--seed", "3", "--json", "--library", library]), in: out))
            \(checkpoint(library))
            dd if=/dev/zero of=\(shellQuoted(library + "/filler")) bs=4k 2>/dev/null || true
            set +e
            \(step("list", words(["list", "--json", "--library", library]), in: out))
            take=$(python3 -c "import json, sys; print(json.load(open(sys.argv[1]))['results'][0]['id'])" \(shellQuoted(out + "/generate.out")))
            \(step("rate", "rate \"$take\" 4 " + words(["--library", library]), in: out))
            \(step("again", words(["generate", "calm piano", "--duration", "5", "--library", library]), in: out))
            """
        let namespace = try runInMountNamespace(script)
        #expect(namespace.status == 0, "\(namespace.errors)")
        let generate = try result("generate", in: out)
        #expect(generate.status == 0, "\(generate.errors)")
        let list = try result("list", in: out)
        #expect(list.status == 0, "\(list.errors)")
        let jobs = try #require(try json(list.output) as? [[String: Any]])
        #expect((jobs.first?["takes"] as? [Any])?.count == 1)
        for name in ["rate", "again"] {
            let step = try result(name, in: out)
            #expect(step.status == 4 && step.errors.contains("riffle: no space left on the device holding \(library)"), "\(name): \(step.errors)")
        }
    }

    @Test("takes that do not fit on the disk: exit 4 naming the cause; the job keeps what it made and resume finishes it")
    func takesThatDoNotFit() throws {
        let temporary = try TemporaryDirectory()
        let library = temporary.path("library")
        let out = temporary.path("out")
        for folder in [library, out] { try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true) }
        // Room for about one 24-bit 22050 Hz stereo WAV take of 5 s (660 kB) of the four asked for.
        let script = """
            mount -t tmpfs -o size=8m tmpfs \(shellQuoted(library))
            \(shellQuoted(riffle.path)) list --library \(shellQuoted(library)) > /dev/null
            free=$(python3 -c "import os, sys; s = os.statvfs(sys.argv[1]); print(s.f_bavail * s.f_frsize)" \(shellQuoted(library)))
            dd if=/dev/zero of=\(shellQuoted(library + "/filler")) bs=4096 count=$(( (free - 1000000) / 4096 )) 2>/dev/null
            set +e
            \(step("generate", words(["generate", "calm piano", "--duration", "5", "--variations", "4", "--sample-rate", "22050", "--format", "wav", "--seed", "11", "--library", library]), in: out))
            rm \(shellQuoted(library + "/filler"))
            \(step("list", words(["list", "--json", "--library", library]), in: out))
            job=$(python3 -c "import json, sys; print(json.load(open(sys.argv[1]))[0]['job']['id'])" \(shellQuoted(out + "/list.out")))
            \(step("resume", "resume \"$job\" " + words(["--library", library]), in: out))
            \(step("show", "show \"$job\" " + words(["--json", "--library", library]), in: out))
            find \(shellQuoted(library)) -name '.*partial-*' > \(shellQuoted(out + "/partials"))
            cp -r \(shellQuoted(library + "/takes")) \(shellQuoted(out + "/takes"))
            """
        let namespace = try runInMountNamespace(script)
        #expect(namespace.status == 0, "\(namespace.errors)")
        let generate = try result("generate", in: out)
        #expect(generate.status == 4, "\(generate.errors)")
        #expect(generate.errors.contains("no space left on the device holding \(library)"), "\(generate.errors)")
        let resume = try result("resume", in: out)
        #expect(resume.status == 0, "\(resume.errors)")
        let shown = try #require(try json(try result("show", in: out).output) as? [String: Any])
        #expect((shown["job"] as? [String: Any])?["status"] as? String == "completed")
        let takes = try #require(shown["takes"] as? [[String: Any]])
        #expect(Set(takes.compactMap { $0["seed"] as? Int }) == Set(11..<15))
        for take in takes {
            let path = try #require(take["path"] as? String).replacingOccurrences(of: library + "/takes", with: out + "/takes")
            #expect(abs(try AudioFileReader.read(path).duration - 5) < 0.001, "\(path)")
        }
        #expect(try String(contentsOfFile: out + "/partials", encoding: .utf8).isEmpty)
    }

    @Test("an MP3 that does not fit is an error naming the cause, not a short file that says it is whole")
    func mp3OnAFullDisk() throws {
        let temporary = try TemporaryDirectory()
        let disk = temporary.path("disk")
        let out = temporary.path("out")
        for folder in [disk, out] { try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true) }
        let tone = temporary.path("tone.wav")
        try AudioFileWriter.write(stereoSines(seconds: 5, sampleRate: 44100), to: tone, options: AudioWriteOptions(format: .wav))
        let script = """
            mount -t tmpfs -o size=12k tmpfs \(shellQuoted(disk))
            set +e
            \(step("convert", words(["convert", tone, disk + "/tone.mp3"]), in: out))
            ls -A \(shellQuoted(disk)) > \(shellQuoted(out + "/left"))
            """
        let namespace = try runInMountNamespace(script)
        #expect(namespace.status == 0, "\(namespace.errors)")
        let convert = try result("convert", in: out)
        #expect(convert.status == 4, "\(convert.output)")
        #expect(convert.errors.contains("cannot write \(disk)/tone.mp3: no space left on the device holding \(disk)"), "\(convert.errors)")
        #expect(try String(contentsOfFile: out + "/left", encoding: .utf8).isEmpty, "nothing is left under the name or half-written")
    }
}
