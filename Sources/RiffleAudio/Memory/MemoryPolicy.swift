import CMemoryPolicy

/// How the process uses memory for audio.
public enum MemoryPolicy {
    /// Keeps a take's buffers in one heap for the next take to reuse, within a bound.
    ///
    /// A batch makes and drops about 60 MB of stems per 30-second take, in blocks of 10 MB. Memory
    /// that is mapped afresh faults in and is zeroed page by page when first written: handing the
    /// stems back to the system and mapping them again cost a batch of four takes 75,000 page
    /// faults and a tenth of its CPU time. So blocks under 32 MB (a stereo stem of up to 90 s)
    /// come from the heap, which keeps up to 64 MB of freed space for the next take; larger ones
    /// are mapped and returned as before. There is one heap for all threads: glibc's default of
    /// one per thread that allocates at once kept each take's stems, freed by the finishing thread,
    /// in the render threads' heaps and made the next take's in another, and peak memory rose by
    /// 20-50 MB. Blocks of up to 1 KB still come from each thread's own cache, without the lock.
    ///
    /// Measured on the 2-core machine (four 30 s takes): 51,000 page faults in the whole composer
    /// benchmark against 880,000 (all blocks of 2 MB and more mapped afresh), the same peak memory
    /// (228-238 MB against 224-253 MB).
    /// Called once by every engine that renders audio; harmless to call again.
    public static func reuseAudioBuffers() {
        _ = applied
    }

    private static let applied: Bool =
        riffle_map_large_allocations(32 << 20) == 1 && riffle_keep_freed_memory(64 << 20) == 1 && riffle_limit_heaps(1) == 1
}
