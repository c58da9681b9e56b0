// See include/musicgen_kernels.h: the small pool of worker threads that split one call's outputs (or one
// loop's iterations) with the caller. The kernels themselves are in musicgen_kernels.c.
#define _GNU_SOURCE
#include "musicgen_kernels.h"
#include "kernels_shared.h"

#include <limits.h>
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#if defined(__linux__)
#include <linux/futex.h>
#include <sys/syscall.h>
#endif

// MARK: - Worker pool
//
// One call at a time uses the workers (a trylock; a second caller runs alone). The caller cuts the outputs into
// a few chunks of whole blocks, publishes the job and a ticket (generation, next chunk), and wakes the workers;
// everyone, the caller included, claims chunks by compare-and-swap on the ticket until none is left, and the
// caller returns once every chunk is done. A worker that wakes late (the machine is busy, it was descheduled)
// finds the chunks taken, or the generation moved on, and goes back to waiting: the caller never waits for a
// thread that is not running, only for chunks already under way. The job's fields are read only after a
// successful claim, and the caller does not rewrite them until every claimed chunk is done.
//
// Idle workers spin for a while (calls come every few tens of microseconds while decoding), yielding the core
// to any other runnable thread, then sleep on a futex.

#define MAX_THREADS 8

typedef struct {
    // A matrix job: outputs of m for x's rows into y. A function job (m NULL): fn(context, i) for i < count.
    const riffle_mg_matrix *m;
    const float *x;
    int rows;
    float *y;
    void (*fn)(void *context, int index);
    void *context;
    int count;
    int chunks;
} pool_job;

static pthread_mutex_t pool_lock = PTHREAD_MUTEX_INITIALIZER;
static int pool_started = 0;  // workers running (under pool_lock)
static int pool_wanted = 0;   // threads a call splits across, the caller's included (0: not yet chosen)
static pool_job pool_current;
static _Atomic uint32_t pool_generation = 0;  // bumped for each job; the workers' futex word
static _Atomic uint64_t pool_ticket = 0;      // generation << 32 | chunks << 16 | next chunk to claim
static _Atomic int pool_done = 0;             // chunks finished in the current job
static _Atomic int pool_sleeping = 0;
static _Atomic int pool_spin_us = 100;

static inline void cpu_relax(void) {
#if RIFFLE_MG_X86
    __builtin_ia32_pause();
#endif
}

static void futex_wait(_Atomic uint32_t *address, uint32_t expected) {
#if defined(__linux__)
    syscall(SYS_futex, (uint32_t *)address, FUTEX_WAIT_PRIVATE, expected, NULL, NULL, 0);
#else
    (void)address; (void)expected;
    sched_yield();
#endif
}

static void futex_wake_all(_Atomic uint32_t *address) {
#if defined(__linux__)
    syscall(SYS_futex, (uint32_t *)address, FUTEX_WAKE_PRIVATE, INT_MAX, NULL, NULL, 0);
#else
    (void)address;
#endif
}

static double now_us(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec * 1e6 + (double)t.tv_nsec / 1e3;
}

// Outputs of chunk `chunk` of `chunks`, in whole blocks.
static void chunk_bounds(int out, int chunks, int chunk, int *begin, int *end) {
    long blocks = (out + BLOCK - 1) / BLOCK;
    long b0 = blocks * chunk / chunks, b1 = blocks * (chunk + 1) / chunks;
    *begin = (int)(b0 * BLOCK < out ? b0 * BLOCK : out);
    *end = (int)(b1 * BLOCK < out ? b1 * BLOCK : out);
}

// Claims and runs chunks of job `generation` until none is left (or the job is over).
static void work_on(uint32_t generation) {
    uint64_t ticket = atomic_load_explicit(&pool_ticket, memory_order_acquire);
    for (;;) {
        if ((uint32_t)(ticket >> 32) != generation) return;
        const int chunk = (int)(ticket & 0xffff), chunks = (int)((ticket >> 16) & 0xffff);
        if (chunk >= chunks) return;
        if (!atomic_compare_exchange_weak_explicit(&pool_ticket, &ticket, ticket + 1, memory_order_acq_rel,
                                                   memory_order_acquire)) {
            continue;  // `ticket` now holds the current value
        }
        const pool_job job = pool_current;  // stable: chunk is claimed and not done
        if (job.m) {
            int begin, end;
            chunk_bounds(job.m->out, job.chunks, chunk, &begin, &end);
            riffle_mg_apply_range(job.m, job.x, job.rows, job.y, begin, end);
        } else {
            const int begin = (int)((long)job.count * chunk / job.chunks), end = (int)((long)job.count * (chunk + 1) / job.chunks);
            for (int index = begin; index < end; index++) job.fn(job.context, index);
        }
        atomic_fetch_add_explicit(&pool_done, 1, memory_order_release);
        ticket = atomic_load_explicit(&pool_ticket, memory_order_acquire);
    }
}

