import Foundation
import RiffleAudio
import RiffleApp
import RiffleTestSupport
import Testing

/// The `riffle` binary beside this test bundle in the build folder.
private let riffle = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("riffle")

/// The id of the take in the title bar's playback status ("‖ j1a2b3c4d-2  0:10 / 0:10").
private func playingTake(_ screen: String) -> String? {
    let firstLine = screen.split(separator: "\n").first.map(String.init) ?? ""
    guard let match = firstLine.firstMatch(of: /[▶‖] (j[0-9a-f]{8}-\d+)/) else { return nil }
    return String(match.1)
}

@Suite("The studio, driven in tmux as a user would", .serialized)
struct StudioEndToEndTests {
    @Test("prompt → batch → play into an ALSA file sink → switch take → rate → pick → quit, terminal restored; the command line stores the same request")
    func wholeLoop() throws {
        try #require(toolIsInstalled("tmux"), "tmux is needed for this test: `make test-deps` installs it")
        let folder = try TemporaryDirectory()
        let library = folder.path("library"), sink = folder.path("played.raw")
        // After riffle ends, the pane says how it exited and whether the terminal echoes and reads
        // lines again (stty prints -echo / -icanon when they are off).
        let command = "\(riffle.path) --library \(library) --device \"file:'\(sink)',raw\"; echo RIFFLE_EXIT=$?; " +
            "stty -a | tr ' ' '\\n' | grep -E '^-?(echo|icanon)$' | tr '\\n' ' '; echo; sleep 120"
        let session = try TmuxSession(command: command)
        defer { session.kill() }

        try session.wait(for: "the studio to open") { $0.contains("No jobs yet") }
        // Shorter and fewer takes, through the sliders: duration 30 → 10 s, variations 4 → 2.
        try session.keys("Tab", "Tab")
        try session.keys("S-Left", "S-Left", "Down", "Down", "Down", "Down", "Left", "Left")
        try session.wait(for: "the sliders to move") { $0.contains("duration       10 s") && $0.contains("variations     2") }
        try session.keys("BTab", "BTab")
        try session.type("a gentle waltz in D minor with a music box")
        try session.wait(for: "the engine's reading of the prompt") { $0.contains("understood:") && $0.contains("3/4") }
        try session.keys("Enter")
        try session.wait(for: "the job to start") { $0.contains("running") || $0.contains("done") }
        let finished = try session.wait(for: "the batch to finish", seconds: 180) { $0.contains("● done") && $0.contains("2 takes") }
        #expect(finished.contains("take 1") && finished.contains("take 2"))

        // Play the best take (selected when the batch finished) from the jobs pane.
        try session.keys("Tab", "Tab", "Tab")
        try session.wait(for: "the jobs pane") { $0.contains("1-5 rate") }
        try session.keys("Space")
        let played = try session.wait(for: "the take to play to its end") { $0.contains("0:10 / 0:10") }
        let takeID = try #require(playingTake(played))
        let library1 = try Library(directory: URL(fileURLWithPath: library))
        let take = try #require(try library1.take(takeID))
        let audio = try AudioFileReader.read(take.audioPath)
        // The sink holds what the player wrote: 32-bit float frames, exactly the take's samples.
        let data = try Data(contentsOf: URL(fileURLWithPath: sink))
        let samples = data.withUnsafeBytes { Array($0.bindMemory(to: Float.self)) }
        #expect(samples.count == audio.samples.count)
        #expect(firstDifference(samples, audio.samples) == nil)

        // ] switches to the other take of the batch; rate it 4 and pick it.
        try session.keys("]")
        let switched = try session.wait(for: "the other take") { playingTake($0).map { $0 != takeID } ?? false }
        let otherID = try #require(playingTake(switched))
        try session.keys("4")
        try session.keys("p")
        try session.wait(for: "the pick mark") { $0.contains("★★★★☆ ✓ pick") }

        try session.keys("q")
        let after = try session.wait(for: "riffle to exit") { $0.contains("RIFFLE_EXIT=") }
        #expect(after.contains("RIFFLE_EXIT=0"))
        #expect(!after.contains("Genres"), "the studio's screen is gone")
        try session.wait(for: "stty's report") { $0.contains("echo") }
        let modes = try session.screen()
        let words = modes.split(whereSeparator: \.isWhitespace)
        #expect(words.contains("echo") && words.contains("icanon") && !words.contains("-echo") && !words.contains("-icanon"),
                "terminal modes: \(modes)")

        let reopened = try Library(directory: URL(fileURLWithPath: library))
        let rated = try #require(try reopened.take(otherID))
        #expect(rated.rating == 4 && rated.picked)
        #expect(try reopened.take(takeID)?.picked == false)

        // The same prompt and settings through the command line: the same stored request, so with
        // the studio's seed it is answered from the cache by the studio's own job…
        let studioJob = try #require(try reopened.job(take.jobID))
        let seed = try #require(studioJob.request.seed)
        let same = ["generate", "a gentle waltz in D minor with a music box", "--duration", "10", "--variations", "2",
                    "--seed", String(seed), "--library", library, "--json"]
        let cached = try runProcess(riffle, same)
        #expect(cached.status == 0, "\(cached.errors)")
        let answer = try #require(try JSONSerialization.jsonObject(with: Data(cached.output.utf8)) as? [String: Any])
        #expect(answer["cached"] as? Bool == true && answer["job_id"] as? String == studioJob.id, "\(cached.output)")
        // …and made again with --force, the command line's job stores exactly the studio's request.
        let forced = try runProcess(riffle, same + ["--force"])
        #expect(forced.status == 0, "\(forced.errors)")
        let made = try #require(try JSONSerialization.jsonObject(with: Data(forced.output.utf8)) as? [String: Any])
        let madeID = try #require(made["job_id"] as? String)
        let cliJob = try #require(try reopened.job(madeID))
        #expect(cliJob.id != studioJob.id)
        #expect(cliJob.request == studioJob.request && cliJob.cacheKey == studioJob.cacheKey)
        #expect(cliJob.request.guidanceScale != nil, "the stored request has its genre's guidance filled in")
    }
}
