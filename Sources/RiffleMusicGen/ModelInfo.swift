import Foundation

/// What `riffle models` says about a MusicGen snapshot, read from its config and safetensors headers
/// (no weight is loaded): parameters, weight bytes, the audio's sample rate and channels.
public struct ModelInfo: Sendable, Equatable {
    public var folder: String
    /// Elements of every tensor in the weights.
    public var parameters: Int
    /// Bytes of those tensors: what loading the weights takes, at least.
    public var weightBytes: Int
    /// The EnCodec's rate (audio_encoder.sampling_rate).
    public var sampleRate: Int
    /// The decoder's audio channels (decoder.audio_channels): 1 mono, 2 stereo.
    public var channels: Int
    /// The weights' element types, sorted ("F32", "F16").
    public var dtypes: [String]

    /// The files of a MusicGen snapshot besides its safetensors weights: config.json and the T5
    /// tokenizer's spiece.model are required; the rest is taken when there.
    public static let snapshotFiles: (required: [String], optional: [String]) = (
        required: ["config.json", "spiece.model"],
        optional: ["generation_config.json", "tokenizer.json", "tokenizer_config.json", "special_tokens_map.json", "preprocessor_config.json"]
    )

    /// Opens and checks the snapshot in `folder` as the engine will: config.json must be a MusicGen config,
    /// the weights' headers valid, spiece.model present. Errors are ``CheckpointError``s naming the file.
    public init(folder: String) throws {
        let snapshot = try ModelSnapshot(folder: folder)
        _ = try snapshot.tokenizerModelPath()
        var parameters = 0
        var bytes = 0
        var dtypes = Set<String>()
        for name in snapshot.tensorNames {
            guard let tensor = snapshot.tensor(named: name) else { continue }
            parameters += tensor.elementCount
            bytes += tensor.bytes.count
            dtypes.insert(tensor.dtype.rawValue)
        }
        guard parameters > 0 else { throw CheckpointError(folder, "has no tensors in its weights") }
        self.folder = folder
        self.parameters = parameters
        self.weightBytes = bytes
        self.sampleRate = snapshot.config.audioEncoder.samplingRate
        self.channels = snapshot.config.decoder.audioChannels
        self.dtypes = dtypes.sorted()
    }

    /// An error, said before loading, when the weights need more memory than the system has available.
    /// `meminfo` replaces /proc/meminfo (for tests).
    public func checkFitsInMemory(meminfo: String? = nil) throws {
        try MemoryCheck.ensureFits(bytes: weightBytes, what: folder, meminfo: meminfo)
    }
}
