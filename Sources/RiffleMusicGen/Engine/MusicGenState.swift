import Foundation

/// What a MusicGen take keeps for its edits: the audio codes it was decoded from.
///
/// Extending or repainting continues these codes, so an edit neither re-encodes the mastered audio
/// (which would lose detail) nor needs the take's file. Little-endian UInt16 codes in a binary
/// envelope: 5 minutes of stereo is 15 000 frames × 8 codebooks × 2 bytes = 240 kB.
struct MusicGenState: Equatable {
    static let magic: [UInt8] = Array("RMGC1".utf8)

    var codebooks: Int
    var frames: Int
    /// Codebook-major: `codebooks × frames`.
    var codes: [Int32]
    /// The loudness gain the take was mastered with, so an edit sounds as loud as its parent.
    var masterGain: Double

    func encoded() -> Data {
        var data = Data(Self.magic)
        func append<T: FixedWidthInteger>(_ value: T) { withUnsafeBytes(of: value.littleEndian) { data.append(contentsOf: $0) } }
        append(UInt32(codebooks))
        append(UInt32(frames))
        append(masterGain.bitPattern)
        data.reserveCapacity(data.count + codes.count * 2)
        for code in codes { append(UInt16(truncatingIfNeeded: code)) }
        return data
    }

    /// The state of a take, or an error saying why it cannot be edited.
    static func decode(_ data: Data?) throws -> MusicGenState {
        guard let data, data.count >= magic.count + 16, Array(data.prefix(magic.count)) == magic else {
            throw EngineStateError.notMusicGen
        }
        let bytes = [UInt8](data)
        var offset = magic.count
        func read<T: FixedWidthInteger>(_: T.Type) -> T {
            var value: T = 0
            withUnsafeMutableBytes(of: &value) { $0.copyBytes(from: bytes[offset..<(offset + MemoryLayout<T>.size)]) }
            offset += MemoryLayout<T>.size
            return T(littleEndian: value)
        }
        let codebooks = Int(read(UInt32.self)), frames = Int(read(UInt32.self))
        let gain = Double(bitPattern: read(UInt64.self))
        guard codebooks > 0, frames > 0, bytes.count == offset + codebooks * frames * 2 else { throw EngineStateError.truncated }
        var codes = [Int32](repeating: 0, count: codebooks * frames)
        for index in codes.indices { codes[index] = Int32(read(UInt16.self)) }
        return MusicGenState(codebooks: codebooks, frames: frames, codes: codes, masterGain: gain)
    }

    enum EngineStateError: Error, CustomStringConvertible {
        case notMusicGen, truncated
        var description: String {
            switch self {
            case .notMusicGen: "this take was not made by MusicGen, or keeps no codes to continue"
            case .truncated: "this take's stored MusicGen codes are damaged"
            }
        }
    }
}
