import Foundation
#if canImport(Glibc)
import Glibc
#endif

// safetensors (https://github.com/huggingface/safetensors): an 8-byte little-endian header length, a JSON
// header {name: {dtype, shape, data_offsets: [begin, end]}, "__metadata__": {string: string}}, then the raw
// little-endian data. The reader is written by hand: no Swift safetensors package is available offline and the
// format is tiny; what matters is that every lie in the header is caught before a byte of data is read.

/// What a safetensors file, a snapshot folder or a config says that cannot be used: the path and the problem.
public struct CheckpointError: Error, Equatable, CustomStringConvertible, Sendable {
    public let path: String
    public let problem: String

    public init(_ path: String, _ problem: String) {
        self.path = path
        self.problem = problem
    }

    public var description: String { "\(path): \(problem)" }
}

/// The element types a checkpoint may hold: floats for weights, integers (read raw) for indices.
public enum TensorDType: String, Sendable, CaseIterable {
    case f32 = "F32", f16 = "F16", bf16 = "BF16", i64 = "I64", i32 = "I32", u8 = "U8", i8 = "I8"

    public var byteSize: Int {
        switch self {
        case .f32, .i32: 4
        case .f16, .bf16: 2
        case .i64: 8
        case .u8, .i8: 1
        }
    }

    public var isFloatingPoint: Bool { self == .f32 || self == .f16 || self == .bf16 }
}

/// One tensor of a mapped file: a view of its bytes, valid as long as the value (which keeps the file) lives.
public struct SafeTensor: @unchecked Sendable {  // a read-only view of a read-only mapping
    public let name: String
    public let dtype: TensorDType
    public let shape: [Int]
    /// The tensor's little-endian bytes in the mapping (zero-copy; not necessarily aligned).
    public let bytes: UnsafeRawBufferPointer
    let owner: SafeTensorsFile

    public var elementCount: Int { shape.reduce(1, *) }

    /// The bytes, for zero-copy use while `body` runs (the file stays mapped for that long).
    public func withUnsafeBytes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        try withExtendedLifetime(owner) { try body(bytes) }
    }

    /// The values as Float: F32 copied, F16 and BF16 converted. Integer tensors are not weights: an error.
    public func floats() throws -> [Float] {
        let count = elementCount
        return try withUnsafeBytes { raw -> [Float] in
            switch dtype {
            case .f32:
                return [Float](unsafeUninitializedCapacity: count) { buffer, initialized in
                    if count > 0 { memcpy(buffer.baseAddress!, raw.baseAddress!, count * 4) }
                    initialized = count
                }
            case .f16:
                return Self.convert(raw, count) { Float(Float16(bitPattern: $0)) }
            case .bf16:
                // bf16 is the high half of a float32.
                return Self.convert(raw, count) { Float(bitPattern: UInt32($0) << 16) }
            default:
                throw CheckpointError(owner.path, "tensor \(name) is \(dtype.rawValue), not a floating-point weight")
            }
        }
    }

    /// Converts `count` little-endian 16-bit values into a fresh array, without an intermediate one.
    @inline(__always)
    private static func convert(_ raw: UnsafeRawBufferPointer, _ count: Int, _ element: (UInt16) -> Float) -> [Float] {
        [Float](unsafeUninitializedCapacity: count) { buffer, initialized in
            for index in 0..<count {
                buffer[index] = element(UInt16(littleEndian: raw.loadUnaligned(fromByteOffset: index * 2, as: UInt16.self)))
            }
            initialized = count
        }
    }

    /// The values of an integer tensor (I64, I32, U8, I8) widened to Int.
    public func integers() throws -> [Int] {
        let count = elementCount
        return try withUnsafeBytes { raw -> [Int] in
            switch dtype {
            case .i64: return (0..<count).map { Int(Int64(littleEndian: raw.loadUnaligned(fromByteOffset: $0 * 8, as: Int64.self))) }
            case .i32: return (0..<count).map { Int(Int32(littleEndian: raw.loadUnaligned(fromByteOffset: $0 * 4, as: Int32.self))) }
            case .u8: return (0..<count).map { Int(raw[$0]) }
            case .i8: return (0..<count).map { Int(Int8(bitPattern: raw[$0])) }
            default: throw CheckpointError(owner.path, "tensor \(name) is \(dtype.rawValue), not an integer tensor")
            }
        }
    }
}

