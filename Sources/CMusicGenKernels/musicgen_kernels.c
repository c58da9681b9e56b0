// See include/musicgen_kernels.h. Two halves: the kernels (AVX-512 and portable), and a small pool of
// worker threads that split one call's outputs with the caller.
#define _GNU_SOURCE
#include "musicgen_kernels.h"

#include <limits.h>
#include <math.h>
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

#if defined(__x86_64__) && (defined(__clang__) || defined(__GNUC__))
#define RIFFLE_MG_X86 1
#include <immintrin.h>
#else
#define RIFFLE_MG_X86 0
#endif

// MARK: - Portable loops

static float half_to_float(uint16_t h) {
    uint32_t sign = (uint32_t)(h & 0x8000) << 16;
    uint32_t exponent = (h >> 10) & 0x1f;
    uint32_t mantissa = h & 0x3ff;
    uint32_t bits;
    if (exponent == 0) {
        if (mantissa == 0) {
            bits = sign;
        } else {  // subnormal: normalise
            exponent = 127 - 15 + 1;
            while ((mantissa & 0x400) == 0) {
                mantissa <<= 1;
                exponent--;
            }
            bits = sign | (exponent << 23) | ((mantissa & 0x3ff) << 13);
        }
    } else if (exponent == 31) {
        bits = sign | 0x7f800000 | (mantissa << 13);
    } else {
        bits = sign | ((exponent + 127 - 15) << 23) | (mantissa << 13);
    }
    float value;
    memcpy(&value, &bits, sizeof value);
    return value;
}

static uint16_t float_to_half(float value) {
    uint32_t bits;
    memcpy(&bits, &value, sizeof bits);
    uint16_t sign = (uint16_t)((bits >> 16) & 0x8000);
    uint32_t magnitude = bits & 0x7fffffff;
    if (magnitude >= 0x7f800000) {  // inf or NaN (keep NaN quiet)
        return sign | 0x7c00 | (magnitude > 0x7f800000 ? 0x200 : 0);
    }
    if (magnitude >= 0x477ff000) return sign | 0x7c00;  // rounds past 65504
    if (magnitude < 0x38800000) {  // below the smallest normal half: subnormal or zero
        if (magnitude < 0x33000000) return sign;  // under half the smallest subnormal
        uint32_t exponent = magnitude >> 23;
        uint32_t mantissa = (magnitude & 0x7fffff) | 0x800000;
        // value = mantissa · 2^(exponent - 150); in units of the half's 2^-24 that is mantissa >> (126 - exponent)
        uint32_t shift = 126 - exponent;
        uint32_t result = mantissa >> shift;
        uint32_t remainder = mantissa & ((1u << shift) - 1);
        uint32_t halfway = 1u << (shift - 1);
        if (remainder > halfway || (remainder == halfway && (result & 1))) result++;
        return sign | (uint16_t)result;
    }
    uint32_t result = ((magnitude >> 13) - ((127 - 15) << 10));
    uint32_t remainder = magnitude & 0x1fff;
    if (remainder > 0x1000 || (remainder == 0x1000 && (result & 1))) result++;
    return sign | (uint16_t)result;
}

// Element (o, i) of a packed matrix: see the header.
// Outputs in blocks of BLOCK; inputs in tiles of TILE (a multiple of 16), so that a tile of x stays in the L1
// cache while every block streams past it.
#ifndef BLOCK
#define BLOCK 4
#endif
#ifndef TILE
#define TILE 1024
#endif

// Chunks of 16 inputs in tile `t` (only the last tile may be shorter).
static inline int tile_chunks(int in, int t) {
    const int n = in - t * TILE < TILE ? in - t * TILE : TILE;
    return (n + 15) / 16;
}

static inline size_t packed_index(int out, int in, int o, int i) {
    const size_t blocks = (size_t)((out + BLOCK - 1) / BLOCK);
    const int t = i / TILE, within = i % TILE;
    const size_t tile_base = blocks * BLOCK * (size_t)t * TILE;
    return tile_base + (((size_t)(o / BLOCK) * (size_t)tile_chunks(in, t) + (size_t)(within / 16)) * BLOCK + (size_t)(o % BLOCK)) * 16 +
           (size_t)(within % 16);
}

static inline float widen_one(int precision, const void *weight, size_t index) {
    switch (precision) {
    case RIFFLE_MG_F16: return half_to_float(((const uint16_t *)weight)[index]);
    case RIFFLE_MG_I8: return (float)((const int8_t *)weight)[index];
    default: return ((const float *)weight)[index];
    }
}

