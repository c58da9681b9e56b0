#include "memory_policy.h"
#include <stdlib.h> /* defines __GLIBC__ on glibc systems */

#if defined(__GLIBC__)
#include <malloc.h>

int riffle_map_large_allocations(unsigned long bytes) {
    return mallopt(M_MMAP_THRESHOLD, (int)bytes);
}

int riffle_keep_freed_memory(unsigned long bytes) {
    return mallopt(M_TRIM_THRESHOLD, (int)bytes);
}

int riffle_limit_heaps(int count) {
    return mallopt(M_ARENA_MAX, count);
}
#else
int riffle_map_large_allocations(unsigned long bytes) {
    (void)bytes;
    return 0;
}

int riffle_keep_freed_memory(unsigned long bytes) {
    (void)bytes;
    return 0;
}

int riffle_limit_heaps(int count) {
    (void)count;
    return 0;
}
#endif
