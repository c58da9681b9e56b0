import Foundation
import RiffleApp
import RiffleEngine
import RiffleMusicGen
import RiffleStudio

/// The engines and installed models the studio's picker offers: the Composer, and one MusicGen line
/// per folder of `<library>/models` that holds a config.json.
///
/// Read on the studio's listing queue, never the UI thread: it starts the Composer (once; the
/// registry keeps it) and walks the model folders to size them.
enum StudioEngines {
    /// What MusicGen can do to a take it made: continue it, and make a stretch again with the audio
    /// around it as context. It composes no notes, so it has no stems, MIDI or restyle.
    static let musicGenCapabilities = MusicGenEngine.offered
    /// MusicGen hears tempo, key and metre as words of the prompt, not as values it keeps to.
    static let musicGenNote = "tempo, key and metre are hints, not exact"

    static func catalog(service: GenerationService) -> EngineCatalog {
        let registered = service.engines.names
        var catalog = EngineCatalog()
        if registered.contains("composer") {
            let problem: String?
            let capabilities: EngineCapabilities
            do {
                capabilities = try service.engine(named: "composer").capabilities
                problem = nil
            } catch {
                (capabilities, problem) = ([], error.description)
            }
            catalog.engines["composer"] = EngineTraits(title: "Composer", capabilities: capabilities, problem: problem)
            catalog.choices.append(EngineChoiceItem(selection: .composer, name: "Composer", label: "Composer (built in)",
                                                    unavailable: problem.map { "it cannot start: \($0)" }))
        }
        catalog.engines["musicgen"] = EngineTraits(title: "MusicGen", capabilities: musicGenCapabilities, note: musicGenNote)
        let missingEngine = registered.contains("musicgen") ? nil : "this build cannot run MusicGen yet"
        for model in installedModels(in: service.library.directory.appendingPathComponent("models")) {
            let details = [size(model.bytes), model.channels.map { $0 == 2 ? "stereo" : $0 == 1 ? "mono" : "\($0) channels" }].compactMap { $0 }
            catalog.choices.append(EngineChoiceItem(selection: EngineSelection(engine: "musicgen", model: model.name),
                                                    name: "MusicGen · \(model.name)",
                                                    label: (["MusicGen", model.name] + details).joined(separator: " · "),
                                                    unavailable: model.problem ?? missingEngine))
        }
        return catalog
    }

    /// A folder of the models folder, as far as the picker needs to know it.
    struct InstalledModel: Equatable {
        var name: String
        /// Everything in the folder, links followed (a hub cache links its files to blobs).
        var bytes: Int64
        /// From config.json's decoder: 1 mono, 2 stereo; `nil` when it does not say.
        var channels: Int?
        /// Why it cannot be loaded, as far as a look at its files tells; `nil` when it looks whole.
        var problem: String?
    }

    /// The sub-folders of `folder` with a config.json, by name. The weights are not read here: that
    /// is the engine's work when a job needs the model.
    static func installedModels(in folder: URL) -> [InstalledModel] {
        let files = FileManager.default
        guard let names = try? files.contentsOfDirectory(atPath: folder.path) else { return [] }
        return names.sorted().compactMap { name -> InstalledModel? in
            let directory = folder.appendingPathComponent(name)
            let config = directory.appendingPathComponent("config.json")
            guard !name.hasPrefix("."), files.fileExists(atPath: config.path) else { return nil }
            let (channels, configProblem) = readConfig(config)
            let has = { (file: String) in files.fileExists(atPath: directory.appendingPathComponent(file).path) }
            let problem = configProblem
                ?? (has("model.safetensors") || has("model.safetensors.index.json") ? nil : "no model.safetensors in its folder")
                ?? (has("spiece.model") ? nil : "no spiece.model (the text tokenizer) in its folder")
            return InstalledModel(name: name, bytes: bytes(in: directory), channels: channels, problem: problem)
        }
    }

    /// The decoder's channel count, or why config.json is not a MusicGen config.
    private static func readConfig(_ file: URL) -> (channels: Int?, problem: String?) {
        guard let data = try? Data(contentsOf: file) else { return (nil, "its config.json cannot be read") }
        guard let root = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else {
            return (nil, "its config.json is not a JSON object")
        }
        guard root["model_type"] as? String == "musicgen" else { return (nil, "its config.json is not a MusicGen model's") }
        return ((root["decoder"] as? [String: Any])?["audio_channels"] as? Int, nil)
    }

    private static func bytes(in directory: URL) -> Int64 {
        guard let walk = FileManager.default.enumerator(at: directory, includingPropertiesForKeys: nil) else { return 0 }
        var total: Int64 = 0
        for case let url as URL in walk {
            let target = url.resolvingSymlinksInPath()
            guard let values = try? target.resourceValues(forKeys: [.isRegularFileKey, .fileSizeKey]), values.isRegularFile == true else { continue }
            total += Int64(values.fileSize ?? 0)
        }
        return total
    }

    /// "2.4 GB", "850 MB", "12 kB": decimal units, as disks and the hub count.
    static func size(_ bytes: Int64) -> String {
        let value = Double(bytes)
        if value >= 1e9 { return String(format: "%.1f GB", value / 1e9) }
        if value >= 1e6 { return String(format: "%.0f MB", value / 1e6) }
        if value >= 1e3 { return String(format: "%.0f kB", value / 1e3) }
        return "\(bytes) B"
    }
}
