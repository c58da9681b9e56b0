import Foundation
import Testing
@testable import RiffleMusicGen

/// One of the tiny reference checkpoints in Tests/Fixtures/musicgen with what transformers recorded for it
/// (reference.safetensors and reference.json; see the folder's README for every name).
struct ReferenceFixture {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/musicgen")

    let folder: String
    let snapshot: ModelSnapshot
    let reference: SafeTensorsFile
    let json: [String: Any]

    /// `name`: "tiny-mono", "tiny-stereo" or "tiny-mono-weightnorm".
    init(_ name: String) throws {
        folder = Self.root.appendingPathComponent(name).path
        snapshot = try ModelSnapshot(folder: folder)
        reference = try SafeTensorsFile(path: folder + "/reference.safetensors")
        json = try #require(JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: folder + "/reference.json"))) as? [String: Any])
    }

    /// A recorded float tensor and its shape.
    func floats(_ name: String) throws -> (shape: [Int], values: [Float]) {
        let tensor = try reference.require(name)
        return (tensor.shape, try tensor.floats())
    }

    /// A recorded integer tensor (ids, codes, masks) and its shape.
    func integers(_ name: String) throws -> (shape: [Int], values: [Int]) {
        let tensor = try reference.require(name)
        return (tensor.shape, try tensor.integers())
    }
}

/// The largest |a − b| / max(|b|, floor) over the two arrays; `floor` keeps values near zero from dominating.
func maxRelativeError(_ actual: [Float], _ expected: [Float], floor: Float = 1e-3) -> Float {
    precondition(actual.count == expected.count, "\(actual.count) values against \(expected.count)")
    var worst: Float = 0
    for (a, b) in zip(actual, expected) {
        worst = max(worst, abs(a - b) / max(abs(b), floor))
    }
    return worst
}

/// Expects `actual` to match `expected` within `tolerance` relative (1e-4 as the issue asks), saying where not.
func expectClose(_ actual: [Float], _ expected: [Float], tolerance: Float = 1e-4, floor: Float = 1e-3,
                 _ what: String, sourceLocation: SourceLocation = #_sourceLocation) {
    guard actual.count == expected.count else {
        Issue.record("\(what): \(actual.count) values, expected \(expected.count)", sourceLocation: sourceLocation)
        return
    }
    let error = maxRelativeError(actual, expected, floor: floor)
    #expect(error <= tolerance, "\(what): largest relative error \(error)", sourceLocation: sourceLocation)
}
