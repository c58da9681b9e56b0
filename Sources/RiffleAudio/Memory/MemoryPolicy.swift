import CMemoryPolicy

/// How the process uses memory for audio.
public enum MemoryPolicy {
    /// Gives large audio buffers back to the system as soon as they are freed.
    ///
    /// A batch makes and drops about 60 MB of stems per 30-second take; with glibc's default,
    /// which adapts its threshold for mapping large blocks upwards, those blocks end up in a heap
    /// that keeps what is freed, and a batch's resident memory grows by a third. Called once by
    /// every engine that renders audio; harmless to call again.
    public static func returnLargeBuffersToSystem() {
        _ = applied
    }

    private static let applied: Bool = riffle_map_large_allocations(128 * 1024) == 1
}