/// A .safetensors file mapped read-only; the header is checked whole when it opens, unmapped on deinit.
public final class SafeTensorsFile: @unchecked Sendable {  // immutable after init; the mapping is read-only
    /// The largest header accepted: real ones are kilobytes; a bigger length is a corrupt or hostile file.
    public static let maximumHeaderLength = 100_000_000

    public let path: String
    public let metadata: [String: String]
    /// Every tensor's name, sorted.
    public let names: [String]
    private let entries: [String: SafeTensorsHeader.Entry]
    private let base: UnsafeMutableRawPointer
    private let mappedLength: Int
    private let dataStart: Int

    public init(path: String) throws {
        let opened = try Self.mapAndCheck(path)
        self.path = path
        base = opened.base
        mappedLength = opened.length
        dataStart = opened.dataStart
        metadata = opened.header.metadata
        entries = opened.header.entries
        names = opened.header.entries.keys.sorted()
    }

    /// Maps the file and checks its header; on any problem it unmaps and throws an error naming the file.
    private static func mapAndCheck(_ path: String) throws -> (base: UnsafeMutableRawPointer, length: Int, dataStart: Int, header: SafeTensorsHeader) {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else {
            throw CheckpointError(path, "cannot be opened (\(String(cString: strerror(errno))))")
        }
        defer { close(descriptor) }
        var status = stat()
        guard fstat(descriptor, &status) == 0 else { throw CheckpointError(path, "cannot be read (\(String(cString: strerror(errno))))") }
        guard (status.st_mode & S_IFMT) == S_IFREG else { throw CheckpointError(path, "is not a regular file") }
        let size = Int(status.st_size)
        guard size >= 8 else { throw CheckpointError(path, "is \(size) bytes: too short for a safetensors header length (8 bytes)") }
        guard let mapping = mmap(nil, size, PROT_READ, MAP_PRIVATE, descriptor, 0), mapping != MAP_FAILED else {
            throw CheckpointError(path, "cannot be mapped (\(String(cString: strerror(errno))))")
        }
        var keep = false
        defer { if !keep { munmap(mapping, size) } }
        let raw = UnsafeRawBufferPointer(start: mapping, count: size)
        let declared = UInt64(littleEndian: raw.loadUnaligned(as: UInt64.self))
        guard declared <= UInt64(maximumHeaderLength) else {
            throw CheckpointError(path, "declares a \(declared)-byte header: more than \(maximumHeaderLength) bytes, so not a safetensors file")
        }
        guard 8 + Int(declared) <= size else {
            throw CheckpointError(path, "declares a \(declared)-byte header but the file has only \(size - 8) bytes after the length: truncated")
        }
        let dataStart = 8 + Int(declared)
        let header: SafeTensorsHeader
        do {
            header = try SafeTensorsHeader(json: UnsafeRawBufferPointer(rebasing: raw[8..<dataStart]), dataLength: size - dataStart)
        } catch {
            throw CheckpointError(path, error.message)
        }
        keep = true
        return (mapping, size, dataStart, header)
    }

    deinit { munmap(base, mappedLength) }

    /// The tensor called `name`, or nil when the file has none.
    public func tensor(named name: String) -> SafeTensor? {
        guard let entry = entries[name] else { return nil }
        let start = UnsafeRawPointer(base) + dataStart + entry.begin
        return SafeTensor(name: name, dtype: entry.dtype, shape: entry.shape,
                          bytes: UnsafeRawBufferPointer(start: start, count: entry.end - entry.begin), owner: self)
    }

    /// The tensor called `name`; an error naming the file when it has none.
    public func require(_ name: String) throws -> SafeTensor {
        guard let tensor = tensor(named: name) else { throw CheckpointError(path, "has no tensor \(name)") }
        return tensor
    }
}
