import Foundation
import RiffleTestSupport
import Testing
@testable import RiffleMusicGen

@Suite("safetensors: a mapped file whose header is checked whole")
struct SafeTensorsTests {
    @Test("F32, F16, BF16 and I64 tensors read back with their shapes, dtypes and metadata")
    func roundTrip() throws {
        let directory = try TemporaryDirectory()
        let path = directory.path("model.safetensors")
        try write(safetensors([
            .f32("a.weight", [2, 3], [1, -2, 3.5, 0, 1e-3, -7]),
            .f16("b.weight", [4], [0.5, -1.25, 65504, 0]),
            .bf16("c.weight", [2, 2], [1, -2, 0.15625, 3e38]),
            .i64("d.ids", [3], [0, -1, 1 << 40]),
        ], metadata: ["format": "pt"]), to: path)
        let file = try SafeTensorsFile(path: path)
        #expect(file.names == ["a.weight", "b.weight", "c.weight", "d.ids"])
        #expect(file.metadata == ["format": "pt"])
        let a = try file.require("a.weight")
        #expect(a.dtype == .f32 && a.shape == [2, 3] && a.elementCount == 6)
        #expect(try a.floats() == [1, -2, 3.5, 0, 1e-3, -7])
        #expect(try file.require("b.weight").floats() == [0.5, -1.25, 65504, 0])
        let bf16 = Float(bitPattern: Float(3e38).bitPattern & 0xFFFF_0000)
        #expect(try file.require("c.weight").floats() == [1, -2, 0.15625, bf16])
        let ids = try file.require("d.ids")
        #expect(ids.dtype == .i64)
        #expect(try ids.integers() == [0, -1, 1 << 40])
        #expect(file.tensor(named: "missing") == nil)
        let missing = checkpointError { _ = try file.require("missing") }
        #expect(missing?.path == path && missing?.problem.contains("missing") == true)
    }

    @Test("the zero-copy view is the tensor's bytes in the file, and integers are not weights")
    func zeroCopy() throws {
        let directory = try TemporaryDirectory()
        let path = directory.path("x.safetensors")
        try write(safetensors([.i64("ids", [1], [9]), .f32("w", [2], [1.5, 2.5])]), to: path)
        let w = try SafeTensorsFile(path: path).require("w")  // the file object itself is dropped here
        let viewed = w.withUnsafeBytes { raw in (0..<2).map { Float(bitPattern: raw.loadUnaligned(fromByteOffset: $0 * 4, as: UInt32.self)) } }
        #expect(viewed == [1.5, 2.5])
        #expect(w.bytes.count == 8)
        let file = try SafeTensorsFile(path: path)
        let error = checkpointError { _ = try file.require("ids").floats() }
        #expect(error?.problem.contains("not a floating-point weight") == true)
    }

    @Test("the file is mapped while a tensor of it lives, and unmapped once the last one goes")
    func unmappedOnDeinit() throws {
        let directory = try TemporaryDirectory()
        let path = directory.path("mapped.safetensors")
        try write(safetensors([.f32("w", [1024], [Float](repeating: 1, count: 1024))]), to: path)
        // Foundation reads only the first chunk of a procfs file; read it to the end by hand.
        func mapped() throws -> Bool {
            let descriptor = open("/proc/self/maps", O_RDONLY)
            defer { close(descriptor) }
            var text: [UInt8] = [], chunk = [UInt8](repeating: 0, count: 65536)
            while case let count = read(descriptor, &chunk, chunk.count), count > 0 { text += chunk[..<count] }
            return String(decoding: text, as: UTF8.self).contains(path)
        }
        var tensor: SafeTensor? = try SafeTensorsFile(path: path).require("w")
        #expect(try mapped())
        #expect(try tensor?.floats().count == 1024)
        tensor = nil
        #expect(try !mapped())
        let error = checkpointError { _ = try SafeTensorsFile(path: path + ".missing") }
        #expect(error != nil)
        try write(rawSafetensors(header: "{\"w\": 1}", data: []), to: path)
        #expect(checkpointError { _ = try SafeTensorsFile(path: path) } != nil)
        #expect(try !mapped(), "a refused file is unmapped too")
    }

    @Test("a header whose length is not a multiple of 8 leaves the data unaligned, and it still reads")
    func unaligned() throws {
        let directory = try TemporaryDirectory()
        let path = directory.path("odd.safetensors")
        try write(safetensors([.f32("w", [3], [1, 2, 3]), .f16("h", [1], [2])], padHeaderTo: 1), to: path)
        let file = try SafeTensorsFile(path: path)
        #expect(try file.require("w").floats() == [1, 2, 3])
        #expect(try file.require("h").floats() == [2])
    }