// The same walk as the AVX-512 code (chunks of 16 in order, lanes summed in a fixed tree), in plain C.
static void apply_range_portable(const riffle_mg_matrix *m, const float *x, int rows, float *y, int begin, int end) {
    const int in = m->in;
    for (int o = begin; o < end; o++) {
        for (int r = 0; r < rows; r++) {
            const float *xr = x + (size_t)r * (size_t)in;
            float lanes[16] = {0};
            for (int i = 0; i < in; i++) lanes[i & 15] += widen_one(m->precision, m->weight, packed_index(m->out, in, o, i)) * xr[i];
            for (int width = 8; width >= 1; width /= 2) {
                for (int l = 0; l < width; l++) lanes[l] += lanes[l + width];
            }
            float sum = lanes[0];
            if (m->precision == RIFFLE_MG_I8) sum *= m->scale[o];
            if (m->bias) sum += m->bias[o];
            y[(size_t)r * (size_t)m->out + (size_t)o] = sum;
        }
    }
}

// MARK: - AVX-512

#if RIFFLE_MG_X86
#define TARGET __attribute__((target("avx512f,avx512bw,avx512vl,avx512dq,f16c,fma")))
#define INLINE static inline __attribute__((always_inline))

// Sixteen weights from element `index`, widened to fp32.
TARGET INLINE __m512 load16(int precision, const void *weight, size_t index) {
    switch (precision) {
    case RIFFLE_MG_F16:
        return _mm512_cvtph_ps(_mm256_load_si256((const __m256i *)((const uint16_t *)weight + index)));
    case RIFFLE_MG_I8:
        return _mm512_cvtepi32_ps(_mm512_cvtepi8_epi32(_mm_load_si128((const __m128i *)((const int8_t *)weight + index))));
    default:
        return _mm512_load_ps((const float *)weight + index);
    }
}

// Outputs BLOCK·block + b0 ..< BLOCK·block + b0 + OB of one block, for rows r0 ..< r0 + R, over input tile t.
// A tile of a block's weights is one sequential stream; each (output, row) pair is, per tile, one chain of FMAs
// over 16 lanes in input order, then _mm512_reduce_add_ps; the tiles' sums are added in order, then int8's scale
// and the bias applied: the same arithmetic whatever R and OB are and whichever thread runs it.
TARGET INLINE void block_avx512(const int P, const int R, const int OB, const riffle_mg_matrix *m, const float *x, float *y,
                                int block, int b0, int r0, int end, int t) {
    const int in = m->in, i0 = t * TILE, n = in - i0 < TILE ? in - i0 : TILE;
    const int full = n / 16, chunks = (n + 15) / 16;
    const size_t blocks = (size_t)((m->out + BLOCK - 1) / BLOCK);
    const void *weight = m->weight;
    const size_t base = blocks * BLOCK * (size_t)i0 + (size_t)block * (size_t)chunks * BLOCK * 16 + (size_t)b0 * 16;
    const float *xs = x + (size_t)r0 * (size_t)in + (size_t)i0;
    __m512 acc[8][4];
    for (int b = 0; b < OB; b++)
        for (int r = 0; r < R; r++) acc[b][r] = _mm512_setzero_ps();
    for (int c = 0; c < full; c++) {
        __m512 xv[4];
        for (int r = 0; r < R; r++) xv[r] = _mm512_loadu_ps(xs + (size_t)r * (size_t)in + (size_t)c * 16);
        const size_t at = base + (size_t)c * BLOCK * 16;
        for (int b = 0; b < OB; b++) {
            __m512 wv = load16(P, weight, at + (size_t)b * 16);
            for (int r = 0; r < R; r++) acc[b][r] = _mm512_fmadd_ps(wv, xv[r], acc[b][r]);
        }
    }
    if (full < chunks) {  // the last, partial chunk: x masked; the weights are padded with zeros
        __mmask16 mask = (__mmask16)((1u << (n - full * 16)) - 1);
        __m512 xv[4];
        for (int r = 0; r < R; r++) xv[r] = _mm512_maskz_loadu_ps(mask, xs + (size_t)r * (size_t)in + (size_t)full * 16);
        const size_t at = base + (size_t)full * BLOCK * 16;
        for (int b = 0; b < OB; b++) {
            __m512 wv = load16(P, weight, at + (size_t)b * 16);
            for (int r = 0; r < R; r++) acc[b][r] = _mm512_fmadd_ps(wv, xv[r], acc[b][r]);
        }
    }
    const int first = block * BLOCK + b0;
    const int valid = end - first < OB ? end - first : OB;
    const int last = i0 + n >= in;
    for (int b = 0; b < valid; b++) {
        for (int r = 0; r < R; r++) {
            float *target = y + (size_t)(r0 + r) * (size_t)m->out + (size_t)(first + b);
            float sum = _mm512_reduce_add_ps(acc[b][r]);
            if (t > 0) sum = *target + sum;
            if (last) {
                if (P == RIFFLE_MG_I8) sum *= m->scale[first + b];
                if (m->bias) sum += m->bias[first + b];
            }
            *target = sum;
        }
    }
}

