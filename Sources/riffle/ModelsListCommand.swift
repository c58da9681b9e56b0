import ArgumentParser
import Foundation
import RiffleApp
import RiffleMusicGen

/// `riffle models list` (and plain `riffle models`): what is installed.
struct ModelsListCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "List the installed models: name, parameters, size on disk, sample rate and channels.",
        discussion: """
        Each model's config and safetensors headers are read, not its weights, so listing is quick. \
        A folder that is not a usable model is listed with its problem.
        """
    )

    @OptionGroup var libraryOptions: LibraryOptions

    @Flag(help: "Print JSON instead of a table.")
    var json = false

    struct Report: Encodable {
        var name: String
        var folder: String
        var sizeBytes: Int64
        var parameters: Int?
        var sampleRate: Int?
        var channels: Int?
        var repo: String?
        var commit: String?
        var problem: String?

        enum CodingKeys: String, CodingKey {
            case name, folder, parameters, channels, repo, commit, problem
            case sizeBytes = "size_bytes", sampleRate = "sample_rate"
        }
    }

    func run() throws {
        let store = modelStore(libraryOptions)
        let models = try callingModels { try store.installed() }
        let reports = models.map { model in
            var report = Report(name: model.name, folder: model.folder, sizeBytes: model.bytes, repo: model.source?.repo, commit: model.source?.commit)
            do {
                let info = try ModelInfo(folder: model.folder)
                report.parameters = info.parameters
                report.sampleRate = info.sampleRate
                report.channels = info.channels
            } catch {
                report.problem = "\(error)"
            }
            return report
        }
        if json {
            try printJSON(reports)
            return
        }
        guard !reports.isEmpty else {
            printError("no models installed in \(store.folder.path); `riffle models pull facebook/musicgen-small` downloads one")
            return
        }
        let rows = [["NAME", "PARAMETERS", "SIZE", "RATE", "CHANNELS", "SOURCE"]] + reports.map { report in
            let source = report.repo.map { repo in report.commit.map { "\(repo)@\($0.prefix(7))" } ?? repo } ?? "-"
            guard report.problem == nil, let parameters = report.parameters, let rate = report.sampleRate, let channels = report.channels else {
                return [report.name, "-", ByteCountText.format(report.sizeBytes), "-", "-", "unusable: \(report.problem ?? "?")"]
            }
            return [report.name, formatParameters(parameters), ByteCountText.format(report.sizeBytes), "\(rate) Hz", describeChannels(channels), source]
        }
        let widths = (0..<rows[0].count).map { column in rows.map { $0[column].count }.max() ?? 0 }
        for row in rows {
            let cells = row.enumerated().map { column, cell in
                column == row.count - 1 ? cell : cell.padding(toLength: widths[column], withPad: " ", startingAt: 0)
            }
            printLine(cells.joined(separator: "  "))
        }
    }
}
