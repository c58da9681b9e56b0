import Foundation
import RiffleAudio
import RiffleCore
import RiffleLibrary
import RiffleTUI

/// The library's records as the studio's panes show them.
enum StudioItems {
    static func job(_ record: JobRecord, takes: [TakeRecord], expanded: Bool = false) -> JobItem {
        JobItem(id: record.id, kind: record.kind.rawValue, prompt: record.prompt, status: JobItem.Status(rawValue: record.status.rawValue) ?? .failed,
                fraction: record.status == .completed ? 1 : 0, stage: record.status.rawValue, error: record.error,
                takes: takes.map(take), expanded: expanded && !takes.isEmpty)
    }

    static func take(_ record: TakeRecord) -> TakeItem {
        let interpretation = try? JSONDecoder().decode(Interpretation.self, from: Data(record.interpretation.utf8))
        let summary = interpretation.map { reading in
            [reading.genre.value, "\(Int(reading.bpm.value.rounded())) BPM", reading.key?.value.description, reading.timeSignature.value.description]
                .compactMap { $0 }.joined(separator: " · ")
        } ?? ""
        return TakeItem(id: record.id, variation: record.variation, seed: record.seed, score: record.score, rating: record.rating,
                        picked: record.picked, duration: record.duration, summary: summary)
    }

    static func progress(_ update: JobQueue.Update) -> JobProgress {
        JobProgress(jobID: update.jobID, status: JobItem.Status(rawValue: update.status.rawValue) ?? .failed, fraction: update.fraction,
                    stage: update.stage, secondsLeft: update.secondsLeft, error: update.error)
    }

    static func presets(_ catalog: PresetCatalog) -> [PresetItem] {
        catalog.presets.map(PresetItem.init).sorted { $0.title.localizedCaseInsensitiveCompare($1.title) == .orderedAscending }
    }
}
