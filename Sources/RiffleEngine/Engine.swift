import Dispatch
import Foundation
import RiffleCore

/// A music engine: turns a request and a seed into a take.
///
/// The studio and the job queue drive every engine through this protocol and never learn which one
/// is behind it, so nothing here belongs to one engine: a take is audio and metadata, with optional
/// stems, MIDI and an opaque state the engine reads back when asked to edit the take. Calls are
/// synchronous and meant for a background queue; they report progress as they go and stop with
/// ``EngineError/cancelled`` soon after the ``Cancellation`` is set.
public protocol MusicEngine: Sendable {
    /// Name and version, recorded with every take.
    var identity: EngineIdentity { get }
    /// What the engine can do besides generating; the UI greys out the rest.
    var capabilities: EngineCapabilities { get }
    /// What this instance makes its audio from, beyond its code: the SoundFont's or model's path and
    /// size. Another model makes other takes, so it is part of the cache key.
    var model: String { get }

    /// What the engine will make of `request`: cheap enough to call on every key press.
    func interpret(_ request: GenerationRequest) -> Interpretation

    /// One take of `request`, reproducible from `seed`.
    ///
    /// The request's own seed and variation count are the caller's business: it passes each
    /// variation's seed here.
    func generate(_ request: GenerationRequest, seed: Int64, progress: ProgressHandler,
                  cancellation: Cancellation) throws -> Take

    /// One take per seed, each handed to `deliver` (with its index in `seeds`) as soon as it is
    /// done, then dropped; returns when every take has been delivered.
    ///
    /// An engine schedules its own batch: the default runs ``generate(_:seed:progress:cancellation:)``
    /// for as many seeds at once as there are cores. `deliver` may be called from any thread, one
    /// call at a time per take.
    func generateBatch(_ request: GenerationRequest, seeds: [Int64], progress: @escaping @Sendable (Int, GenerationProgress) -> Void,
                       cancellation: Cancellation, deliver: @escaping @Sendable (Int, Result<Take, any Error>) -> Void)

    /// A new take made from `take` by `edit`, reproducible from `seed`.
    ///
    /// Throws ``EngineError/unsupported(_:)`` for an edit outside ``capabilities``, and
    /// ``EngineError/invalidEdit(_:)`` when the edit does not fit the take (a range outside it).
    func edit(_ take: Take, _ edit: TakeEdit, seed: Int64, progress: ProgressHandler,
              cancellation: Cancellation) throws -> Take

    /// The stems of a stored take that was made without them, each as loud as it is in `take`'s mix.
    ///
    /// Throws ``EngineError/failed(_:)`` when the engine cannot make them for this take: an engine
    /// that cannot reproduce a take exactly must not invent parts that do not sum to it. The default
    /// always throws.
    func stems(of take: Take, progress: ProgressHandler, cancellation: Cancellation) throws -> [Take.Stem]

    /// `audio` from `start` seconds on, continued for `seconds` more under `request`'s prompt: the take is the kept audio and its continuation.
    ///
    /// The audio comes from outside (an upload), so it has no engine state: only an engine that offers
    /// ``EngineCapabilities/continuation`` can listen to it. The take's `request.duration` is the kept
    /// seconds plus `seconds`, at `request`'s rate and channels. Throws ``EngineError/invalidEdit(_:)``
    /// when `start` or the total length does not fit; the default throws ``EngineError/failed(_:)``.
    func continuation(of audio: AudioBuffer, from start: Double, seconds: Double, request: GenerationRequest, seed: Int64,
                      progress: ProgressHandler, cancellation: Cancellation) throws -> Take

    /// Where the sections of a stored take start, read from its ``Take/engineState``; empty when the
    /// engine keeps no such thing. Takes store their sections; this reads those of takes stored
    /// before they did.
    func sections(fromState state: Data?) -> [Take.Section]
}

extension MusicEngine {
    public func sections(fromState state: Data?) -> [Take.Section] { [] }

    public func stems(of take: Take, progress: ProgressHandler, cancellation: Cancellation) throws -> [Take.Stem] {
        throw EngineError.failed("\(identity.name) cannot make the stems of a finished take")
    }

