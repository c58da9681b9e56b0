import Foundation
import RiffleCore

/// An interpreter over the built-in presets, shared by the interpretation suites.
let builtInInterpreter = PromptInterpreter(catalog: PresetCatalog(directories: [PresetCatalog.builtInDirectory(environment: [:])!]))

/// What the built-in interpreter reads in `prompt`.
func reading(_ prompt: String, _ change: (inout GenerationRequest) -> Void = { _ in }) -> Interpretation {
    var request = GenerationRequest(prompt: prompt)
    change(&request)
    return builtInInterpreter.interpret(request)
}
