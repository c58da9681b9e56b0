import Foundation
import RiffleCore

/// The parameter sliders: each a value in a range, with a fine and a coarse step.
public struct Parameters: Hashable, Sendable {
    /// One slider.
    public enum Slider: String, Hashable, Sendable, CaseIterable {
        case duration, tempo, key, timeSignature = "time signature", variations, temperature, topK = "top-k", topP = "top-p", guidance
    }

    /// The genre preset chosen in the presets pane; `nil`: from the prompt.
    public var genre: String?
    public var duration = GenerationRequest.Defaults.duration
    /// `nil`: from the prompt or the preset.
    public var tempo: Double?
    /// `nil`: chosen per take.
    public var key: MusicalKey?
    /// `nil`: from the prompt or the preset.
    public var timeSignature: TimeSignature?
    public var variations = GenerationRequest.Defaults.numVariations
    public var temperature = GenerationRequest.Defaults.temperature
    public var topK = GenerationRequest.Defaults.topK
    public var topP = GenerationRequest.Defaults.topP
    /// `nil`: the genre preset's (the one chosen, else the one the prompt reads as).
    public var guidance: Double?

    public init() {}

    /// The keys a slider steps through: auto, then every major and minor key.
    static let keys: [MusicalKey?] = [nil] + MusicalKey.Mode.allCases.filter { $0 == .major || $0 == .minor }.flatMap { mode in
        ["C", "Db", "D", "Eb", "E", "F", "F#", "G", "Ab", "A", "Bb", "B"].compactMap { MusicalKey("\($0) \(mode.rawValue)") }
    }
    static let metres: [TimeSignature?] = [nil] + TimeSignature.supported

    /// Moves `slider` by `steps` fine steps, or coarse ones; values stay within the request's limits.
    public mutating func step(_ slider: Slider, by steps: Int, coarse: Bool) {
        let limits = GenerationRequest.Limits.self
        func moved(_ value: Double, fine: Double, coarse coarseStep: Double, in range: ClosedRange<Double>) -> Double {
            let step = coarse ? coarseStep : fine
            let next = ((value / step).rounded() + Double(steps)) * step
            return min(max(next, range.lowerBound), range.upperBound)
        }
        switch slider {
        case .duration: duration = moved(duration, fine: 1, coarse: 10, in: limits.duration)
        case .tempo:
            // Below the lowest tempo is "auto": the prompt or the preset decides.
            if let tempo {
                let next = moved(tempo, fine: 1, coarse: 10, in: (limits.tempo.lowerBound - 1)...limits.tempo.upperBound)
                self.tempo = next < limits.tempo.lowerBound ? nil : next
            } else if steps > 0 {
                tempo = 120
            }
        case .key: key = Self.cycle(Self.keys, from: key, by: steps * (coarse ? 12 : 1))
        case .timeSignature: timeSignature = Self.cycle(Self.metres, from: timeSignature, by: steps)
        case .variations: variations = min(max(variations + steps * (coarse ? 4 : 1), limits.numVariations.lowerBound), limits.numVariations.upperBound)
        case .temperature: temperature = moved(temperature, fine: 0.05, coarse: 0.25, in: limits.temperature)
        case .topK: topK = Int(moved(Double(topK), fine: 5, coarse: 50, in: Double(limits.topK.lowerBound)...Double(limits.topK.upperBound)))
        case .topP: topP = moved(topP, fine: 0.05, coarse: 0.25, in: limits.topP)
        case .guidance:
            // Below the lowest guidance is "auto": the genre's own, as every front end normalises it.
            if let guidance {
                let next = moved(guidance, fine: 0.5, coarse: 2, in: (limits.guidanceScale.lowerBound - 0.5)...limits.guidanceScale.upperBound)
                self.guidance = next < limits.guidanceScale.lowerBound ? nil : next
            } else if steps > 0 {
                guidance = GenerationRequest.Defaults.guidanceScale
            }
        }
    }

    private static func cycle<T: Equatable>(_ options: [T], from current: T, by steps: Int) -> T {
        let index = options.firstIndex(of: current) ?? 0
        return options[min(max(index + steps, 0), options.count - 1)]
    }

    /// What a slider allows and how it moves, for the line under the sliders.
    public func range(_ slider: Slider) -> String {
        let limits = GenerationRequest.Limits.self
        func span<T>(_ range: ClosedRange<T>) -> String { "\(range.lowerBound)–\(range.upperBound)" }
        switch slider {
        case .duration: return "\(Int(limits.duration.lowerBound))–\(Int(limits.duration.upperBound)) s, step 1 / 10"
        case .tempo: return "auto, \(Int(limits.tempo.lowerBound))–\(Int(limits.tempo.upperBound)) BPM, step 1 / 10"
        case .key: return "auto or any major/minor key"
        case .timeSignature: return "auto, " + TimeSignature.supported.map(\.description).joined(separator: " ")
        case .variations: return span(limits.numVariations) + " takes per batch"
        case .temperature: return span(limits.temperature) + ", step 0.05 / 0.25"
        case .topK: return "off, 1–\(limits.topK.upperBound), step 5 / 50"
        case .topP: return "off, 0–1, step 0.05 / 0.25"
        case .guidance: return "auto (the genre's), " + span(limits.guidanceScale) + ", step 0.5 / 2"
        }
    }

    /// The slider's value as shown: "30 s", "auto", "F# minor".
    public func display(_ slider: Slider) -> String {
        switch slider {
        case .duration: "\(Int(duration)) s"
        case .tempo: tempo.map { "\(Int($0)) BPM" } ?? "auto"
        case .key: key?.description ?? "auto"
        case .timeSignature: timeSignature?.description ?? "auto"
        case .variations: "\(variations)"
        case .temperature: String(format: "%.2f", temperature)
        case .topK: topK == 0 ? "off" : "\(topK)"
        case .topP: topP == 0 ? "off" : String(format: "%.2f", topP)
        case .guidance: guidance.map { String(format: "%.1f", $0) } ?? "auto"
        }
    }
}

