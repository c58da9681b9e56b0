import Foundation
import RiffleAudio
import RiffleEngine
import Synchronization
import Testing

/// A sink that keeps every frame written and takes a chunk every `pace` seconds, like a device
/// (faster than real time, so tests stay short).
final class RecordingSink: AudioSink, @unchecked Sendable {
    let sampleRate: Int
    let channelCount: Int
    private let pace: Double
    let written = Mutex<[Float]>([])
    let discards = Atomic<Int>(0)

    init(sampleRate: Int, channelCount: Int, pace: Double) {
        self.sampleRate = sampleRate
        self.channelCount = channelCount
        self.pace = pace
    }

    func write(_ samples: UnsafePointer<Float>, frames: Int) throws(PCMOutput.Failure) -> Int {
        if pace > 0 { Thread.sleep(forTimeInterval: pace) }
        let chunk = Array(UnsafeBufferPointer(start: samples, count: frames * channelCount))
        written.withLock { $0.append(contentsOf: chunk) }
        return frames
    }

    func discard() { discards.add(1, ordering: .relaxed) }
    func drain() {}
}

/// The sink the player opened, for the test to read.
final class SinkBox: @unchecked Sendable {
    private let lock = NSLock()
    private var opened: RecordingSink?
    var sink: RecordingSink? {
        get { lock.withLock { opened } }
        set { lock.withLock { opened = newValue } }
    }
}

@Suite("Player: play, seek, switch, loop and mute on the playback thread")
struct PlayerTests {
    /// Mono frames numbered 0, 1, 2, … (as floats), so any frame written says where it came from.
    static func numbered(_ frames: Int, rate: Int = 8000, offset: Float = 0) -> AudioBuffer {
        AudioBuffer(sampleRate: rate, channelCount: 1, samples: (0..<frames).map { Float($0) + offset })
    }

    static func player(pace: Double) -> (Player, SinkBox) {
        let box = SinkBox()
        let player = Player(openSink: { rate, channels in
            let sink = RecordingSink(sampleRate: rate, channelCount: channels, pace: pace)
            box.sink = sink
            return sink
        })
        return (player, box)
    }