// A whole block for rows r0 ..< r0 + R: one pass over all BLOCK outputs for up to 2 rows (16 accumulators),
// in passes of 4 outputs for 3 or 4 rows (the later passes read the block from the cache).
#define BLOCK_ROWS(P, R)                                                                    \
    do {                                                                                    \
        if ((R) <= 2 || BLOCK == 4) {                                                       \
            block_avx512(P, R, BLOCK, m, x, y, block, 0, r0, end, t);                       \
        } else {                                                                            \
            for (int b0 = 0; b0 < BLOCK && block * BLOCK + b0 < end; b0 += 4)               \
                block_avx512(P, R, 4, m, x, y, block, b0, r0, end, t);                      \
        }                                                                                   \
    } while (0)

// Tile by tile, blocks [begin/BLOCK, ⌈end/BLOCK⌉); for each block, the rows of x in groups of up to four.
#define RANGE_BODY(P)                                                                       \
    for (int t = 0; t * TILE < m->in; t++)                                                  \
    for (int block = begin / BLOCK; block < (end + BLOCK - 1) / BLOCK; block++) {           \
        for (int r0 = 0; r0 < rows; r0 += 4) {                                              \
            switch (rows - r0) {                                                            \
            case 1: BLOCK_ROWS(P, 1); break;                                                \
            case 2: BLOCK_ROWS(P, 2); break;                                                \
            case 3: BLOCK_ROWS(P, 3); break;                                                \
            default: BLOCK_ROWS(P, 4); break;                                               \
            }                                                                               \
        }                                                                                   \
    }

TARGET static void range_f32(const riffle_mg_matrix *m, const float *x, int rows, float *y, int begin, int end) {
    RANGE_BODY(RIFFLE_MG_F32)
}
TARGET static void range_f16(const riffle_mg_matrix *m, const float *x, int rows, float *y, int begin, int end) {
    RANGE_BODY(RIFFLE_MG_F16)
}
TARGET static void range_i8(const riffle_mg_matrix *m, const float *x, int rows, float *y, int begin, int end) {
    RANGE_BODY(RIFFLE_MG_I8)
}

TARGET static void to_f16_avx512(const float *source, uint16_t *destination, size_t count) {
    size_t i = 0;
    for (; i + 16 <= count; i += 16) {
        __m256i h = _mm512_cvtps_ph(_mm512_loadu_ps(source + i), _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC);
        _mm256_storeu_si256((__m256i *)(destination + i), h);
    }
    for (; i < count; i++) destination[i] = float_to_half(source[i]);
}
#endif

// MARK: - Dispatch

static _Atomic int forced_portable = 0;

int riffle_mg_isa(void) {
#if RIFFLE_MG_X86
    static int supported = -1;  // a benign race: every thread computes the same answer
    if (supported < 0) {
        __builtin_cpu_init();
        supported = __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw") &&
                    __builtin_cpu_supports("avx512vl") && __builtin_cpu_supports("avx512dq") &&
                    __builtin_cpu_supports("f16c") && __builtin_cpu_supports("fma");
    }
    return supported && !atomic_load_explicit(&forced_portable, memory_order_relaxed);
#else
    return 0;
#endif
}

void riffle_mg_force_portable(int portable) { atomic_store(&forced_portable, portable ? 1 : 0); }

