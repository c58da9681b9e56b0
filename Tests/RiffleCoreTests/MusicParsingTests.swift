import RiffleCore
import Testing

@Suite("Keys and time signatures as people write them")
struct MusicParsingTests {
    @Test("key spellings", arguments: [
        ("C major", "C major", 0), ("F# minor", "F# minor", 6), ("Bb", "Bb major", 10), ("Am", "A minor", 9),
        ("C#m", "C# minor", 1), ("bb minor", "Bb minor", 10), ("Eb min", "Eb minor", 3), ("F sharp minor", "F# minor", 6),
        ("D dorian", "D dorian", 2), ("g mixolydian", "G mixolydian", 7), ("E aeolian", "E minor", 4), ("Gbm", "Gb minor", 6),
        ("A♭ major", "Ab major", 8), ("CM", "C major", 0), ("  D  ", "D major", 2), ("B flat", "Bb major", 10),
    ])
    func keys(text: String, expected: String, tonic: Int) throws {
        let key = try #require(MusicalKey(text), "\"\(text)\" should parse")
        #expect(key.description == expected)
        #expect(key.tonicPitchClass == tonic)
    }

    @Test("things that are not keys", arguments: ["", "H major", "C majestic", "minor", "C##", "Cx", "12", "C minor please"])
    func notKeys(text: String) {
        #expect(MusicalKey(text) == nil)
    }

    @Test("scales follow the mode")
    func scales() {
        #expect(MusicalKey("A minor")?.scalePitchClasses == [9, 11, 0, 2, 4, 5, 7])
        #expect(MusicalKey("D dorian")?.scalePitchClasses == [2, 4, 5, 7, 9, 11, 0])
        #expect(MusicalKey("F# major")?.scalePitchClasses == [6, 8, 10, 11, 1, 3, 5])
    }

    @Test("supported time signatures", arguments: ["2/4", "3/4", "4/4", "5/4", "6/8", "7/8", "12/8"])
    func supportedMetres(text: String) throws {
        #expect(try #require(TimeSignature(text)).description == text)
    }

    @Test("unsupported or malformed time signatures", arguments: ["9/8", "4/3", "4", "4/", "/4", "four/four", "3/4/4", "0/4"])
    func unsupportedMetres(text: String) {
        #expect(TimeSignature(text) == nil)
    }

    @Test("compound metres group in threes")
    func compound() {
        #expect(TimeSignature("6/8")!.isCompound)
        #expect(TimeSignature("12/8")!.isCompound)
        #expect(!TimeSignature("7/8")!.isCompound)
        #expect(!TimeSignature("3/4")!.isCompound)
    }

    @Test("format names", arguments: [("wav", AudioFormat.wav), ("FLAC", .flac), (".ogg", .ogg), ("Mp3", .mp3)])
    func formats(text: String, format: AudioFormat) {
        #expect(AudioFormat(name: text) == format)
    }

    @Test("format from a path")
    func formatFromPath() {
        #expect(AudioFormat(pathExtensionOf: "/tmp/takes/take-1.flac") == .flac)
        #expect(AudioFormat(pathExtensionOf: "/tmp/v1.2/take") == nil)
        #expect(AudioFormat(pathExtensionOf: "take.aiff") == nil)
    }
}
