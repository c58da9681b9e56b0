import Foundation
import RiffleTestSupport
import Testing
@testable import RiffleMusicGen

@Suite("weight norm folded at load, under either naming")
struct WeightNormTests {
    // v has two rows of norm 5 and 10; g = [10, 0.5]: w = [10·(3,4)/5, 0.5·(6,8)/10] = [(6,8), (0.3,0.4)].
    static let v: [Float] = [3, 4, 6, 8]
    static let g: [Float] = [10, 0.5]
    static let expected: [Float] = [6, 8, 0.3, 0.4]

    func file(_ tensors: [TensorSpec]) throws -> (TemporaryDirectory, SafeTensorsFile) {
        let directory = try TemporaryDirectory()
        let path = directory.path("w.safetensors")
        try write(safetensors(tensors), to: path)
        return (directory, try SafeTensorsFile(path: path))
    }

    func close(_ a: [Float], _ b: [Float]) -> Bool {
        a.count == b.count && zip(a, b).allSatisfy { abs($0 - $1) <= 1e-6 * max(1, abs($1)) }
    }

    @Test("the hub's weight_g / weight_v")
    func hub() throws {
        let (_, source) = try file([.f32("dec.conv.weight_g", [2, 1, 1], Self.g), .f32("dec.conv.weight_v", [2, 1, 2], Self.v)])
        let weight = try source.effectiveWeight(of: "dec.conv")
        #expect(weight.shape == [2, 1, 2])
        #expect(close(weight.values, Self.expected), "\(weight.values)")
    }

    @Test("save_pretrained's parametrizations.weight.original0 / original1, in fp16")
    func parametrizations() throws {
        let (_, source) = try file([.f16("dec.conv.parametrizations.weight.original0", [2, 1, 1], Self.g),
                                    .f16("dec.conv.parametrizations.weight.original1", [2, 1, 2], Self.v)])
        let weight = try source.effectiveWeight(of: "dec.conv")
        #expect(weight.shape == [2, 1, 2])
        #expect(close(weight.values, Self.expected), "\(weight.values)")
    }

    @Test("a norm over every dimension but the first: a [2, 2, 2] kernel")
    func threeDimensions() throws {
        // Row 0: (1,1,1,1), norm 2, g 4 → (2,2,2,2). Row 1: (0,0,0,-3), norm 3, g 1 → (0,0,0,-1).
        let (_, source) = try file([.f32("m.weight_g", [2, 1, 1], [4, 1]), .f32("m.weight_v", [2, 2, 2], [1, 1, 1, 1, 0, 0, 0, -3])])
        #expect(close(try source.effectiveWeight(of: "m").values, [2, 2, 2, 2, 0, 0, 0, -1]))
    }

    @Test("a plain weight is taken as it is")
    func plain() throws {
        let (_, source) = try file([.f32("dec.conv.weight", [2, 2], Self.v)])
        #expect(try source.effectiveWeight(of: "dec.conv") == Weight(shape: [2, 2], values: Self.v))
    }

    @Test("g and v in different shards of a snapshot")
    func acrossShards() throws {
        let directory = try TemporaryDirectory()
        try write(tinyConfig, to: directory.path("config.json"))
        try write(safetensors([.f32("m.weight_g", [2, 1, 1], Self.g)]), to: directory.path("model-00001-of-00002.safetensors"))
        try write(safetensors([.f32("m.weight_v", [2, 1, 2], Self.v)]), to: directory.path("model-00002-of-00002.safetensors"))
        try write(#"{"weight_map": {"m.weight_g": "model-00001-of-00002.safetensors", "m.weight_v": "model-00002-of-00002.safetensors"}}"#,
                  to: directory.path("model.safetensors.index.json"))
        let snapshot = try ModelSnapshot(folder: directory.url.path)
        #expect(close(try snapshot.effectiveWeight(of: "m").values, Self.expected))
    }

    @Test("half a pair, no weight at all, or a g of the wrong shape is an error naming the tensors")
    func refused() throws {
        let (_, half) = try file([.f32("m.weight_v", [2, 1, 2], Self.v)])
        #expect(checkpointError { _ = try half.effectiveWeight(of: "m") }?.problem == "has m.weight_v without m.weight_g")
        #expect(checkpointError { _ = try half.effectiveWeight(of: "other") }?.problem.hasPrefix("has no weight for other") == true)
        let (_, wrong) = try file([.f32("m.weight_g", [1, 2, 1], Self.g), .f32("m.weight_v", [2, 1, 2], Self.v)])
        #expect(checkpointError { _ = try wrong.effectiveWeight(of: "m") }?.problem.contains("one magnitude per row") == true)
    }
}
