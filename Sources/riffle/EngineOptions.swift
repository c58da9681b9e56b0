import ArgumentParser
import Foundation
import RiffleCore
import RiffleMusicGen

/// `--engine`, `--model`: which engine makes the takes, and which MusicGen checkpoint it loads. They
/// become the request's `engine` and `model` fields, so edits and resumes later load the same model.
struct EngineOptions: ParsableArguments {
    @Option(help: "The engine: composer (built in) or musicgen (needs a model). Default: musicgen with --model, else composer.")
    var engine: String?

    @Option(help: "A MusicGen model: an installed name (see `riffle models`) or a snapshot folder. Implies --engine musicgen.")
    var model: String?

    @OptionGroup var precision: PrecisionOption

    func validate() throws {
        if let engine, !["composer", "musicgen"].contains(engine) {
            throw ValidationError("--engine \"\(engine)\" is not an engine: composer or musicgen")
        }
        if engine == "composer", model != nil {
            throw ValidationError("--model names a MusicGen model; the composer has none (use --soundfont)")
        }
    }

    /// Sets the request's engine and model; a model that is a folder is stored as its absolute path,
    /// so the take can be edited from anywhere.
    func apply(to request: inout GenerationRequest) {
        request.engine = engine
        guard let model else { return }
        var isFolder: ObjCBool = false
        if FileManager.default.fileExists(atPath: model, isDirectory: &isFolder), isFolder.boolValue {
            request.model = URL(fileURLWithPath: model).standardizedFileURL.path
        } else {
            request.model = model
        }
    }
}

/// `--precision`: how MusicGen keeps its weights in memory (recorded with each take as part of its model).
struct PrecisionOption: ParsableArguments {
    @Option(help: "How MusicGen keeps its weights: fp32 (exact), fp16 (half the memory, faster) or int8 (a quarter, fastest).")
    var precision: String = WeightPrecision.fp32.rawValue

    func validate() throws {
        if WeightPrecision(rawValue: precision) == nil {
            throw ValidationError("--precision \"\(precision)\" is not one of: \(WeightPrecision.allCases.map(\.rawValue).joined(separator: ", "))")
        }
    }

    var value: WeightPrecision { WeightPrecision(rawValue: precision) ?? .fp32 }
}
