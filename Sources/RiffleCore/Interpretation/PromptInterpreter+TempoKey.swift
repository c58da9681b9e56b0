import Foundation

/// Numbers and names: a tempo ("126 BPM") and a key ("in A minor", "F#m").
extension PromptInterpreter {
    // MARK: Tempo: "126 BPM", "126bpm", "126-bpm", "at 90 beats per minute".

    func tempo(at index: Int, _ lower: [String], _ reading: inout Reading) -> Int? {
        let word = lower[index]
        var number: Double?
        var used = 0
        if word.hasSuffix("bpm"), let value = Double(word.dropLast(3).trimmingCharacters(in: CharacterSet(charactersIn: "-"))) {
            number = value
            used = 1
        } else if let value = Double(word) {
            if index + 1 < lower.count, lower[index + 1] == "bpm" {
                number = value
                used = 2
            } else if index + 3 < lower.count, lower[(index + 1)...(index + 3)] == ["beats", "per", "minute"] {
                number = value
                used = 4
            }
        }
        guard let number else { return nil }
        if GenerationRequest.Limits.tempo.contains(number) {
            if reading.tempo == nil { reading.tempo = number }
        } else {
            reading.notes.append("\(formatted(number)) BPM is outside 30 to 300 BPM: ignored")
        }
        return used
    }

    // MARK: Key: "in A minor", "key of F#", "D dorian", "Am", "C#m", "Bb".

    private static let modeWords: Set<String> = ["major", "minor", "maj", "min", "dorian", "phrygian", "lydian",
                                                 "mixolydian", "locrian", "aeolian", "ionian"]

    func key(at index: Int, _ words: [String], _ lower: [String], _ reading: inout Reading) -> Int? {
        // "in <key>" and "key of <key>": the key phrase may be a bare letter ("in A", "key of E").
        var lead = 0
        if lower[index] == "in" { lead = 1 }
        if lower[index] == "key", index + 1 < lower.count, lower[index + 1] == "of" { lead = 2 }
        if lead > 0 {
            for length in stride(from: 3, through: 1, by: -1) where index + lead + length <= words.count {
                let phrase = words[(index + lead)..<(index + lead + length)].joined(separator: " ")
                // One word alone must look like a key name: "in a dreamy mood" is not A major.
                let tonic = words[index + lead]
                if length == 1, !(tonic.first!.isUppercase || tonic.count == 2) { continue }
                if let found = MusicalKey(phrase), Self.looksLikeTonic(tonic) {
                    record(found, &reading)
                    return lead + length
                }
            }
            return nil
        }
        // "<tonic> <mode>" or "<tonic> sharp|flat <mode>" anywhere.
        if Self.looksLikeTonic(words[index]) {
            for length in [3, 2] where index + length <= words.count {
                let last = lower[index + length - 1]
                guard Self.modeWords.contains(last) || (length == 2 && ["sharp", "flat"].contains(last)) else { continue }
                if let found = MusicalKey(words[index..<(index + length)].joined(separator: " ")) {
                    record(found, &reading)
                    return length
                }
            }
        }
        // A bare chord-style name, capitalised so that "am" in a sentence is not A minor.
        let word = words[index]
        if word.count >= 2, let first = word.first, "ABCDEFG".contains(first),
           word.dropFirst().allSatisfy({ "#♯b♭mMinaj".contains($0) }), let found = MusicalKey(word) {
            record(found, &reading)
            return 1
        }
        return nil
    }

    /// A tonic letter, with or without an accidental: "A", "f#", "Bb".
    private static func looksLikeTonic(_ word: String) -> Bool {
        guard let first = word.first, "ABCDEFGabcdefg".contains(first), word.count <= 2 else { return false }
        return word.count == 1 || "#♯b♭".contains(word.last!)
    }

    private func record(_ key: MusicalKey, _ reading: inout Reading) {
        if reading.key == nil { reading.key = key } else if reading.key != key {
            reading.notes.append("the prompt names more than one key: using \(reading.key!)")
        }
    }
}
