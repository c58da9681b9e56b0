import Foundation

/// Whether a model's weights fit in the memory the system has available, asked before loading them:
/// a model that does not fit would push the machine into swap or get the process killed part-way.
public enum MemoryCheck {
    /// Bytes of MemAvailable in `meminfo` (the text of /proc/meminfo: "MemAvailable:  8123456 kB"),
    /// or nil when the line is missing or malformed.
    public static func availableBytes(meminfo: String) -> Int? {
        for line in meminfo.split(separator: "\n") where line.hasPrefix("MemAvailable:") {
            let fields = line.split(separator: " ", omittingEmptySubsequences: true)
            guard fields.count >= 2, let value = Int(fields[1]) else { return nil }
            let unit = fields.count >= 3 ? fields[2].lowercased() : "b"
            switch unit {
            case "kb": return value * 1024
            case "mb": return value * 1024 * 1024
            case "b": return value
            default: return nil
            }
        }
        return nil
    }

    /// MemAvailable from /proc/meminfo; nil where the system does not say.
    public static func availableBytes() -> Int? {
        guard let text = try? String(contentsOfFile: "/proc/meminfo", encoding: .utf8) else { return nil }
        return availableBytes(meminfo: text)
    }

    /// A ``CheckpointError`` naming `what` when `bytes` is more than the available memory (`meminfo`
    /// replaces /proc/meminfo). Where the system does not say how much is available, nothing is refused.
    public static func ensureFits(bytes: Int, what: String, meminfo: String? = nil) throws {
        let available = meminfo.map { availableBytes(meminfo: $0) } ?? availableBytes()
        guard let available, bytes > available else { return }
        throw CheckpointError(what, "needs \(gigabytes(bytes)) of memory for its weights but only \(gigabytes(available)) is available "
                              + "(MemAvailable in /proc/meminfo): close other programs or use a smaller model")
    }

    private static func gigabytes(_ bytes: Int) -> String {
        bytes >= 100_000_000 ? String(format: "%.1f GB", Double(bytes) / 1e9) : String(format: "%.1f MB", Double(bytes) / 1e6)
    }
}
