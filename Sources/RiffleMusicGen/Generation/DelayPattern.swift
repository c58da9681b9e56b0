/// MusicGen's delay pattern: codebook k of a frame is predicted k steps after codebook 0, so each step
/// can condition the finer codebooks on the coarser ones of the same frame.
///
/// Columns are decoder steps. Column 0 is the start column (every codebook = the pad/bos id). Codebook k
/// (its delay `d = k`, or `k / 2` for stereo checkpoints, whose codebooks 2d and 2d + 1 are the left and
/// right channel at delay d) holds frame f at column f + d + 1. Columns a codebook has no frame for are
/// forced to pad, and so are the frames of the audio prompt: those columns hold the prompt's codes
/// whatever the model predicts. This is transformers' `build_delay_pattern_mask` +
/// `apply_delay_pattern_mask` as a function of (codebook, column) instead of a materialised mask.
public struct DelayPattern: Sendable, Equatable {
    /// Codebooks the decoder predicts per step (4 mono, 8 stereo).
    public let codebooks: Int
    /// 1 or 2: stereo checkpoints interleave the channels' codebooks.
    public let channels: Int
    /// Frames of audio the pattern lays out (prompt included).
    public let frames: Int
    /// The id of the pad/bos token (the codebook size).
    public let padID: Int32

    public init(codebooks: Int, channels: Int, frames: Int, padID: Int32) {
        precondition(channels == 1 || channels == 2, "MusicGen has 1 or 2 audio channels")
        precondition(codebooks % channels == 0 && frames > 0)
        self.codebooks = codebooks
        self.channels = channels
        self.frames = frames
        self.padID = padID
    }

    /// Codebooks per channel: the largest delay is one less.
    public var codebooksPerChannel: Int { codebooks / channels }

    /// Columns in all, the start column included: every codebook's last frame lands in the last one.
    public var columns: Int { frames + codebooksPerChannel }

    /// How many steps codebook `k` lags codebook 0.
    public func delay(of codebook: Int) -> Int { codebook / channels }

    /// The frame codebook `k` holds at `column`, or nil when the column is before or after its frames.
    public func frame(codebook: Int, column: Int) -> Int? {
        let frame = column - delay(of: codebook) - 1
        return frame >= 0 && frame < frames ? frame : nil
    }

    /// The `column` of ids (`codebooks` of them) with the pattern applied: pad where a codebook has no frame
    /// there, the prompt's code where its frame is in the prompt, the predicted id elsewhere.
    ///
    /// - Parameters:
    ///   - predicted: what the model chose for this column (ignored where the pattern decides).
    ///   - prompt: codes of the audio prompt, codebook-major (`codebooks × promptFrames`).
    public func apply(column: Int, predicted: [Int32], prompt: [Int32], promptFrames: Int) -> [Int32] {
        (0..<codebooks).map { k in
            guard let frame = frame(codebook: k, column: column) else { return padID }
            return frame < promptFrames ? prompt[k * promptFrames + frame] : predicted[k]
        }
    }

    /// The frames' codes read back out of the columns (`columns × codebooks`, column-major as generated),
    /// codebook-major (`codebooks × frames`): what the audio codec decodes.
    public func codes(fromColumns ids: [[Int32]]) -> [Int32] {
        precondition(ids.count == columns, "\(ids.count) columns for a pattern of \(columns)")
        var codes = [Int32](repeating: 0, count: codebooks * frames)
        for k in 0..<codebooks {
            for frame in 0..<frames {
                codes[k * frames + frame] = ids[frame + delay(of: k) + 1][k]
            }
        }
        return codes
    }
}