void riffle_mg_apply_range(const riffle_mg_matrix *m, const float *x, int rows, float *y, int begin, int end) {
    if (rows <= 0 || begin >= end) return;
#if RIFFLE_MG_X86
    if (riffle_mg_isa()) {
        switch (m->precision) {
        case RIFFLE_MG_F16: range_f16(m, x, rows, y, begin, end); return;
        case RIFFLE_MG_I8: range_i8(m, x, rows, y, begin, end); return;
        default: range_f32(m, x, rows, y, begin, end); return;
        }
    }
#endif
    apply_range_portable(m, x, rows, y, begin, end);
}

size_t riffle_mg_packed_count(int out, int in) {
    return (size_t)((out + BLOCK - 1) / BLOCK) * BLOCK * (size_t)((in + 15) / 16) * 16;
}

static size_t element_size(int precision) { return precision == RIFFLE_MG_F16 ? 2 : precision == RIFFLE_MG_I8 ? 1 : 4; }

void riffle_mg_pack_raw(int precision, const void *rows, int out, int in, void *packed) {
    const size_t size = element_size(precision);
    memset(packed, 0, riffle_mg_packed_count(out, in) * size);
    for (int o = 0; o < out; o++) {
        const char *row = (const char *)rows + (size_t)o * (size_t)in * size;
        for (int i = 0; i < in; i += 16) {
            const int n = in - i < 16 ? in - i : 16;
            memcpy((char *)packed + packed_index(out, in, o, i) * size, row + (size_t)i * size, (size_t)n * size);
        }
    }
}

void riffle_mg_unpack_raw(const riffle_mg_matrix *m, int begin, int end, void *rows) {
    const size_t size = element_size(m->precision);
    const int in = m->in;
    for (int o = begin; o < end; o++) {
        char *row = (char *)rows + (size_t)(o - begin) * (size_t)in * size;
        for (int i = 0; i < in; i += 16) {
            const int n = in - i < 16 ? in - i : 16;
            memcpy(row + (size_t)i * size, (const char *)m->weight + packed_index(m->out, in, o, i) * size, (size_t)n * size);
        }
    }
}

void riffle_mg_pack(const float *weight, int out, int in, int precision, void *packed, float *scale) {
    const size_t size = element_size(precision);
    memset(packed, 0, riffle_mg_packed_count(out, in) * size);
    int8_t *quantized = NULL;
    if (precision == RIFFLE_MG_I8) quantized = malloc((size_t)in > 0 ? (size_t)in : 1);
    for (int o = 0; o < out; o++) {
        const float *row = weight + (size_t)o * (size_t)in;
        if (precision == RIFFLE_MG_I8) {
            if (!quantized) abort();
            riffle_mg_quantize_i8(row, 1, in, quantized, scale + o);
        }
        for (int i = 0; i < in; i += 16) {
            const int n = in - i < 16 ? in - i : 16;
            void *at = (char *)packed + packed_index(out, in, o, i) * size;
            switch (precision) {
            case RIFFLE_MG_F16: riffle_mg_to_f16(row + i, (uint16_t *)at, (size_t)n); break;
            case RIFFLE_MG_I8: memcpy(at, quantized + i, (size_t)n); break;
            default: memcpy(at, row + i, (size_t)n * sizeof(float)); break;
            }
        }
    }
    free(quantized);
}

void riffle_mg_widen(const riffle_mg_matrix *m, int begin, int end, float *destination) {
    const int in = m->in;
    for (int o = begin; o < end; o++) {
        float *row = destination + (size_t)(o - begin) * (size_t)in;
        for (int i = 0; i < in; i += 16) {
            const int n = in - i < 16 ? in - i : 16;
            const size_t at = packed_index(m->out, in, o, i);
            switch (m->precision) {
            case RIFFLE_MG_F16:
                for (int l = 0; l < n; l++) row[i + l] = half_to_float(((const uint16_t *)m->weight)[at + (size_t)l]);
                break;
            case RIFFLE_MG_I8:
                for (int l = 0; l < n; l++) row[i + l] = (float)((const int8_t *)m->weight)[at + (size_t)l] * m->scale[o];
                break;
            default:
                memcpy(row + i, (const float *)m->weight + at, (size_t)n * sizeof(float));
                break;
            }
        }
    }
}

void riffle_mg_to_f16(const float *source, uint16_t *destination, size_t count) {
#if RIFFLE_MG_X86
    if (riffle_mg_isa()) {
        to_f16_avx512(source, destination, count);
        return;
    }
#endif
    for (size_t i = 0; i < count; i++) destination[i] = float_to_half(source[i]);
}

// MARK: - Attention over a half-precision cache

