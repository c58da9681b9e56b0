#ifndef RIFFLE_MEMORY_POLICY_H
#define RIFFLE_MEMORY_POLICY_H

/// Makes glibc serve every allocation of `bytes` or more with its own mapping, returned to the
/// system when freed. glibc otherwise raises this threshold each time such a block is freed, and
/// later blocks of that size come from the heap, where freed space is kept: a process that makes and
/// drops tens of megabytes of audio per take grows by a take's worth every few takes.
/// Returns 1 on success, 0 where the C library has no such setting.
int riffle_map_large_allocations(unsigned long bytes);

/// Makes glibc keep up to `bytes` of freed space at the top of each heap instead of handing it back
/// to the system at once, so the next block of that size reuses pages that are already mapped
/// rather than faulting in and zeroing new ones. Returns 1 on success, 0 where the C library has
/// no such setting.
int riffle_keep_freed_memory(unsigned long bytes);

/// Makes every thread allocate from at most `count` heaps (glibc arenas). glibc otherwise gives
/// threads that allocate at once heaps of their own, up to eight per core, and each keeps its own
/// freed space. Small blocks still come from each thread's own cache without the heap's lock.
/// Returns 1 on success, 0 where the C library has no such setting.
int riffle_limit_heaps(int count);

#endif
