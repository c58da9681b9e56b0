import Foundation
import RiffleApp
import RiffleCore

/// The library's records and the service's events as the studio's panes show them.
public enum StudioItems {
    public static func job(_ record: JobRecord, takes: [TakeRecord], expanded: Bool = false) -> JobItem {
        JobItem(id: record.id, kind: record.kind.rawValue, engine: record.engine.name, prompt: record.prompt, status: record.status,
                fraction: record.status == .completed ? 1 : 0, stage: record.status.rawValue, error: record.error,
                takes: takes.map(take), expanded: expanded && !takes.isEmpty, parentTakeID: record.parentTakeID,
                expectedTakes: record.kind == .generate ? record.request.numVariations : nil)
    }

    public static func take(_ record: TakeRecord) -> TakeItem {
        let reading = record.interpretation
        // The key first: takes of one batch share genre, tempo and metre, and differ in key when it is
        // left to the engine, so it is what a narrow row must keep.
        let summary = [reading.key?.value.description, "\(Int(reading.bpm.value.rounded())) BPM", reading.genre.value,
                       reading.timeSignature.value.description].compactMap { $0 }.joined(separator: " · ")
        return TakeItem(id: record.id, variation: record.variation, seed: record.seed, score: record.score, rating: record.rating,
                        picked: record.picked, duration: record.duration, summary: summary, format: record.format,
                        scoreParts: (record.scoreParts ?? []).map { ScorePart(name: $0.name, score: $0.score, detail: $0.detail) })
    }

    public static func progress(_ update: JobQueue.Update) -> JobProgress {
        JobProgress(jobID: update.jobID, status: update.status, fraction: update.fraction, stage: update.stage,
                    secondsLeft: update.secondsLeft, error: update.error)
    }

    public static func waveform(_ stored: TakeWaveform) -> WaveformItem {
        WaveformItem(takeID: stored.takeID, peaks: stored.mix, stems: stored.stems.map { .init(name: $0.name, peaks: $0.peaks) },
                     sections: stored.sections.map { .init(name: $0.name, start: $0.start) })
    }

    public static func presets(_ catalog: PresetCatalog) -> [PresetItem] {
        catalog.presets.map(PresetItem.init).sorted { $0.title.localizedCaseInsensitiveCompare($1.title) == .orderedAscending }
    }
}