/// Softmax of `count` scores in place, the maximum subtracted first; every score at -inf gives all zeros.
static void softmax_in_place(float *x, int count) {
    float largest = -INFINITY;
    for (int i = 0; i < count; i++) if (x[i] > largest) largest = x[i];
    if (largest == -INFINITY) {
        for (int i = 0; i < count; i++) x[i] = 0;
        return;
    }
    float sum = 0;
    for (int i = 0; i < count; i++) {
        x[i] = expf(x[i] - largest);
        sum += x[i];
    }
    float inverse = 1 / sum;
    for (int i = 0; i < count; i++) x[i] *= inverse;
}

static void attend_f16_portable(const float *query, const uint16_t *keys, const uint16_t *values, int count, int head_dim,
                                float scale, float *scores, float *out) {
    for (int j = 0; j < count; j++) {
        float dot = 0;
        for (int i = 0; i < head_dim; i++) dot += query[i] * half_to_float(keys[(size_t)j * head_dim + i]);
        scores[j] = scale * dot;
    }
    softmax_in_place(scores, count);
    for (int j = 0; j < count; j++)
        for (int i = 0; i < head_dim; i++) out[i] += scores[j] * half_to_float(values[(size_t)j * head_dim + i]);
}

#if RIFFLE_MG_X86
/// head_dim a multiple of 16, at most 256: the query in registers, 16 halves widened per instruction.
TARGET static void attend_f16_avx512(const float *query, const uint16_t *keys, const uint16_t *values, int count, int head_dim,
                                     float scale, float *scores, float *out) {
    int blocks = head_dim / 16;
    __m512 q[16];
    for (int b = 0; b < blocks; b++) q[b] = _mm512_loadu_ps(query + 16 * b);
    for (int j = 0; j < count; j++) {
        const uint16_t *key = keys + (size_t)j * head_dim;
        __m512 sum = _mm512_setzero_ps();
        for (int b = 0; b < blocks; b++)
            sum = _mm512_fmadd_ps(q[b], _mm512_cvtph_ps(_mm256_loadu_si256((const __m256i *)(key + 16 * b))), sum);
        scores[j] = scale * _mm512_reduce_add_ps(sum);
    }
    softmax_in_place(scores, count);
    __m512 accumulated[16];
    for (int b = 0; b < blocks; b++) accumulated[b] = _mm512_setzero_ps();
    for (int j = 0; j < count; j++) {
        const uint16_t *value = values + (size_t)j * head_dim;
        __m512 weight = _mm512_set1_ps(scores[j]);
        for (int b = 0; b < blocks; b++)
            accumulated[b] = _mm512_fmadd_ps(weight, _mm512_cvtph_ps(_mm256_loadu_si256((const __m256i *)(value + 16 * b))), accumulated[b]);
    }
    for (int b = 0; b < blocks; b++) _mm512_storeu_ps(out + 16 * b, accumulated[b]);
}
#endif

void riffle_mg_attend_f16(const float *query, const uint16_t *keys, const uint16_t *values, int count, int head_dim,
                          float scale, float *scores, float *out) {
    for (int i = 0; i < head_dim; i++) out[i] = 0;
    if (count <= 0) return;
#if RIFFLE_MG_X86
    if (riffle_mg_isa() && head_dim % 16 == 0 && head_dim <= 256) {
        attend_f16_avx512(query, keys, values, count, head_dim, scale, scores, out);
        return;
    }
#endif
    attend_f16_portable(query, keys, values, count, head_dim, scale, scores, out);
}

void riffle_mg_quantize_i8(const float *weight, int out, int in, int8_t *q, float *scale) {
    for (int o = 0; o < out; o++) {
        const float *row = weight + (size_t)o * (size_t)in;
        int8_t *qrow = q + (size_t)o * (size_t)in;
        float maxabs = 0;
        for (int i = 0; i < in; i++) maxabs = fmaxf(maxabs, fabsf(row[i]));
        float s = maxabs / 127.0f;
        if (s == 0 || !isfinite(s)) {
            scale[o] = 0;
            for (int i = 0; i < in; i++) qrow[i] = 0;
            continue;
        }
        scale[o] = s;
        for (int i = 0; i < in; i++) {
            float v = nearbyintf(row[i] / s);
            if (v > 127) v = 127;
            if (v < -127) v = -127;
            qrow[i] = (int8_t)v;
        }
    }
}

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
