import RiffleAudio
import RiffleCore
import RiffleEngine

/// Everything the studio shows. Only the reducer changes it; rendering reads it.
public struct StudioState: Equatable, Sendable {
    public var width: Int
    public var height: Int
    public var focus: Pane = .prompt
    /// The prompt being written, and the cursor's place in it (in characters).
    public var prompt = ""
    public var cursor = 0
    /// Prompts generated from, oldest first; Up and Down in the prompt walk it.
    public var history: [String] = []
    public var historyIndex: Int?
    /// The prompt being written when ↑ went into the history: ↓ past the newest entry brings it back.
    public var historyDraft = ""
    public var parameters = Parameters()
    public var selectedSlider: Parameters.Slider = .duration
    /// The seed the next generation uses: locked, it repeats (and the same request is answered from
    /// the library); unlocked, each batch starts where the last one's seeds ended.
    public var seed: Int64 = 0
    public var seedLocked = false
    /// The seed being typed (`s` in the sliders), while it is.
    public var seedEntry: String?
    /// Where Export will write, while it is being chosen.
    public var exportEntry: ExportEntry?
    public var showHelp = false
    /// A question waiting for y or n in the status bar.
    public var confirmation: Confirmation?
    /// The message in the status bar; errors stay until a key is pressed.
    public var message: Message?
    /// The genre presets, for the presets pane; choosing one sets the sliders' defaults.
    public var presets: [PresetItem] = []
    public var selectedPreset = 0
    /// What the engine understands from the prompt so far, in one line.
    public var understood = ""
    /// The prompt's words the engine did not use, said on the same line so they can be rephrased.
    public var unusedWords: [String] = []
    /// What the engine notes about the request, after them ("tempo is a hint to MusicGen").
    public var understoodNotes: [String] = []
    /// Jobs, newest first.
    public var jobs: [JobItem] = []
    /// The highlighted row of the jobs pane.
    public var selection: JobSelection?
    /// The selected take's waveform, once loaded.
    public var waveform: WaveformItem?
    public var playback = PlaybackState()
    /// The action menu over the selected take, while open.
    public var menu: TakeMenu?
    /// The engine (and model) new jobs go to.
    public var engine = EngineSelection.composer
    /// The engines to choose from, and what each can do to its takes.
    public var engines = EngineCatalog()
    /// The engine picker, while open.
    public var enginePicker: EnginePicker?
    /// Why there is no sound, when the audio device cannot be used.
    public var audioProblem: String?
    /// Draw waveforms in ASCII rather than braille (`--ascii`).
    public var asciiOnly = false

    public struct Message: Equatable, Sendable {
        public var text: String
        public var isError: Bool
        /// The job this message is news of ("Cancelling j2…", "4 takes ready"): newer news of the same
        /// job replaces it, where other messages stay until a key is pressed.
        public var job: String?

        public init(text: String, isError: Bool, job: String? = nil) {
            self.text = text
            self.isError = isError
            self.job = job
        }
    }

    /// A yes/no question.
    public enum Confirmation: Equatable, Sendable {
        case quit
        case deleteTake(String)
    }

    public init(width: Int, height: Int) {
        self.width = width
        self.height = height
    }

    /// The smallest terminal the studio lays its panes out in; smaller, it only asks to be enlarged.
    public static let minimumWidth = 80
    public static let minimumHeight = 24

    /// Whether the terminal is below the minimum size, so only the "enlarge it" screen shows.
    public var isTooSmall: Bool { width < Self.minimumWidth || height < Self.minimumHeight }

    /// Whether an overlay (help, the take menu, the engine picker) has the keys.
    public var hasOverlay: Bool { showHelp || menu != nil || enginePicker != nil }

    /// Jobs queued or running.
    public var runningJobs: Int { jobs.filter { $0.status == .pending || $0.status == .processing }.count }
}

