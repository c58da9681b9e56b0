import CMemoryPolicy

/// How the process uses memory for audio.
public enum MemoryPolicy {
    /// Gives a take's stems back to the system as soon as they are freed, and keeps the smaller
    /// per-take working buffers for the next take.
    ///
    /// A batch makes and drops about 60 MB of stems per 30-second take; with glibc's default,
    /// which adapts its threshold for mapping large blocks upwards, those blocks end up in a heap
    /// that keeps what is freed, and a batch's resident memory grows by a third. Blocks under 8 MB
    /// (a 30 s stem is 10.6 MB; the limiter's per-frame arrays are half that) stay in the heap,
    /// which keeps up to 64 MB of freed space: mapping them afresh for every take cost a tenth of
    /// the batch's CPU time in page faults, and keeping them adds about 15 MB to a batch's peak.
    /// Called once by every engine that renders audio; harmless to call again.
    public static func returnLargeBuffersToSystem() {
        _ = applied
    }

    private static let applied: Bool =
        riffle_map_large_allocations(8 << 20) == 1 && riffle_keep_freed_memory(64 << 20) == 1
}
