import Foundation
import RiffleCore
import Testing

@Suite("Style words, feels and tempo words")
struct StyleWordTests {
    @Test("style words are understood, named canonically, and nudge the sound", arguments: [
        ("80s synth pop", "80s"), ("eighties pop", "80s"), ("70s soul", "70s"), ("90s house", "90s"),
        ("pop with gated reverb", "gated reverb"), ("acid techno", "acid"), ("lo-fi with vinyl crackle", "vinyl"),
        ("crackle and hiss", "vinyl"), ("tape saturated lo-fi", "tape"), ("a piano ballad", "ballad"),
        ("an anthemic rock song", "anthem"), ("workout edm", "workout"), ("gym music", "workout"), ("lush ambient", "lush"),
        ("wide pads", "wide"), ("airy pop", "airy"), ("muffled house", "muffled"), ("chiptune", "chiptune"),
    ])
    func understood(prompt: String, style: String) {
        let result = reading(prompt)
        #expect(result.styles.contains(style), "\(prompt): \(result.styles)")
    }

    @Test("what each style asks of the mix")
    func sound() {
        let eighties = reading("80s pop").sound
        #expect(eighties.gatedReverb)
        #expect(eighties.reverb > 0 && eighties.width > 0)
        #expect(reading("pop with gated reverb").sound.gatedReverb)
        #expect(reading("lo-fi with vinyl crackle").sound.vintage > 0.3)
        #expect(reading("tape hiss").sound.vintage > 0.3)
        #expect(reading("lush ambient").sound.reverb > 0 && reading("lush ambient").sound.width > 0)
        #expect(reading("airy pop").sound.brightness > 0)
        #expect(reading("muffled house").sound.brightness < 0)
        #expect(reading("wide pads").sound.width > 0)
        #expect(reading("house").sound.isNeutral)
        // Hints add up but stay in range.
        let piled = reading("80s 90s lush wide stereo anthem reverb")
        #expect(piled.sound.width <= 1 && piled.sound.reverb <= 1)
    }

    @Test("acid brings a 303-style bass and a squelchy lead, unless the prompt names its own")
    func acid() {
        let result = reading("acid house")
        #expect(result.genre.value == "house")
        #expect(result.instruments.contains { $0.role == .bass && $0.program == 38 })
        #expect(result.instruments.contains { $0.role == .melody && $0.program == 87 })
        let named = reading("acid house with a reese bass")
        #expect(named.instruments.filter { $0.role == .bass }.map(\.name) == ["reese bass"])
        #expect(!reading("acid house, no bass").instruments.contains { $0.role == .bass })
    }

    @Test("a ballad is slow, warm and sad unless the prompt says otherwise")
    func ballad() {
        let sad = reading("pop ballad")
        #expect(sad.moods == ["warm", "sad"])
        #expect(sad.bpm.value < reading("pop").bpm.value)
        // Slow even where the genre's slowest is not (modern pop's is 95 BPM): a ballad is at most 80 BPM.
        #expect(reading("sad piano ballad").bpm.value <= 80)
        #expect(reading("pop ballad at 92 bpm").bpm.value == 92)
        #expect(reading("happy pop ballad").moods == ["happy"])
        #expect(reading("fast pop ballad").bpm.value > reading("pop").bpm.value)
    }

    @Test("a piano nocturne is a slow, calm classical piece with the piano named")
    func nocturne() {
        let result = reading("piano nocturne")
        #expect(result.genre == .init("classical", from: .prompt))
        #expect(result.moods == ["calm", "dreamy"])
        #expect(result.instruments.map(\.name) == ["piano"])
        #expect(result.bpm.value < reading("classical").bpm.value)
    }

    @Test("anthem and workout: their moods, tempo and feel")
    func anthemAndWorkout() {
        #expect(reading("rock anthem").moods.contains("uplifting"))
        let workout = reading("workout house")
        #expect(workout.moods == ["energetic"])
        #expect(workout.bpm.value >= 128)
        #expect(reading("lo-fi workout").bpm.value >= 120, "a workout is fast even in a slow genre")
        #expect(workout.arrangement.feels == ["four-on-the-floor"])
    }

    @Test("very, really and super push a tempo word to the end of the genre's range")
    func veryTempo() {
        // House runs 115 to 130 BPM.
        #expect(reading("very slow house").bpm.value == 115)
        #expect(reading("really slow house").bpm.value == 115)
        #expect(reading("very fast house").bpm.value == 130)
        #expect(reading("super fast house").bpm.value == 130)
        #expect(reading("slow house").bpm.value > reading("very slow house").bpm.value)
        // Before anything but a tempo word, very means nothing.
        #expect(reading("very dark house").bpm == .init(124, from: .preset))
        #expect(reading("very dark house").unusedWords.isEmpty)
    }

    @Test("one drop is a reggae feel, never a drop section")
    func oneDrop() {
        let result = reading("one drop groove")
        #expect(result.sections.isEmpty)
        #expect(result.arrangement.feels == ["one-drop"])
        #expect(result.genre == .init("reggae", from: .prompt))
        #expect(reading("dub with a one-drop riddim").arrangement.feels == ["one-drop"])
        // A genre named wins over the one the feel implies.
        #expect(reading("one drop rock").genre.value == "rock")
        #expect(reading("house with a drop").sections == [.drop])
    }

    @Test("feel words", arguments: [
        ("half-time drum and bass", "half-time"), ("half time dubstep", "half-time"), ("double-time trap hats", "double-time"),
        ("four on the floor", "four-on-the-floor"), ("four-on-the-floor disco", "four-on-the-floor"), ("blues shuffle", "shuffle"),
    ])
    func feels(prompt: String, feel: String) {
        #expect(reading(prompt).arrangement.feels.contains(feel))
    }

    @Test("shuffle is a feel and still a 12/8 metre")
    func shuffle() {
        let result = reading("rock shuffle")
        #expect(result.timeSignature.value == TimeSignature("12/8")!)
        #expect(result.arrangement.feels == ["shuffle"])
    }

    @Test("the words not used are reported, and only those")
    func unused() {
        #expect(reading("a cheerful tune with kazoo").unusedWords == ["kazoo"])
        #expect(reading("80s synthwave with gated reverb drums, no bass, and a sax solo").unusedWords.isEmpty)
        #expect(reading("string quartet playing a wistful hymn").unusedWords == ["playing", "wistful", "hymn"])
    }
}
