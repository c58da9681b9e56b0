import Foundation
import RiffleCore

/// The last pass over a composed score: what a producer adds to the notes (pan, sustain pedal,
/// expression, pitch bends) so the parts sound played and placed, in the stems and the MIDI alike,
/// and the EQ and stereo width each stem gets after synthesis.
///
/// Deterministic without drawing from the seed's streams: which notes slide or bend is decided by a
/// stable hash of the note and the score (``Production/chance(_:)``), so adding it shifts no other choice.
enum Production {
    static func apply(to parts: inout [Score.Part], score: Score, style: ComposerStyle, interpretation: Interpretation) {
        let mix = style.mix
        let sound = interpretation.sound
        let vintage = min(1, max(mix.vintage, sound.vintage))
        let salt = scoreSalt(score)
        for index in parts.indices {
            var part = parts[index]
            var controllers = placement(part.role, mix: mix, sound: sound)
            if part.role != .drums {
                controllers += Articulation.pedal(part, chords: score.chords)
                controllers += Articulation.swells(part, barLength: score.barLength, depth: mix.swell)
            }
            if part.role == .bass && mix.glide > 0 {
                controllers += Articulation.glides(&part.notes, chance: mix.glide, salt: salt)
            }
            if part.role == .melody && mix.bends > 0 {
                controllers += Articulation.bends(part, chance: mix.bends, secondsPerQuarter: score.secondsPerQuarter, salt: salt)
            }
            // Stable order: what is set at time 0 (range, pan, send) stays ahead of anything later.
            part.controllers = controllers.enumerated().sorted { ($0.element.time, $0.offset) < ($1.element.time, $1.offset) }.map(\.element)
            part.mix = stemMix(part.role, mix: mix, sound: sound, vintage: vintage)
            parts[index] = part
        }
    }

    /// Pan and reverb send at the start. Dry parts get a send of 0, so a DAW's GM synth (which
    /// usually defaults to 40) leaves them as dry as the render.
    static func placement(_ role: Instrument.Role, mix: MixStyle, sound: SoundHints) -> [ScoreController] {
        let pan = min(1, max(-1, (mix.pan[role] ?? 0) * (1 + 0.5 * max(-1, min(1, sound.width)))))
        let send = RoomReverb.hasRoom(role) ? min(1, mix.reverb + max(0, sound.reverb) * (1 - mix.reverb)) : 0
        return [
            ScoreController(time: 0, kind: .pan, value: Int((64 + pan * 63).rounded())),
            ScoreController(time: 0, kind: .reverbSend, value: Int((send * 127).rounded())),
        ]
    }

    /// The clean-up filters, width and reference curve of `role`'s stem: the genre's table, then
    /// the prompt's hints on top.
    static func stemMix(_ role: Instrument.Role, mix: MixStyle, sound: SoundHints, vintage: Double) -> StemMix {
        var stem = StemMix()
        let carriesBass = role == .bass || role == .drums
        // Vintage rolls off both ends: worn tape and vinyl lose the deep lows and the top.
        stem.highPass = carriesBass ? (vintage > 0 ? 25 + 50 * vintage : 0) : max(mix.lowCut, vintage > 0 ? 60 + 150 * vintage : 0)
        stem.lowPass = vintage >= 0.3 ? 16000 - 10000 * vintage : 0
        let spread = max(0, 1 + max(-1, min(1, sound.width))) * (1 - 0.5 * vintage)
        stem.width = min(1, (mix.width[role] ?? 0) * spread)
        // Different delays per part, so two widened parts do not comb at the same frequencies.
        stem.widthDelay = switch role {
        case .drums: 11
        case .bass: 15
        case .harmony: 17
        case .melody: 13
        case .texture: 23
        }
        stem.reference = reference(mix.target, sound: sound, vintage: vintage)
        return stem
    }

    /// The genre's curve moved by the prompt: "bright" doubles the air share at most and lifts the
    /// presence, "dark" halves them; worn (vintage) sound loses sub and air.
    static func reference(_ target: MixStyle.BandShares, sound: SoundHints, vintage: Double) -> MixStyle.BandShares {
        let brightness = max(-1, min(1, sound.brightness))
        var curve = target
        curve.air *= pow(2, brightness) * (1 - 0.7 * vintage)
        curve.highMid *= pow(2, 0.5 * brightness) * (1 - 0.3 * vintage)
        curve.sub *= 1 - 0.6 * vintage
        return curve
    }

    /// A number that tells scores apart (key, tempo, metre), mixed into every note's hash.
    static func scoreSalt(_ score: Score) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in "\(score.key) \(score.bpm) \(score.timeSignature) \(score.genre)".utf8 {
            hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3
        }
        return hash
    }

    /// A stable number in 0..<1 from the values: the same note in the same score always gets the
    /// same one (Swift's `Hasher` is seeded per process, so it cannot be used here).
    static func chance(_ values: [UInt64]) -> Double {
        var state: UInt64 = 0x9e37_79b9_7f4a_7c15
        for value in values {
            // splitmix64's finaliser over each value in turn.
            state = (state ^ value) &+ 0x9e37_79b9_7f4a_7c15
            state = (state ^ (state >> 30)) &* 0xbf58_476d_1ce4_e5b9
            state = (state ^ (state >> 27)) &* 0x94d0_49bb_1331_11eb
            state ^= state >> 31
        }
        return Double(state >> 11) / Double(UInt64(1) << 53)
    }
}