    public func continuation(of audio: AudioBuffer, from start: Double, seconds: Double, request: GenerationRequest, seed: Int64,
                             progress: ProgressHandler, cancellation: Cancellation) throws -> Take {
        throw EngineError.failed("\(identity.name) cannot continue uploaded audio")
    }

    public func generateBatch(_ request: GenerationRequest, seeds: [Int64], progress: @escaping @Sendable (Int, GenerationProgress) -> Void,
                              cancellation: Cancellation, deliver: @escaping @Sendable (Int, Result<Take, any Error>) -> Void) {
        DispatchQueue.concurrentPerform(iterations: seeds.count) { index in
            deliver(index, Result {
                try generate(request, seed: seeds[index], progress: { progress(index, $0) }, cancellation: cancellation)
            })
        }
    }
}

/// Receives progress reports; called on the engine's thread, so keep it short.
public typealias ProgressHandler = @Sendable (GenerationProgress) -> Void

/// Which engine made a take.
public struct EngineIdentity: Sendable, Hashable, Codable {
    /// "composer", "musicgen".
    public var name: String
    public var version: String

    public init(name: String, version: String) {
        self.name = name
        self.version = version
    }
}

extension EngineIdentity: CustomStringConvertible {
    /// "composer 1": how the library records which engine made a job.
    public var description: String { "\(name) \(version)" }
}

/// The optional things an engine can do.
public struct EngineCapabilities: OptionSet, Sendable, Hashable, Codable {
    public let rawValue: Int
    public init(rawValue: Int) { self.rawValue = rawValue }

    /// Regenerate a time range of a take, leaving the rest as it was.
    public static let repaint = EngineCapabilities(rawValue: 1 << 0)
    /// Continue a take for more seconds.
    public static let extend = EngineCapabilities(rawValue: 1 << 1)
    /// The same music arranged for another genre.
    public static let restyle = EngineCapabilities(rawValue: 1 << 2)
    /// Separate audio per part (drums, bass, harmony, melody, texture) that sums to the take.
    public static let stems = EngineCapabilities(rawValue: 1 << 3)
    /// A Standard MIDI File of the take.
    public static let midi = EngineCapabilities(rawValue: 1 << 4)
    /// Continues any audio it is given (an upload), not only its own takes.
    public static let continuation = EngineCapabilities(rawValue: 1 << 5)
}

extension EngineCapabilities {
    /// The capabilities by name, as front ends list them ("repaint", "stems", "continuation").
    public var names: [String] {
        let named: [(EngineCapabilities, String)] = [(.repaint, "repaint"), (.extend, "extend"), (.restyle, "restyle"), (.stems, "stems"),
                                                     (.midi, "midi"), (.continuation, "continuation")]
        return named.filter { contains($0.0) }.map(\.1)
    }
}

/// A change to an existing take.
public enum TakeEdit: Sendable, Hashable, Codable {
    /// Regenerate `from`..<`to` seconds, optionally following a new prompt there.
    case repaint(from: Double, to: Double, prompt: String?)
    /// Continue for this many more seconds, ending musically.
    case extend(seconds: Double)
    /// The same composition for another genre preset.
    case restyle(genre: String)
}

/// How far a generation has got.
public struct GenerationProgress: Sendable, Hashable {
    /// 0 to 1.
    public var fraction: Double
    /// What the engine is doing, in a word or two: "composing", "rendering bass", "mastering".
    public var stage: String

    public init(fraction: Double, stage: String) {
        self.fraction = min(max(fraction, 0), 1)
        self.stage = stage
    }
}

/// Why an engine stopped without a take.
public enum EngineError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The caller cancelled.
    case cancelled
    /// The engine cannot do this edit.
    case unsupported(TakeEdit)
    /// The edit does not fit the take; the message says why.
    case invalidEdit(String)
    /// Something the engine needs is missing or broken (a SoundFont, say); the message says what.
    case failed(String)

    public var description: String {
        switch self {
        case .cancelled: "cancelled"
        case .unsupported(let edit): "this engine cannot \(edit.verb)"
        case .invalidEdit(let reason): reason
        case .failed(let reason): reason
        }
    }
}

extension TakeEdit {
    /// The edit's name as a verb: "repaint", "extend", "restyle".
    public var verb: String {
        switch self {
        case .repaint: "repaint"
        case .extend: "extend"
        case .restyle: "restyle"
        }
    }
}
