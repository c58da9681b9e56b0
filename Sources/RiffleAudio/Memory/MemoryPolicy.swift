import CMemoryPolicy

/// How the process uses memory for audio.
public enum MemoryPolicy {
    /// Gives a take's stems back to the system as soon as they are freed, and keeps the smaller
    /// working buffers for the next take.
    ///
    /// A batch makes and drops about 60 MB of stems per 30-second take; with glibc's default,
    /// which adapts its threshold for mapping large blocks upwards, those blocks end up in a heap
    /// that keeps what is freed, and a batch's resident memory grows by a third. Blocks of 2 MB and
    /// more (a stem of 6 s or longer) are mapped afresh and returned when freed; smaller ones stay
    /// in the heap, which keeps up to 64 MB of freed space, because mapping every block over 128 KB
    /// afresh made each take fault in and zero new pages for all of them. At 8 MB the batch's CPU
    /// time was no lower, and the quality benchmark's 20 s stems stayed in the heap (its peak went
    /// from 288 to 404 MB; 322 MB at 2 MB).
    /// Called once by every engine that renders audio; harmless to call again.
    public static func returnLargeBuffersToSystem() {
        _ = applied
    }

    private static let applied: Bool =
        riffle_map_large_allocations(2 << 20) == 1 && riffle_keep_freed_memory(64 << 20) == 1
}