/// A genre preset as the presets pane shows and applies it.
public struct PresetItem: Equatable, Sendable {
    public var name: String
    public var title: String
    public var tempo: Double
    public var timeSignature: TimeSignature?
    public var guidance: Double

    public init(name: String, title: String, tempo: Double, timeSignature: TimeSignature?, guidance: Double) {
        self.name = name
        self.title = title
        self.tempo = tempo
        self.timeSignature = timeSignature
        self.guidance = guidance
    }

    public init(_ preset: GenrePreset) {
        self.init(name: preset.name, title: preset.title, tempo: preset.tempo.default, timeSignature: preset.timeSignatures.first,
                  guidance: preset.guidanceScale)
    }
}

/// Something that happened: a key, a resize, news from a job, the player or the library.
public enum StudioAction: Equatable, Sendable {
    case key(Key)
    /// Text pasted into the terminal, whole (bracketed paste): it goes into the prompt as one edit.
    case paste(String)
    /// A click, a drag or the wheel.
    case mouse(MouseEvent)
    /// Characters read together, as a terminal without bracketed paste sends a paste: the same as
    /// pressing each in turn, but one prompt edit when they go into the prompt.
    case typed(String)
    case resized(width: Int, height: Int)
    /// The library's jobs when the studio opens, newest first.
    case jobsLoaded([JobItem])
    /// A job just made (by this studio's request, an edit, or a cached answer shown again).
    case jobAdded(JobItem)
    /// A job was refused and is gone from the library (an edit that does not fit its take).
    case jobRemoved(jobID: String, reason: String)
    /// A take's stems were just made: its waveform gains their lanes.
    case stemsMade(takeID: String, folder: String)
    /// A job's status or progress changed.
    case jobUpdated(JobProgress)
    /// A job's takes as the library has them now (best score first).
    case takesLoaded(jobID: String, [TakeItem])
    case waveformLoaded(WaveformItem)
    /// Where the player is; sent while playing and when it stops.
    case playback(takeID: String?, position: Double, playing: Bool)
    /// The audio device cannot be used.
    case audioUnavailable(String)
    /// The engine's reading of the prompt, the prompt's words it did not use, and what it notes
    /// (a tempo it cannot follow exactly, a second genre set aside).
    case understood(String, unused: [String] = [], notes: [String] = [])
    /// The engines new jobs can go to, and what each can do to its takes.
    case enginesListed(EngineCatalog)
    /// A message for the status bar (an effect that failed, an export done).
    case notice(String, isError: Bool)
    /// A take is gone from the library.
    case takeDeleted(String)
    /// A job is gone from the library (its last take was deleted).
    case jobDeleted(String)
}

/// Work the reducer asks the runtime to do; its results come back as actions.
public enum StudioEffect: Equatable, Sendable {
    case generate(GenerationRequest)
    /// Work out what the engine understands from this request (for the line under the prompt).
    case interpret(GenerationRequest)
    /// List the engines and installed models (their folders are read, so not on the UI thread).
    case listEngines
    case loadWaveform(takeID: String)
    case play(takeID: String, from: Double)
    case pause
    case resume
    case seek(Double)
    /// Put this take in place of the playing one at the same position.
    case switchTake(String)
    case setLoop(ClosedRange<Double>?)
    /// Stems (by index) to silence.
    case setMuted(Set<Int>)
    case rate(takeID: String, stars: Int)
    case pick(takeID: String)
    case cancel(jobID: String)
    /// Make the takes a failed, cancelled or interrupted job is missing.
    case resumeJob(jobID: String)
    case repaint(takeID: String, from: Double, to: Double, prompt: String?)
    case extend(takeID: String, seconds: Double)
    case restyle(takeID: String, genre: String)
    case stems(takeID: String)
    /// Write the take (with its MIDI and stems) to `to`, in the format its extension names; a relative
    /// path is in the folder the studio was started in.
    case export(takeID: String, to: String)
    case delete(takeID: String)
    case quit
}