static void *worker_main(void *argument) {
    (void)argument;
    uint32_t seen = atomic_load(&pool_generation);
    for (;;) {
        double spin_until = now_us() + atomic_load_explicit(&pool_spin_us, memory_order_relaxed);
        uint32_t generation;
        int round = 0;
        for (;;) {
            generation = atomic_load_explicit(&pool_generation, memory_order_acquire);
            if (generation != seen) break;
            if (++round < 64) {
                for (int k = 0; k < 16; k++) cpu_relax();
                continue;
            }
            // Past the first microseconds, give the core to anything else runnable (the decoder's own threads).
            sched_yield();
            if (now_us() > spin_until) {
                atomic_fetch_add(&pool_sleeping, 1);
                futex_wait(&pool_generation, seen);
                atomic_fetch_sub(&pool_sleeping, 1);
                spin_until = now_us() + atomic_load_explicit(&pool_spin_us, memory_order_relaxed);
                round = 0;
            }
        }
        seen = generation;
        work_on(generation);
    }
    return NULL;
}

static int default_threads(void) {
    long cpus = sysconf(_SC_NPROCESSORS_ONLN);
    if (cpus < 1) cpus = 1;
    return cpus > MAX_THREADS ? MAX_THREADS : (int)cpus;
}

// Under pool_lock: start workers up to pool_wanted - 1. Returns the threads a call can use.
static int ensure_workers(void) {
    if (pool_wanted == 0) pool_wanted = default_threads();
    while (pool_started < pool_wanted - 1) {
        pthread_t thread;
        pthread_attr_t attributes;
        pthread_attr_init(&attributes);
        pthread_attr_setdetachstate(&attributes, PTHREAD_CREATE_DETACHED);
        int failed = pthread_create(&thread, &attributes, worker_main, NULL);
        pthread_attr_destroy(&attributes);
        if (failed) break;
        pool_started++;
    }
    int threads = pool_started + 1;
    return threads < pool_wanted ? threads : pool_wanted;
}

// Under pool_lock, with threads > 1: publishes `job` (its chunks set), works on it with the workers, returns
// when every chunk is done.
static void run_job(pool_job job) {
    pool_current = job;
    atomic_store_explicit(&pool_done, 0, memory_order_relaxed);
    const uint32_t generation = atomic_load_explicit(&pool_generation, memory_order_relaxed) + 1;
    atomic_store_explicit(&pool_ticket, (uint64_t)generation << 32 | (uint64_t)job.chunks << 16, memory_order_release);
    atomic_store(&pool_generation, generation);  // seq_cst: pairs with the sleepers' count below
    if (atomic_load(&pool_sleeping) > 0) futex_wake_all(&pool_generation);
    work_on(generation);
    while (atomic_load_explicit(&pool_done, memory_order_acquire) < job.chunks) cpu_relax();
}

void riffle_mg_apply(const riffle_mg_matrix *m, const float *x, int rows, float *y) {
    if (rows <= 0 || m->out <= 0) return;
    // Below ~64 K multiply-adds a second thread costs more than it saves.
    const double work = (double)m->out * (double)m->in * (double)rows;
    const int blocks = (m->out + BLOCK - 1) / BLOCK;
    if (work < 65536.0 || blocks < 2 || pthread_mutex_trylock(&pool_lock) != 0) {
        riffle_mg_apply_range(m, x, rows, y, 0, m->out);
        return;
    }
    const int threads = ensure_workers();
    if (threads <= 1) {
        pthread_mutex_unlock(&pool_lock);
        riffle_mg_apply_range(m, x, rows, y, 0, m->out);
        return;
    }
    // Four chunks a thread: small enough that a late or preempted thread leaves little for the others to wait on.
    const int chunks = 4 * threads < blocks ? 4 * threads : blocks;
    run_job((pool_job){.m = m, .x = x, .rows = rows, .y = y, .chunks = chunks});
    pthread_mutex_unlock(&pool_lock);
}

void riffle_mg_parallel(int count, void (*fn)(void *context, int index), void *context) {
    if (count <= 0) return;
    if (count == 1 || pthread_mutex_trylock(&pool_lock) != 0) {
        for (int index = 0; index < count; index++) fn(context, index);
        return;
    }
    const int threads = ensure_workers();
    if (threads <= 1) {
        pthread_mutex_unlock(&pool_lock);
        for (int index = 0; index < count; index++) fn(context, index);
        return;
    }
    const int chunks = count < 64 ? count : 64;
    run_job((pool_job){.fn = fn, .context = context, .count = count, .chunks = chunks});
    pthread_mutex_unlock(&pool_lock);
}

void riffle_mg_set_threads(int threads) {
    pthread_mutex_lock(&pool_lock);
    if (threads < 1) threads = default_threads();
    pool_wanted = threads > MAX_THREADS ? MAX_THREADS : threads;
    pthread_mutex_unlock(&pool_lock);
}

int riffle_mg_threads(void) {
    pthread_mutex_lock(&pool_lock);
    if (pool_wanted == 0) pool_wanted = default_threads();
    int threads = pool_wanted;
    pthread_mutex_unlock(&pool_lock);
    return threads;
}

void riffle_mg_set_spin_microseconds(int microseconds) {
    atomic_store(&pool_spin_us, microseconds < 0 ? 0 : microseconds);
}