    static func wait(until condition: () -> Bool, seconds: Double = 5) -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if condition() { return true }
            Thread.sleep(forTimeInterval: 0.002)
        }
        return condition()
    }

    static func recorded(_ box: SinkBox) -> [Float] {
        box.sink?.written.withLock { $0 } ?? []
    }

    @Test("a take played to its end reaches the device sample for sample, then playback stops")
    func playsEverything() {
        let (player, sink) = Self.player(pace: 0)
        defer { player.shutDown() }
        let audio = Self.numbered(20_000)
        player.play(.init(id: "a", mix: audio))
        #expect(Self.wait { !player.status.isPlaying && Self.recorded(sink).count == 20_000 })
        #expect(Bool(Self.recorded(sink) == audio.samples), "the samples written differ from the take's")
        #expect(player.status.position == 20_000.0 / 8000)
    }

    @Test("a seek while playing continues from the new place, and drops what the device had queued")
    func seeks() {
        let (player, sink) = Self.player(pace: 0.002)
        defer { player.shutDown() }
        player.play(.init(id: "a", mix: Self.numbered(80_000)))
        #expect(Self.wait { Self.recorded(sink).count >= 2048 })
        let discardsBefore = sink.sink!.discards.load(ordering: .relaxed)
        player.seek(to: 8.0)
        #expect(Self.wait { !player.status.isPlaying })
        let frames = Self.recorded(sink)
        // After the seek, the frames written run from 64000 to the end without a gap.
        let jump = frames.firstIndex(of: 64_000)
        #expect(jump != nil)
        if let jump { #expect(Bool(Array(frames[jump...]) == (64_000..<80_000).map(Float.init)), "a gap after the seek") }
        #expect(sink.sink!.discards.load(ordering: .relaxed) > discardsBefore)
    }

    @Test("switching take keeps the position (A/B) and plays the other take's frames from there")
    func switchesAtTheSamePosition() {
        let (player, sink) = Self.player(pace: 0.002)
        defer { player.shutDown() }
        player.play(.init(id: "a", mix: Self.numbered(80_000)))
        #expect(Self.wait { Self.recorded(sink).count >= 4096 })
        player.pause()
        let paused = player.status.position
        player.switchTo(.init(id: "b", mix: Self.numbered(80_000, offset: 1_000_000)))
        #expect(player.status.sourceID == "b")
        #expect(abs(player.status.position - paused) < 1.0 / 8000 + 1e-9)
        player.resume()
        #expect(Self.wait { Self.recorded(sink).contains { $0 >= 1_000_000 } })
        player.pause()
        let firstOfB = Self.recorded(sink).first { $0 >= 1_000_000 }!
        #expect(Double(firstOfB - 1_000_000) / 8000 == (paused * 8000).rounded() / 8000)
    }

    @Test("pause stops the writing; resume goes on from the same frame")
    func pausesAndResumes() {
        let (player, sink) = Self.player(pace: 0.002)
        defer { player.shutDown() }
        player.play(.init(id: "a", mix: Self.numbered(80_000)))
        #expect(Self.wait { Self.recorded(sink).count >= 2048 })
        player.pause()
        Thread.sleep(forTimeInterval: 0.02)
        let count = Self.recorded(sink).count
        Thread.sleep(forTimeInterval: 0.05)
        #expect(Self.recorded(sink).count == count)
        #expect(!player.status.isPlaying)
        let pausedAt = Int(player.status.position * 8000)
        player.resume()
        #expect(Self.wait { !player.status.isPlaying && player.status.position == 10 })
        // After the pause, playing goes on from the paused frame to the end: a chunk the device had
        // queued (and dropped) when paused is played again, nothing is skipped.
        let resumed = Array(Self.recorded(sink)[count...])
        let expected = (pausedAt..<80_000).map(Float.init)
        #expect(Bool(resumed == expected), "resumed at \(resumed.first ?? -1), \(resumed.count) frames; expected \(pausedAt)…")
    }

    @Test("a loop region repeats until the loop is cleared")
    func loops() {
        let (player, sink) = Self.player(pace: 0.001)
        defer { player.shutDown() }
        player.setLoop(1.0...1.5)
        player.play(.init(id: "a", mix: Self.numbered(80_000)))
        // Two passes over the 4000-frame region and more.
        #expect(Self.wait { Self.recorded(sink).count >= 10_000 })
        #expect(player.status.isPlaying)
        let frames = Self.recorded(sink)
        #expect(frames.allSatisfy { (8000..<12_000).contains(Int($0)) })
        #expect(frames.filter { $0 == 8000 }.count >= 2)
        player.setLoop(nil)
        #expect(Self.wait { !player.status.isPlaying })
        #expect(Self.recorded(sink).last == 79_999)
    }

    @Test("muted stems drop out of what is played; the rest still sum exactly")
    func mutesStems() {
        let (player, sink) = Self.player(pace: 0)
        defer { player.shutDown() }
        let drums = AudioBuffer(sampleRate: 8000, channelCount: 1, samples: Array(repeating: 0.25, count: 4096))
        let bass = AudioBuffer(sampleRate: 8000, channelCount: 1, samples: Array(repeating: 0.5, count: 4096))
        let mix = AudioBuffer(sampleRate: 8000, channelCount: 1, samples: Array(repeating: 0.75, count: 4096))
        player.setMuted([0])
        player.play(.init(id: "a", mix: mix, stems: [drums, bass]))
        #expect(Self.wait { !player.status.isPlaying })
        #expect(Bool(Self.recorded(sink) == bass.samples), "the muted stem was heard")
    }

    @Test("a device that cannot open is reported, and the player stays usable")
    func reportsDeviceFailure() {
        let failures = Mutex<[String]>([])
        let player = Player(openSink: { _, _ in throw PCMOutputFailureForTest() }, onFailure: { message in failures.withLock { $0.append(message) } })
        defer { player.shutDown() }
        player.play(.init(id: "a", mix: Self.numbered(1000)))
        #expect(Self.wait { !failures.withLock { $0 }.isEmpty })
        #expect(!player.status.isPlaying)
        #expect(failures.withLock { $0 }.first?.contains("no such device") == true)
    }

    @Test("the ALSA file sink receives exactly the samples played")
    func alsaFileSink() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("riffle-player-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("out.raw").path
        let player = Player(device: "file:'\(path)',raw")
        defer { player.shutDown() }
        let audio = AudioBuffer(sampleRate: 44100, channelCount: 2, samples: (0..<20_000).map { Float($0 % 200) / 200 - 0.5 })
        player.play(.init(id: "a", mix: audio))
        #expect(Self.wait { !player.status.isPlaying && player.status.position > 0 })
        player.shutDown()
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        let samples = data.withUnsafeBytes { Array($0.bindMemory(to: Float.self)) }
        #expect(Bool(samples == audio.samples), "\(samples.count) samples in the sink, \(audio.samples.count) played")
    }
}

struct PCMOutputFailureForTest: Error, CustomStringConvertible {
    var description: String { "no such device" }
}