    @Test("an empty header and a zero-sized tensor are valid")
    func empty() throws {
        let directory = try TemporaryDirectory()
        let path = directory.path("empty.safetensors")
        try write(rawSafetensors(header: "{}", data: []), to: path)
        #expect(try SafeTensorsFile(path: path).names.isEmpty)
        try write(safetensors([.f32("none", [0, 4], []), .f32("one", [1], [4])]), to: path)
        #expect(try SafeTensorsFile(path: path).require("none").floats() == [])
    }

    static let f32x2 = [UInt8](repeating: 0, count: 8)

    /// Every way a header can lie, and the words the error must say.
    static let broken: [(String, [UInt8], String)] = [
        ("shorter than the length", [1, 2, 3], "too short"),
        ("header length past the end", rawSafetensors(header: "{}", data: [], declaredLength: 64), "truncated"),
        ("absurd header length", rawSafetensors(header: "{}", data: [], declaredLength: 200_000_000), "more than 100000000 bytes"),
        ("header not JSON", rawSafetensors(header: "{\"a\": ", data: []), "not valid JSON"),
        ("header a JSON array", rawSafetensors(header: "[1, 2]", data: []), "not a JSON object"),
        ("trailing garbage", rawSafetensors(header: "{} x", data: []), "not valid JSON"),
        ("offsets past the data's end",
         rawSafetensors(header: #"{"w":{"dtype":"F32","shape":[4],"data_offsets":[0,16]}}"#, data: f32x2), "past its end"),
        ("begin after end",
         rawSafetensors(header: #"{"w":{"dtype":"F32","shape":[0],"data_offsets":[8,0]}}"#, data: f32x2), "after its end"),
        ("byte count not the shape's",
         rawSafetensors(header: #"{"w":{"dtype":"F32","shape":[3],"data_offsets":[0,8]}}"#, data: f32x2), "needs 12"),
        ("bytes for F16 counted as F32",
         rawSafetensors(header: #"{"w":{"dtype":"F16","shape":[2],"data_offsets":[0,8]}}"#, data: f32x2), "needs 4"),
        ("overlapping tensors",
         rawSafetensors(header: #"{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"b":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}}"#,
                        data: f32x2), "overlap"),
        ("unknown dtype",
         rawSafetensors(header: #"{"w":{"dtype":"F8_E4M3","shape":[8],"data_offsets":[0,8]}}"#, data: f32x2), "unknown dtype F8_E4M3"),
        ("duplicate names",
         rawSafetensors(header: #"{"w":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},"w":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}}"#,
                        data: f32x2), "appears twice"),
        ("negative offset",
         rawSafetensors(header: #"{"w":{"dtype":"F32","shape":[1],"data_offsets":[-4,0]}}"#, data: f32x2), "non-negative integer"),
        ("three offsets",
         rawSafetensors(header: #"{"w":{"dtype":"F32","shape":[1],"data_offsets":[0,4,8]}}"#, data: f32x2), "not 2"),
        ("no shape", rawSafetensors(header: #"{"w":{"dtype":"F32","data_offsets":[0,4]}}"#, data: f32x2), "has no shape"),
        ("overflowing shape",
         rawSafetensors(header: #"{"w":{"dtype":"F32","shape":[4611686018427387904,4],"data_offsets":[0,8]}}"#, data: f32x2), "absurdly large"),
        ("metadata not strings", rawSafetensors(header: #"{"__metadata__":{"format":1}}"#, data: []), "__metadata__[format] is not a string"),
    ]

    @Test("a truncated or lying header is refused with an error naming the file and the problem", arguments: broken.indices)
    func refused(_ index: Int) throws {
        let (what, contents, words) = Self.broken[index]
        let directory = try TemporaryDirectory()
        let path = directory.path("broken.safetensors")
        try write(contents, to: path)
        let error = checkpointError { _ = try SafeTensorsFile(path: path) }
        #expect(error?.path == path, "\(what)")
        #expect(error?.problem.contains(words) == true, "\(what): \(String(describing: error))")
    }

    @Test("a missing file is an error naming it")
    func missingFile() {
        let error = checkpointError { _ = try SafeTensorsFile(path: "/nonexistent/model.safetensors") }
        #expect(error?.path == "/nonexistent/model.safetensors" && error?.problem.contains("cannot be opened") == true)
    }
}
