import RiffleCore

/// Everything the studio shows. Only the reducer changes it; rendering reads it.
public struct StudioState: Hashable, Sendable {
    public var width: Int
    public var height: Int
    public var focus: Pane = .prompt
    /// The prompt being written, and the cursor's place in it (in characters).
    public var prompt = ""
    public var cursor = 0
    /// Prompts generated from, oldest first; Up and Down in an empty prompt walk it.
    public var history: [String] = []
    public var historyIndex: Int?
    public var parameters = Parameters()
    public var selectedSlider: Parameters.Slider = .duration
    /// The seed the next generation uses when locked; a new one each time when not.
    public var seed: Int64 = 0
    public var seedLocked = false
    public var showHelp = false
    /// Quitting while jobs run asks first.
    public var confirmingQuit = false
    public var runningJobs = 0
    /// The message in the status bar; errors stay until a key is pressed.
    public var message: Message?
    /// The genre presets by title, for the presets pane.
    public var presets: [String] = []
    public var selectedPreset = 0
    /// What the engine understands from the prompt so far, in one line.
    public var understood = ""

    public struct Message: Hashable, Sendable {
        public var text: String
        public var isError: Bool

        public init(text: String, isError: Bool) {
            self.text = text
            self.isError = isError
        }
    }

    public init(width: Int, height: Int) {
        self.width = width
        self.height = height
    }
}

/// Something that happened: a key, a resize, news from a job.
public enum StudioAction: Hashable, Sendable {
    case key(Key)
    case resized(width: Int, height: Int)
    case jobsRunning(Int)
}

/// Work the reducer asks the runtime to do; its results come back as actions.
public enum StudioEffect: Hashable, Sendable {
    case generate(GenerationRequest)
    case quit
}
