import Crypto
import Foundation

/// The hashes the hub lists for a file: SHA-256 for a file stored with Git LFS (its LFS id), the git blob
/// id (SHA-1 of "blob SIZE\0" and the bytes) for a file kept in git itself.
enum FileDigest {
    /// The kind of hash to compute, with the value the hub gave.
    enum Expected: Sendable, Equatable {
        case sha256(String)
        case gitBlob(String)

        var name: String {
            switch self {
            case .sha256: "SHA-256"
            case .gitBlob: "git blob id"
            }
        }

        var value: String {
            switch self {
            case .sha256(let value), .gitBlob(let value): value
            }
        }
    }

    /// The hex digest of the file at `path` of the kind `expected` names, read in 4 MiB blocks.
    static func compute(_ expected: Expected, of path: String) throws -> String {
        switch expected {
        case .sha256:
            var hasher = SHA256()
            try read(path) { hasher.update(bufferPointer: $0) }
            return hex(hasher.finalize())
        case .gitBlob:
            var hasher = Insecure.SHA1()
            let size = try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int ?? 0
            hasher.update(data: Data("blob \(size)\0".utf8))
            try read(path) { hasher.update(bufferPointer: $0) }
            return hex(hasher.finalize())
        }
    }

    /// The SHA-256 of `data`, in hex.
    static func sha256(_ data: Data) -> String { hex(SHA256.hash(data: data)) }

    private static func hex<D: Sequence>(_ digest: D) -> String where D.Element == UInt8 {
        digest.map { String(format: "%02x", $0) }.joined()
    }

    private static func read(_ path: String, _ body: (UnsafeRawBufferPointer) -> Void) throws {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
        defer { close(descriptor) }
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 4 << 20, alignment: 16)
        defer { buffer.deallocate() }
        while true {
            let count = Glibc.read(descriptor, buffer.baseAddress, buffer.count)
            if count < 0, errno == EINTR { continue }
            if count < 0 { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
            if count == 0 { return }
            body(UnsafeRawBufferPointer(rebasing: buffer[0..<count]))
        }
    }
}
