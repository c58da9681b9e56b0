import Foundation
import RiffleCore

/// Builds bars of melody rhythm from rhythm cells: the genre's cells conditioned, generic ones
/// (quarters, eighths, halves, plain compound beats) unconditioned, so guidance pulls a line toward
/// the genre's rhythms and away from plain ones.
struct RhythmCells {
    let style: MelodyStyle
    let timeSignature: TimeSignature
    /// Notes per beat the line aims at (about 2 × density): tilts the draw toward busier or calmer cells.
    let notesPerBeat: Double

    /// One bar's rhythm: where notes start, how long each sounds (sixteenths), the cells used.
    struct Rhythm: Hashable {
        var onsets: [Int] = []
        var lengths: [Int] = []
        var cells: [String] = []
    }

    /// What music in general does: plain figures that start on the beat.
    static let generic: [(pattern: String, logit: Double)] = [
        ("x...", 0), ("x.x.", 0), ("x.......", -0.3), ("x.....x.", -0.6), ("x...x.x.", -0.6),
        ("x..x", -1.2), ("xxxx", -1.8), ("x.xx", -1.2), ("x...............", -1.2),
        ("x.....", 0), ("x.x.x.", 0), ("x...x.", -0.3), ("x...........", -0.8),
    ]

    /// The beat groups of a bar, in sixteenths: 4/4 is 4 4 4 4, 6/8 is 6 6, 7/8 is 4 4 6.
    var groups: [Int] {
        let beats = timeSignature.beatSteps
        return beats.indices.map { index in (index + 1 < beats.count ? beats[index + 1] : timeSignature.stepsPerBar) - beats[index] }
    }

    /// The cells on offer, with their conditioned and unconditioned logits (before the fit and the
    /// density tilt): the genre's weighted, generic ones it does not list kept but unlikely.
    var palette: [(pattern: String, conditioned: Double, unconditioned: Double)] {
        var options: [(pattern: String, conditioned: Double, unconditioned: Double)] = []
        var seen = Set<String>()
        for cell in style.cells where seen.insert(cell.pattern).inserted {
            let plain = Self.generic.first { $0.pattern == cell.pattern }?.logit ?? -1.5
            options.append((cell.pattern, log(cell.weight), plain))
        }
        let listed = !style.cells.isEmpty
        for cell in Self.generic where seen.insert(cell.pattern).inserted {
            // A preset that lists cells plays those; the generic ones stay only as a fallback.
            options.append((cell.pattern, listed ? -1.5 + 0.5 * cell.logit : cell.logit, cell.logit))
        }
        return options
    }

    /// Onsets per beat of a cell, for the density tilt.
    static func rate(_ pattern: String, groupSteps: Int) -> Double {
        let onsets = pattern.filter { $0 == "x" || $0 == "X" }.count
        return Double(onsets) * Double(groupSteps) / Double(max(1, pattern.count))
    }

    /// A bar of rhythm drawn cell by cell; `busier` (solos, drops) aims at more notes per beat.
    func bar(_ choices: inout Choices, busier: Bool = false) -> Rhythm {
        let groups = self.groups
        let palette = self.palette
        let target = notesPerBeat * (busier ? 1.4 : 1)
        var patterns: [String] = []
        var group = 0
        while group < groups.count {
            // Cells that end on a beat boundary from here.
            var spans: [Int: Int] = [:]
            var total = 0
            for (count, size) in groups[group...].enumerated() {
                total += size
                spans[total] = count + 1
            }
            let fitting = palette.filter { spans[$0.pattern.count] != nil }
            let beatSteps = groups[group]
            let options = fitting.isEmpty ? [(pattern: "x" + String(repeating: ".", count: beatSteps - 1), conditioned: 0.0, unconditioned: 0.0)] : fitting
            let pattern = choices.pick(options.map { option in
                // A compound beat holds three eighths where a simple one holds two.
                let tilt = -0.5 * abs(Self.rate(option.pattern, groupSteps: beatSteps) - target * Double(beatSteps) / 4)
                return (option.pattern, conditioned: option.conditioned + tilt, unconditioned: option.unconditioned)
            })
            patterns.append(pattern)
            group += spans[pattern.count] ?? 1
        }
        return Self.rhythm(of: patterns)
    }

    /// The notes a row of cells makes: a "." after a note holds it (across cells too), "_" ends it.
    static func rhythm(of patterns: [String]) -> Rhythm {
        var rhythm = Rhythm(cells: patterns)
        var step = 0
        var sounding = false
        for character in patterns.joined() {
            switch character {
            case "x", "X":
                rhythm.onsets.append(step)
                rhythm.lengths.append(1)
                sounding = true
            case "." where sounding:
                rhythm.lengths[rhythm.lengths.count - 1] += 1
            default:
                sounding = false
            }
            step += 1
        }
        if rhythm.onsets.isEmpty {
            // A bar of silence is no motif: the downbeat speaks.
            rhythm.onsets = [0]
            rhythm.lengths = [max(1, step)]
        }
        return rhythm
    }
}
