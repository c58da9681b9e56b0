import RiffleEngine

/// Which engine, and which of its models, new jobs go to: what a request names as `engine` and `model`.
public struct EngineSelection: Hashable, Sendable {
    /// "composer", "musicgen".
    public var engine: String
    /// An installed model's name; `nil` for an engine without models (the Composer).
    public var model: String?

    public init(engine: String, model: String? = nil) {
        self.engine = engine
        self.model = model
    }

    /// The built-in Composer: what the studio starts with, and the engine of every job made before
    /// requests named one.
    public static let composer = EngineSelection(engine: "composer")
}

/// One line of the engine picker: an engine with one of its models, and whether it can be used.
public struct EngineChoiceItem: Hashable, Sendable {
    public var selection: EngineSelection
    /// Short, for the prompt's frame: "Composer", "MusicGen · musicgen-small".
    public var name: String
    /// Whole, for the picker: "Composer (built in)", "MusicGen · musicgen-small · 2.2 GB · stereo".
    public var label: String
    /// Why it cannot be chosen ("no model.safetensors in the folder"); `nil` when it can.
    public var unavailable: String?

    public init(selection: EngineSelection, name: String, label: String, unavailable: String? = nil) {
        self.selection = selection
        self.name = name
        self.label = label
        self.unavailable = unavailable
    }
}

/// What the studio needs to know of an engine whatever model it runs: its name for people, what it
/// can do to a take it made (the take menu greys out the rest), and what a user choosing it should know.
public struct EngineTraits: Hashable, Sendable {
    /// "Composer", "MusicGen": how menu lines name it ("MusicGen makes no stems").
    public var title: String
    public var capabilities: EngineCapabilities
    /// Said when the engine is chosen, and under the sliders while it is: "tempo, key and metre are
    /// hints, not exact". `nil`: nothing to say.
    public var note: String?
    /// Why it cannot run at all (its SoundFont is missing): then every edit of its takes says this.
    public var problem: String?

    public init(title: String, capabilities: EngineCapabilities, note: String? = nil, problem: String? = nil) {
        self.title = title
        self.capabilities = capabilities
        self.note = note
        self.problem = problem
    }
}

/// The engines the executable offers: the picker's lines, and every engine's traits by name.
///
/// An engine has traits whether or not any of its models is installed, so a take made with a model
/// since removed still has its menu greyed out as its engine's.
public struct EngineCatalog: Hashable, Sendable {
    /// In the picker's order; empty until the engines have been listed.
    public var choices: [EngineChoiceItem]
    /// By engine name ("composer", "musicgen").
    public var engines: [String: EngineTraits]

    public init(choices: [EngineChoiceItem] = [], engines: [String: EngineTraits] = [:]) {
        self.choices = choices
        self.engines = engines
    }

    /// Whether any choice runs an installed model: without one the picker says how to get one.
    public var hasModels: Bool { choices.contains { $0.selection.model != nil } }
}

/// The engine picker (`e`, F2, or a click on the engine's name in the prompt's frame), while open.
public struct EnginePicker: Hashable, Sendable {
    /// The highlighted line: an index into the catalog's choices.
    public var selected: Int

    public init(selected: Int) {
        self.selected = selected
    }

    /// What the picker says when no model is installed, line by line.
    public static let noModelsHint = [
        "No MusicGen model is installed. Download one:",
        "  riffle models pull facebook/musicgen-small",
        "or add a snapshot folder: riffle models add DIR",
    ]
}

extension StudioState {
    /// The picker's line for the engine new jobs go to; `nil` before the engines are listed, or when
    /// its model is no longer installed.
    public var engineChoice: EngineChoiceItem? { engines.choices.first { $0.selection == engine } }

    /// The engine new jobs go to, as the prompt's frame names it.
    public var engineName: String {
        if let choice = engineChoice { return choice.name }
        // Before the engines are listed (a moment at start) the request's name, capitalised.
        let title = engines.engines[engine.engine]?.title ?? engine.engine.prefix(1).uppercased() + engine.engine.dropFirst()
        return [title, engine.model].compactMap { $0 }.joined(separator: " · ")
    }

    /// The name of the engine that made the selected take (its job's engine).
    public var takeEngine: String? {
        guard selectedTake != nil, let jobID = selection?.jobID else { return nil }
        return job(jobID)?.engine
    }

    /// What the engine that made the selected take can do to it now: the take menu greys out the rest.
    /// Empty with no take selected, when the engine is not one the studio knows, or when it cannot start.
    public var capabilities: EngineCapabilities {
        guard let traits = takeEngine.flatMap({ engines.engines[$0] }), traits.problem == nil else { return [] }
        return traits.capabilities
    }
}
